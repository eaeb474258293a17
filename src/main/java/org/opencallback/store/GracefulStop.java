package org.opencallback.store;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Stops an executor whose tasks may be inside the store without interrupting them first. An
 * interrupt that reaches a thread in H2's file I/O closes H2's file channel ({@code
 * ClosedByInterruptException}): H2 is then closed for every connection, and the commit in flight
 * and any after it are lost (docs/reliability.md "Stopping"). So: no new tasks, wait up to a bound
 * for those running to end, and only then interrupt what is still running (a task stuck past the
 * bound, which an interrupt is the only way to end).
 */
public final class GracefulStop {
  /** How long a stop waits for running tasks by default: a housekeeping batch or a hand-off. */
  public static final Duration BOUND = Duration.ofSeconds(5);

  private GracefulStop() {}

  /**
   * Stops {@code executor}: periodic tasks and timers that have not started are dropped (for an
   * executor from {@code Executors.newSingleThreadScheduledExecutor}, which hides its policy, a
   * timer due within the bound still runs), tasks already queued run, running ones may finish within
   * {@code bound}, then the rest is interrupted.
   *
   * @return true if every task ended without an interrupt
   */
  public static boolean stop(ExecutorService executor, Duration bound) {
    if (executor instanceof ScheduledThreadPoolExecutor timers) {
      // a timer waiting for its time is dropped, as a periodic task is (the JDK would run it at its time)
      timers.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }
    executor.shutdown();
    try {
      if (executor.awaitTermination(bound.toMillis(), TimeUnit.MILLISECONDS)) {
        return true;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    executor.shutdownNow();
    return false;
  }
}
