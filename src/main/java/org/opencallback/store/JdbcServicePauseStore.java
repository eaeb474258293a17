package org.opencallback.store;

import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.Set;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;

/** {@link ServicePauseStore} in the table {@code paused_service}. Thread-safe. */
public final class JdbcServicePauseStore implements ServicePauseStore {
  private final Jdbi jdbi;
  /** Reads (every dispatcher load and housekeeping round): on SQLite a reader, never the one writer. */
  private final Jdbi reads;
  private final Clock clock;

  public JdbcServicePauseStore(DataSource dataSource, Clock clock) {
    this(dataSource, dataSource, clock);
  }

  /**
   * @param readers where {@link #paused} reads: on SQLite the read-only pool, so that the periodic
   *     read never waits behind the single writer (it timed out after 10 s in the soak while the
   *     writer was busy with creates)
   */
  public JdbcServicePauseStore(DataSource dataSource, DataSource readers, Clock clock) {
    this.jdbi = Jdbi.create(dataSource);
    this.reads = Jdbi.create(readers);
    this.clock = clock;
  }

  @Override
  public Set<String> paused() {
    return reads.withHandle(handle -> new LinkedHashSet<>(
        handle.createQuery("SELECT service FROM paused_service ORDER BY service").mapTo(String.class).list()));
  }

  @Override
  public void set(String service, boolean paused) {
    jdbi.useTransaction(handle -> {
      handle.createUpdate("DELETE FROM paused_service WHERE service = :service").bind("service", service).execute();
      if (paused) {
        handle.createUpdate("INSERT INTO paused_service (service, paused_at) VALUES (:service, :at)")
            .bind("service", service)
            .bind("at", clock.millis())
            .execute();
      }
    });
  }
}
