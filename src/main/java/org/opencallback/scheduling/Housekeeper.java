package org.opencallback.scheduling;

import org.opencallback.engine.CallbackReporter;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.opencallback.domain.Callback;
import org.opencallback.domain.CallbackState;
import org.opencallback.domain.CompletionReason;
import org.opencallback.store.CallbackStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends and purges expired callbacks. A callback is kept {@code _ttl} seconds after its desired time:
 * an active one still running then ends COMPLETED / FAIL_TIMEOUT_TTL; a COMPLETED one past its
 * expiration time is deleted with its history, once it has been completed for at least {@link
 * #KEEP_COMPLETED} (so that a timed-out callback's reason can still be read).
 *
 * <p>It also purges the bookkeeping tables (docs/reliability.md, "Every table and its purge"):
 * throttle counts and bookings whose day or slot ended more than {@link #KEEP_PAST} ago (a margin
 * for the time bucket around now and for clocks a little apart), and the rows of cluster nodes
 * silent for {@link #DEAD_NODE}.
 */
public final class Housekeeper {
  private static final Logger LOG = LoggerFactory.getLogger(Housekeeper.class);
  static final Duration KEEP_COMPLETED = Duration.ofHours(1);
  static final Duration KEEP_PAST = Duration.ofDays(1);
  static final Duration DEAD_NODE = Duration.ofDays(1);
  private static final int BATCH = 500;
  /** Most batches of one table per round, so that a round ends; the rest goes next round. */
  private static final int MAX_BATCHES = 100;

  private final CallbackStore store;
  private final CallbackReporter reports;
  private final Clock clock;

  public Housekeeper(CallbackStore store, CallbackReporter reports, Clock clock) {
    this.store = store;
    this.reports = reports;
    this.clock = clock;
  }

  /** One round; safe to call from any thread, never throws. */
  public void runOnce() {
    try {
      Instant now = clock.instant();
      List<Callback> expired = store.expiredActive(now, BATCH);
      for (Callback callback : expired) {
        reports.report(
            callback.id(), CallbackState.COMPLETED, CompletionReason.FAIL_TIMEOUT_TTL.name(), java.util.Map.of());
      }
      int purged;
      int total = 0;
      do {
        purged = store.purgeCompleted(now, now.minus(KEEP_COMPLETED), BATCH);
        total += purged;
      } while (purged == BATCH);
      if (!expired.isEmpty() || total > 0) {
        LOG.info("Housekeeping: {} callback(s) timed out, {} purged", expired.size(), total);
      }
      Instant past = now.minus(KEEP_PAST);
      int throttles = repeat(() -> store.purgeThrottleCounts(past, BATCH));
      int bookings = repeat(() -> store.purgeBookings(past, BATCH));
      int nodes = store.purgeDeadNodes(now.minus(DEAD_NODE));
      if (throttles + bookings + nodes > 0) {
        LOG.info("Housekeeping: {} throttle count(s), {} booking(s), {} dead node row(s) purged",
            throttles, bookings, nodes);
      }
    } catch (RuntimeException e) {
      LOG.error("Housekeeping round failed; it runs again next time", e);
    }
  }

  private static int repeat(java.util.function.IntSupplier batch) {
    int total = 0;
    for (int round = 0; round < MAX_BATCHES; round++) {
      int purged = batch.getAsInt();
      total += purged;
      if (purged < BATCH) {
        break;
      }
    }
    return total;
  }
}
