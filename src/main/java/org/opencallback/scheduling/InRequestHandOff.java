package org.opencallback.scheduling;

import dev.failsafe.Bulkhead;
import dev.failsafe.BulkheadFullException;
import dev.failsafe.Failsafe;
import dev.failsafe.function.CheckedRunnable;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The capacity of immediate starts' hand-offs, apart from the background chunks of due callbacks:
 * per service a bulkhead of {@link #PERMITS} attempts at once (Failsafe), each attempt retried with
 * the hand-off back-off up to {@code _max_ors_submit_attempts}. A burst of due callbacks on a slow
 * receiver fills the service's background pool, never this one.
 *
 * <p>An attempt that finds no permit within {@link #BUDGET} fails with {@link
 * BulkheadFullException} (nothing was sent: the caller hands the callback to the background path).
 *
 * <p>Thread-safe.
 */
final class InRequestHandOff implements AutoCloseable {
  /** Longest an immediate start waits for its hand-off (permit and retries included). */
  static final Duration BUDGET = Duration.ofSeconds(3);
  /** In-request hand-offs of one service running at once. */
  static final int PERMITS = 16;

  /** Bound: one bulkhead per service name handed over since the start (configured services). */
  private final Map<String, Bulkhead<Object>> bulkheads = new ConcurrentHashMap<>();
  /** Bound: at most {@link #PERMITS} busy threads per service (the bulkhead); idle ones end after 60 s. */
  private final ExecutorService threads = Executors.newCachedThreadPool(Dispatcher.daemon("submit-now"));

  /**
   * Starts the hand-off: {@code attempt} runs on this class's threads, within the service's
   * bulkhead, up to {@code maxAttempts} times while it throws.
   *
   * @return completes when the last attempt succeeded or failed (the cause is that attempt's
   *     exception, or {@link BulkheadFullException})
   */
  CompletableFuture<Void> start(String service, int maxAttempts, RetryPolicy backoff, CheckedRunnable attempt) {
    dev.failsafe.RetryPolicy<Object> retries = dev.failsafe.RetryPolicy.builder()
        .abortOn(BulkheadFullException.class)
        .withMaxAttempts(Math.max(1, maxAttempts))
        .withDelayFn(context -> backoff.delayAfter(Math.max(1, context.getAttemptCount())))
        .build();
    return Failsafe.with(retries).compose(bulkhead(service)).with(threads).runAsync(attempt);
  }

  private Bulkhead<Object> bulkhead(String service) {
    return bulkheads.computeIfAbsent(service, name -> Bulkhead.builder(PERMITS).withMaxWaitTime(BUDGET).build());
  }

  @Override
  public void close() {
    threads.shutdown();
    try {
      threads.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
