package org.opencallback.testing;

import java.nio.file.Path;
import java.util.UUID;
import org.opencallback.store.Database;

/** A fresh database per call, migrated: in-memory H2, or a SQLite file in a test's directory. */
public final class TestDatabase {
  private TestDatabase() {}

  /** A new SQLite store in {@code dir} (a test's {@code @TempDir}: SQLite has no shared in-memory pool). */
  public static Database sqlite(Path dir) {
    return Database.open("jdbc:sqlite:" + dir.resolve("test-" + UUID.randomUUID() + ".sqlite"), null, null, 4);
  }

  public static Database h2() {
    return Database.open(
        "jdbc:h2:mem:test-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "", 4);
  }
}
