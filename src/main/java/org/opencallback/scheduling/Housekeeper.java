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
 */
public final class Housekeeper {
  private static final Logger LOG = LoggerFactory.getLogger(Housekeeper.class);
  static final Duration KEEP_COMPLETED = Duration.ofHours(1);
  private static final int BATCH = 500;

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
    } catch (RuntimeException e) {
      LOG.error("Housekeeping round failed; it runs again next time", e);
    }
  }
}
