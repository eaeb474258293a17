package org.opencallback.testing;

import java.util.UUID;
import org.opencallback.store.Database;

/** A fresh in-memory H2 database per call, migrated. */
public final class TestDatabase {
  private TestDatabase() {}

  public static Database h2() {
    return Database.open(
        "jdbc:h2:mem:test-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "", 4);
  }
}
