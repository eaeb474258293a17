package org.opencallback.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.opencallback.store.Database;
import org.opencallback.store.NodeStore;
import org.opencallback.testing.TestPostgres;

/**
 * Fenced leases (issue 16 item 5, docs/cluster.md) on embedded PostgreSQL: a node cut off from the
 * database stops (is fenced) before another node may take its callbacks over, by the database's
 * clock; a short blip fences nobody; a node that comes back resumes, or joins afresh when its lease
 * was taken.
 */
class ClusterFencingTest {
  private static final Duration LEASE = Duration.ofSeconds(2);
  private static final Duration HEARTBEAT = Duration.ofMillis(200);

  /** Counts fences and resumes, with the monotonic time of the first fence. */
  static final class Recorder implements ClusterMembership.Fence {
    final AtomicInteger fences = new AtomicInteger();
    final AtomicInteger resumes = new AtomicInteger();
    final AtomicLong firstFence = new AtomicLong();

    @Override
    public void fence() {
      firstFence.compareAndSet(0, System.nanoTime());
      fences.incrementAndGet();
    }

    @Override
    public void resume() {
      resumes.incrementAndGet();
    }
  }

  @Test
  void a_node_whose_database_goes_silent_fences_itself_before_another_may_take_over_then_joins_afresh()
      throws Exception {
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    try (Database database = TestPostgres.database()) {
      CutOffDataSource cable = new CutOffDataSource(database.dataSource());
      NodeStore seenByA = new NodeStore(database.dataSource());
      ClusterMembership b = new ClusterMembership(new NodeStore(cable), "b", LEASE, HEARTBEAT);
      b.join();
      Recorder recorder = new Recorder();
      b.start(timer, null, recorder);
      await().atMost(Duration.ofSeconds(5)).until(() -> !b.fenced());
      recorder.fences.set(0);
      recorder.resumes.set(0);
      recorder.firstFence.set(0);
      String instanceBefore = seenByA.node("b").orElseThrow().instance();

      // a black hole: b's heartbeat hangs on its connection, no error ever comes back
      cable.cut(CutOffDataSource.Mode.HANG);
      long cutAt = System.nanoTime();
      long takenAt = 0;
      while (takenAt == 0) {
        // node a tries to take b over as fast as it can; the database's clock decides
        seenByA.takeOver("b", "a", LEASE.toMillis());
        if (seenByA.node("b").isEmpty()) {
          takenAt = System.nanoTime();
        }
        assertThat(System.nanoTime() - cutAt).as("taken over within a few leases").isLessThan(10 * LEASE.toNanos());
      }

      assertThat(recorder.fences.get()).isEqualTo(1);
      long fencedAt = recorder.firstFence.get();
      assertThat(fencedAt).as("fenced before the take-over").isPositive().isLessThan(takenAt);
      // the margin: a third of the lease here, less the watchdog's period and scheduling slack
      assertThat(Duration.ofNanos(takenAt - fencedAt)).isGreaterThan(Duration.ofMillis(400));
      assertThat(b.fenced()).isTrue();

      // the database answers again: b finds its lease taken, joins under a new instance, resumes
      cable.restore();
      await().atMost(Duration.ofSeconds(5)).until(() -> recorder.resumes.get() == 1);
      assertThat(b.fenced()).isFalse();
      assertThat(seenByA.node("b")).hasValueSatisfying(row -> assertThat(row.instance()).isNotEqualTo(instanceBefore));
      assertThat(recorder.fences.get()).isEqualTo(1);
      b.close();
    } finally {
      timer.shutdownNow();
    }
  }

