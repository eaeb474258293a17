package org.opencallback.engine.builtin;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link BuiltinEngine}'s timers: a callback's phase timers (ignored once it has moved on), its
 * life timers, and decisions run soon on a timer thread; each decision runs under the engine's
 * lock. Thread-safe (the executor is; the rest is immutable).
 */
final class JobTimers {
  /** Logged as the engine, as before this class was split from it. */
  private static final Logger LOG = LoggerFactory.getLogger(BuiltinEngine.class);

  private final ScheduledExecutorService timers;
  /** Runs a decision under the engine's lock, unless the engine is closed. */
  private final Consumer<Runnable> actQuietly;
  /** Whether the engine still holds this callback (asked under its lock). */
  private final Predicate<Job> held;

  JobTimers(ScheduledExecutorService timers, Consumer<Runnable> actQuietly, Predicate<Job> held) {
    this.timers = timers;
    this.actQuietly = actQuietly;
    this.held = held;
  }

  /** Runs soon, under the engine's lock, on a timer thread (simulated agents' answers). */
  void later(Runnable decision) {
    try {
      timers.execute(() -> actQuietly.accept(decision));
    } catch (RejectedExecutionException e) {
      LOG.debug("Engine timers closed");
    }
  }

  /** A timer of the current phase: ignored once the callback has moved on. */
  void after(Job job, Duration delay, Runnable decision) {
    int epoch = job.epoch;
    job.phaseTimers.add(schedule(delay, () -> actQuietly.accept(() -> {
      if (held.test(job) && job.epoch == epoch) {
        decision.run();
      }
    })));
  }

  void lifeTimer(Job job, Runnable decision) {
    actQuietly.accept(() -> {
      if (held.test(job)) {
        decision.run();
      }
    });
  }

  ScheduledFuture<?> schedule(Duration delay, Runnable task) {
    long millis = Math.max(0, Math.min(delay.toMillis(), Duration.ofDays(3650).toMillis()));
    return timers.schedule(() -> {
      try {
        task.run();
      } catch (RuntimeException e) {
        LOG.error("Engine timer failed", e);
      }
    }, millis, TimeUnit.MILLISECONDS);
  }
}
