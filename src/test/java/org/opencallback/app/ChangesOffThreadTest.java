package org.opencallback.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.opencallback.domain.Callback;
import org.opencallback.domain.CallbackListener;
import org.opencallback.domain.CallbackState;

class ChangesOffThreadTest {
  private static final Instant NOW = Instant.parse("2026-06-01T10:00:00Z");
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  private static Callback callback(int version) {
    return new Callback("id-" + version, "S", CallbackState.QUEUED, null, "+16175550100", NOW, NOW,
        NOW.plusSeconds(3600), null, Map.of(), true, version, NOW);
  }

  @Test
  void changes_are_told_in_order_on_another_thread_and_created_at_once() {
    List<String> told = new CopyOnWriteArrayList<>();
    Thread caller = Thread.currentThread();
    try (ChangesOffThread off = new ChangesOffThread(new CallbackListener() {
      @Override
      public void created(Callback callback) {
        told.add("created " + (Thread.currentThread() == caller));
      }

      @Override
      public void changed(Callback before, Callback after) {
        told.add("changed " + after.version() + " " + (Thread.currentThread() == caller));
      }
    }, "test-changes", registry)) {
      off.created(callback(1));
      assertThat(told).containsExactly("created true");
      for (int version = 2; version <= 50; version++) {
        off.changed(callback(version - 1), callback(version));
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> told.size() == 50);
      for (int version = 2; version <= 50; version++) {
        assertThat(told.get(version - 1)).isEqualTo("changed " + version + " false");
      }
    }
  }

  @Test
  void a_stalled_listener_never_blocks_the_reporter_and_what_does_not_fit_is_dropped_and_counted()
      throws InterruptedException {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch stalled = new CountDownLatch(1);
    try (ChangesOffThread off = new ChangesOffThread(new CallbackListener() {
      @Override
      public void changed(Callback before, Callback after) {
        stalled.countDown();
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }, "test-changes", registry)) {
      off.changed(callback(1), callback(2));
      assertThat(stalled.await(10, TimeUnit.SECONDS)).isTrue();
      // the listener holds one; the queue takes CAPACITY more; the next 5 are dropped at once
      for (int i = 0; i < ChangesOffThread.CAPACITY + 5; i++) {
        off.changed(callback(2), callback(3));
      }
      assertThat(registry.get("opencallback.listener.changes.dropped").tag("listener", "test-changes")
          .counter().count()).isEqualTo(5.0);
      release.countDown();
    }
  }

  @Test
  void a_change_after_the_stop_is_not_counted_as_a_slow_listener() {
    ChangesOffThread off = new ChangesOffThread(new CallbackListener() {}, "test-changes", registry);
    off.close();
    off.changed(callback(1), callback(2));
    assertThat(registry.get("opencallback.listener.changes.dropped").tag("listener", "test-changes")
        .counter().count()).isZero();
  }
}
