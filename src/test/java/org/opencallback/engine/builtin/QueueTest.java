package org.opencallback.engine.builtin;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.opencallback.config.ServiceConfig;
import org.opencallback.engine.QueuePosition;
import org.opencallback.domain.Callback;
import org.opencallback.testing.MutableClock;

/** Virtual queues: order, shared queues, services served, position and EWT. */
class QueueTest {
  @Test
  void higher_priority_first_then_oldest_first() {
    try (Harness h = new Harness("agents: 0", "talk_time: 1h")) {
      ServiceConfig service = Harness.service("S");
      Callback first = h.submit(service, "+15559992001");
      // a request's priority reaches the engine as its resolved option (_overwritable_options allowed it)
      Callback urgent = h.submit(Harness.service("S", "_urs_vq_priority", "5"), "+15559992002");
      Callback second = h.submit(service, "+15559992003");
      assertThat(h.engine.position(urgent.id()).orElseThrow().position()).isEqualTo(1);
      assertThat(h.engine.position(first.id()).orElseThrow().position()).isEqualTo(2);
      assertThat(h.engine.position(second.id()).orElseThrow().position()).isEqualTo(3);
      h.realAgent("alice");
      org.awaitility.Awaitility.await().atMost(Harness.WAIT).until(() -> urgent.id().equals(h.agent("alice").callback()));
      assertThat(h.engine.position(first.id()).orElseThrow().position()).isEqualTo(1);
    }
  }

  @Test
  void extreme_priorities_keep_their_order_without_overflow() {
    try (Harness h = new Harness("agents: 0", "talk_time: 1h")) {
      // each request's priority reaches the engine as its resolved option (_overwritable_options allowed it)
      Callback lowest = h.submit(priority(Integer.MIN_VALUE), "+15559992011");
      Callback minusOne = h.submit(priority(-1), "+15559992012");
      Callback highest = h.submit(priority(Integer.MAX_VALUE), "+15559992013");
      Callback zero = h.submit(Harness.service("S"), "+15559992014");
      Callback almostLowest = h.submit(priority(Integer.MIN_VALUE + 1), "+15559992015");
      assertThat(h.engine.position(highest.id()).orElseThrow().position()).isEqualTo(1);
      assertThat(h.engine.position(zero.id()).orElseThrow().position()).isEqualTo(2);
      assertThat(h.engine.position(minusOne.id()).orElseThrow().position()).isEqualTo(3);
      assertThat(h.engine.position(almostLowest.id()).orElseThrow().position()).isEqualTo(4);
      assertThat(h.engine.position(lowest.id()).orElseThrow().position()).isEqualTo(5);
    }
  }

  @Test
  void a_huge_increment_saturates_instead_of_wrapping() {
    MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
    try (Harness h = new Harness(clock, null, "agents: 0")) {
      ServiceConfig fixed = Harness.service("F", "_urs_virtual_queue", "VQ", "_urs_vq_priority", "15");
      // the request's priority reaches the engine as its resolved option (_overwritable_options allowed it)
      Callback fast = h.submit(Harness.service("G", "_urs_virtual_queue", "VQ",
          "_urs_vq_priority_increment", String.valueOf(Integer.MAX_VALUE), "_urs_vq_priority_increment_interval", "1",
          "_urs_vq_priority", String.valueOf(Integer.MAX_VALUE)), "+15559992016");
      Callback vip = h.submit(fixed, "+15559992017");
      clock.advance(Duration.ofDays(365 * 100));
      assertThat(h.engine.position(fast.id()).orElseThrow().position()).isEqualTo(1);
      assertThat(h.engine.position(vip.id()).orElseThrow().position()).isEqualTo(2);
    }
  }