  @Test
  void refused_connections_fence_the_node_and_it_resumes_with_its_lease_when_nobody_took_it() throws Exception {
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    try (Database database = TestPostgres.database()) {
      CutOffDataSource cable = new CutOffDataSource(database.dataSource());
      NodeStore seenByOthers = new NodeStore(database.dataSource());
      ClusterMembership b = new ClusterMembership(new NodeStore(cable), "b", LEASE, HEARTBEAT);
      b.join();
      Recorder recorder = new Recorder();
      b.start(timer, null, recorder);
      await().atMost(Duration.ofSeconds(5)).until(() -> !b.fenced());
      recorder.fences.set(0);
      recorder.resumes.set(0);
      recorder.firstFence.set(0);
      String instance = seenByOthers.node("b").orElseThrow().instance();

      cable.cut(CutOffDataSource.Mode.REFUSE);
      await().atMost(Duration.ofSeconds(5)).until(() -> recorder.fences.get() == 1);
      // fenced, yet its lease has not run out: nobody may take it over yet
      assertThat(seenByOthers.deadNodes("a", LEASE.toMillis())).doesNotContain("b");
      cable.restore();

      await().atMost(Duration.ofSeconds(5)).until(() -> recorder.resumes.get() == 1);
      assertThat(seenByOthers.node("b")).hasValueSatisfying(row -> assertThat(row.instance()).isEqualTo(instance));
      b.close();
    } finally {
      timer.shutdownNow();
    }
  }

  @Test
  void a_blip_shorter_than_the_margin_fences_nobody() throws Exception {
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    try (Database database = TestPostgres.database()) {
      CutOffDataSource cable = new CutOffDataSource(database.dataSource());
      ClusterMembership b = new ClusterMembership(new NodeStore(cable), "b", LEASE, HEARTBEAT);
      b.join();
      Recorder recorder = new Recorder();
      b.start(timer, null, recorder);
      await().atMost(Duration.ofSeconds(5)).until(() -> !b.fenced());
      recorder.fences.set(0);
      recorder.resumes.set(0);
      recorder.firstFence.set(0);
      NodeStore seen = new NodeStore(database.dataSource());
      long before = seen.node("b").orElseThrow().heartbeatAt();

      cable.cut(CutOffDataSource.Mode.REFUSE);
      await().pollDelay(Duration.ofMillis(500)).atMost(Duration.ofSeconds(1)).until(() -> true);
      cable.restore();
      await().atMost(Duration.ofSeconds(2)).until(() -> seen.node("b").orElseThrow().heartbeatAt() > before + 500);

      assertThat(recorder.fences.get()).isZero();
      b.close();
    } finally {
      timer.shutdownNow();
    }
  }

  /**
   * Between joining and {@code start} a node builds its engines and recovers what it owns, which on
   * a loaded machine or with many callbacks takes longer than a lease: it heartbeats from the join
   * on, so that nobody takes it over meanwhile (and dials what it is recovering a second time).
   */
  @Test
  void a_node_heartbeats_from_its_join_on_while_it_is_still_starting() throws Exception {
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    try (Database database = TestPostgres.database()) {
      NodeStore others = new NodeStore(database.dataSource());
      ClusterMembership b = new ClusterMembership(new NodeStore(database.dataSource()), "b", LEASE, HEARTBEAT);
      b.join(timer);
      long joined = System.nanoTime();
      // three leases of a slow start: nobody may take b over
      while (System.nanoTime() - joined < 3 * LEASE.toNanos()) {
        assertThat(others.takeOver("b", "a", LEASE.toMillis())).isEmpty();
        assertThat(others.node("b")).as("b's lease is held during its start").isPresent();
        await().pollDelay(Duration.ofMillis(100)).atMost(Duration.ofSeconds(1)).until(() -> true);
      }
      assertThat(b.fenced()).isFalse();
      Recorder recorder = new Recorder();
      b.start(timer, null, recorder);
      assertThat(recorder.fences.get()).isZero();
      b.close();
    } finally {
      timer.shutdownNow();
    }
  }

  @Test
  void the_fence_comes_a_margin_before_the_lease_runs_out() {
    assertThat(ClusterMembership.fenceAfter(Duration.ofSeconds(15), Duration.ofSeconds(3)))
        .isEqualTo(Duration.ofSeconds(10));
    // a lease of two heartbeats: one late heartbeat does not fence, the margin is half a heartbeat
    assertThat(ClusterMembership.fenceAfter(Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .isEqualTo(Duration.ofMillis(1500));
  }
}
