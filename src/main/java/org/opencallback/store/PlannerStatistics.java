package org.opencallback.store;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the planner's statistics fresh on a database that does not do it itself (SQLite, {@link
 * Dialect#refreshStatistics}): after every {@value #WRITES_BETWEEN} rows written and after each
 * purge that deleted rows. SQLite's {@code PRAGMA optimize} then analyses only the tables whose size
 * changed several times over since their last analysis, on a bounded sample: a no-op costing
 * microseconds most times, milliseconds when it analyses. (Why at all: without statistics SQLite
 * plans a number lookup as a scan of the service's callbacks, 0.8 s at a million stored.)
 *
 * <p>Thread-safe; one refresh at a time. Called by the writing thread after its commit, never inside
 * a transaction: on SQLite's one writer connection it would wait for itself.
 */
final class PlannerStatistics {
  /** Rows written between two refreshes: a few seconds of creates at full speed. */
  static final long WRITES_BETWEEN = 10_000;
  private static final Logger LOG = LoggerFactory.getLogger(PlannerStatistics.class);

  private final Jdbi writer;
  private final String refresh;
  private final AtomicLong written = new AtomicLong();
  private final AtomicBoolean running = new AtomicBoolean();
  private final AtomicLong refreshes = new AtomicLong();

  PlannerStatistics(Jdbi writer, Dialect dialect) {
    this.writer = writer;
    this.refresh = dialect.refreshStatistics();
  }

  /** Counts rows written; refreshes once enough were. */
  void wrote(long rows) {
    if (refresh != null && rows > 0 && written.addAndGet(rows) >= WRITES_BETWEEN) {
      refreshNow();
    }
  }

  /** After a purge: a store that shrank much is planned with its new size. */
  void purged(long rows) {
    if (refresh != null && rows > 0) {
      refreshNow();
    }
  }

  /** Refreshes done since start (for tests). */
  long refreshes() {
    return refreshes.get();
  }

  private void refreshNow() {
    if (!running.compareAndSet(false, true)) {
      return;
    }
    try {
      written.set(0);
      writer.useHandle(handle -> handle.execute(refresh));
      refreshes.incrementAndGet();
    } catch (RuntimeException e) {
      // statistics are an optimisation: the write that triggered this has committed already
      LOG.warn("Refreshing the planner's statistics failed: {}", e.toString());
    } finally {
      running.set(false);
    }
  }
}