  @Test
  void priority_grows_with_time_in_queue() {
    MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
    try (Harness h = new Harness(clock, null, "agents: 0")) {
      ServiceConfig growing = Harness.service("G", "_urs_virtual_queue", "VQ",
          "_urs_vq_priority_increment", "10", "_urs_vq_priority_increment_interval", "60");
      ServiceConfig fixed = Harness.service("F", "_urs_virtual_queue", "VQ", "_urs_vq_priority", "15");
      Callback old = h.submit(growing, "+15559992004");
      clock.advance(Duration.ofSeconds(119));
      Callback vip = h.submit(fixed, "+15559992005");
      assertThat(h.engine.position(vip.id()).orElseThrow().position()).isEqualTo(1);
      clock.advance(Duration.ofSeconds(1)); // two increments: 20 > 15
      assertThat(h.engine.position(old.id()).orElseThrow().position()).isEqualTo(1);
      assertThat(h.engine.position(vip.id()).orElseThrow().queue()).isEqualTo("VQ");
    }
  }

  @Test
  void services_sharing_a_virtual_queue_share_positions_and_agents_take_only_their_services() {
    try (Harness h = new Harness("agents: 0")) {
      ServiceConfig a = Harness.service("A", "_urs_virtual_queue", "Shared");
      ServiceConfig b = Harness.service("B", "_urs_virtual_queue", "Shared");
      Callback fromA = h.submit(a, "+15559992006");
      Callback fromB = h.submit(b, "+15559992007");
      assertThat(h.engine.position(fromB.id()).orElseThrow()).extracting(QueuePosition::queue, QueuePosition::position)
          .containsExactly("Shared", 2);
      Harness.Events bOnly = h.realAgent("bob", "B");
      assertThat(bOnly.await(AgentEvent.CONNECTED).data()).containsEntry("_id", fromB.id());
      h.awaitCompleted(fromB, "AGENT_CONNECTED");
      assertThat(h.engine.position(fromA.id()).orElseThrow().position()).isEqualTo(1);
    }
  }

  @Test
  void ewt_comes_from_handle_times_and_the_agents_serving_the_queue() {
    try (Harness h = new Harness("agents: 0", "ring_time: 1s", "talk_time: 9s")) {
      ServiceConfig service = Harness.service("S");
      assertThat(h.engine.ewt(service)).isEqualTo(Duration.ofSeconds(10)); // no agent: as if one
      Callback one = h.submit(service, "+15559992008");
      Callback two = h.submit(service, "+15559992009");
      assertThat(h.engine.position(two.id()).orElseThrow().ewt()).isEqualTo(Duration.ofSeconds(20));
      h.engine.login("alice", "Alice", java.util.List.of());
      h.engine.login("bob", "Bob", java.util.List.of());
      // two agents logged in (not ready): the queue drains twice as fast
      assertThat(h.engine.position(two.id()).orElseThrow().ewt()).isEqualTo(Duration.ofSeconds(10));
      assertThat(h.engine.position(one.id()).orElseThrow().ewt()).isEqualTo(Duration.ofSeconds(5));
      assertThat(h.engine.ewt(service)).isEqualTo(Duration.ofSeconds(15));
    }
  }

  @Test
  void ewt_is_zero_while_a_ready_agent_is_free_for_it() {
    try (Harness h = new Harness("agents: 2")) {
      assertThat(h.engine.ewt(Harness.service("S"))).isZero();
    }
  }

  @Test
  void measured_handle_times_replace_the_default() {
    try (Harness h = new Harness("agents: 1", "ring_time: 10ms", "talk_time: 100ms")) {
      ServiceConfig service = Harness.service("S");
      Callback done = h.submit(service, "+15559992010");
      h.awaitCompleted(done, "AGENT_CONNECTED");
      h.engine.notReady("sim-1", "test");
      Duration ewt = h.engine.ewt(service);
      assertThat(ewt).isBetween(Duration.ofMillis(100), Duration.ofSeconds(2));
    }
  }

  private static ServiceConfig priority(int priority) {
    return Harness.service("S", "_urs_vq_priority", String.valueOf(priority));
  }
}
