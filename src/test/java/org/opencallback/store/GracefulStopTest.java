package org.opencallback.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Stopping an executor without interrupting what runs in it, within a bound (Server.close and others). */
class GracefulStopTest {
  @Test
  void a_running_task_ends_uninterrupted_and_a_timer_waiting_for_its_time_does_not_hold_the_stop() throws Exception {
    ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1);
    CountDownLatch running = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicBoolean interrupted = new AtomicBoolean();
    AtomicBoolean timerRan = new AtomicBoolean();
    executor.schedule(() -> timerRan.set(true), 1, TimeUnit.HOURS);
    executor.execute(() -> {
      running.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        interrupted.set(true);
      }
    });
    assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
    // the task ends shortly after the stop began, from another thread
    Thread releaser = new Thread(release::countDown);

    long start = System.nanoTime();
    releaser.start();
    boolean clean = GracefulStop.stop(executor, Duration.ofSeconds(10));

    assertThat(clean).isTrue();
    assertThat(interrupted).isFalse();
    assertThat(timerRan).isFalse();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void a_task_stuck_past_the_bound_is_interrupted() throws Exception {
    ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1);
    CountDownLatch running = new CountDownLatch(1);
    CountDownLatch interrupted = new CountDownLatch(1);
    executor.execute(() -> {
      running.countDown();
      try {
        new CountDownLatch(1).await();
      } catch (InterruptedException e) {
        interrupted.countDown();
      }
    });
    assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();

    assertThat(GracefulStop.stop(executor, Duration.ofMillis(200))).isFalse();
    assertThat(interrupted.await(10, TimeUnit.SECONDS)).isTrue();
  }
}
