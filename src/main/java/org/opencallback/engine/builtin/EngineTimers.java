package org.opencallback.engine.builtin;

import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;

/**
 * The one timer structure of the engines' per-callback deadlines ({@code _ttl}, {@code
 * _urs_queued_ttl}, preview and dial timers, wrap-up, notification retries).
 *
 * <p>Bound: a {@link ScheduledThreadPoolExecutor} keeps a cancelled task in its queue until its
 * delay passes unless told otherwise, so a completed callback's two life timers (hours long) kept
 * its job and properties reachable for about a day. Here a cancelled task leaves the queue at once
 * ({@link ScheduledThreadPoolExecutor#setRemoveOnCancelPolicy}), so the queue holds only the timers
 * of callbacks the engine still holds, plus a few periodic tasks; {@link #tasks} shows its size
 * (metric {@code opencallback_engine_timer_tasks}).
 */
public final class EngineTimers {
  private EngineTimers() {}

  /** A timer pool whose cancelled tasks leave the queue at once. */
  public static ScheduledThreadPoolExecutor create(int threads, ThreadFactory threadFactory) {
    ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(threads, threadFactory);
    timers.setRemoveOnCancelPolicy(true);
    timers.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    return timers;
  }

  /** How many tasks wait in the pool's queue (scheduled and not cancelled). */
  public static int tasks(ScheduledThreadPoolExecutor timers) {
    return timers.getQueue().size();
  }
}
