package org.opencallback.longrun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.opencallback.testing.FakeReceiver;
import org.opencallback.testing.Gms;
import org.opencallback.testing.MutableClock;
import org.opencallback.testing.TestServer;
import org.opencallback.testing.TestServer.Response;

/**
 * Issue 16, hand-off that never lies: immediate starts have their own capacity, apart from a burst
 * of due callbacks on a slow webhook receiver; an in-request hand-off without an answer in time is
 * an unknown outcome (200, stays QUEUED), never SUBMIT_FAILED; nothing is delivered twice, and
 * every delivery carries the callback id as its idempotency key.
 */
class HandOffUnderBurstTest {
  private static final AtomicLong NUMBERS = new AtomicLong(2_000_000);
  private final FakeReceiver receiver = FakeReceiver.start();
  private TestServer server;

  @AfterEach
  void close() {
    if (server != null) {
      server.close();
    }
    receiver.close();
  }

  private static String config(String hook) {
    return String.join("\n",
        "service.S:",
        "  _type: ors",
        "  _execution: webhook",
        "  _webhook_url: " + hook,
        "  _webhook_timeout: 10",
        "  _enable_in_queue_checking: false",
        "  _request_execution_time_buffer: 0",
        "  _max_request_by_time_bucket: 100000",
        "  _throttle_ttl_1: 0",
        "  _throttle_ttl_2: 0",
        "  _throttle_customer_number_limit: 1000000",
        "  _throttle_request_parameters_limit: 1000000",
        "");
  }

  private static String number() {
    return "+1617" + NUMBERS.incrementAndGet();
  }

  /** Answers 200 after {@code millis}: a slow receiver. */
  private void slowReceiver(long millis) {
    receiver.respond(request -> {
      try {
        Thread.sleep(millis); // the receiver's own processing time
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return FakeReceiver.Reply.ok("{}");
    });
  }

  /** Runs the tasks on a few threads (a loaded machine answers 200 at once too slowly). */
  private static <T> List<T> inParallel(List<Callable<T>> tasks, int threads) throws Exception {
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
    try {
      List<T> results = new ArrayList<>();
      for (java.util.concurrent.Future<T> future : pool.invokeAll(tasks)) {
        results.add(future.get());
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }

  private List<String> deliveredIds() {
    return receiver.requests("/hook").stream().map(request -> String.valueOf(request.json().get("_id"))).toList();
  }

  @Test
  void immediate_starts_during_a_burst_of_due_callbacks_on_a_slow_receiver_all_succeed_once() throws Exception {
    slowReceiver(500);
    // the server's clock is moved to 09:00 once the 200 are stored, however long storing them took
    MutableClock clock = new MutableClock(Instant.now());
    server = TestServer.start(config(receiver.url() + "/hook"), clock);
    Instant due = clock.instant().plusSeconds(300);
    List<Callable<String>> scheduled = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      scheduled.add(() -> Gms.start(server, "S", Gms.body("_customer_number", number(), "_desired_time", Gms.iso(due))));
    }
    List<String> scheduledIds = inParallel(scheduled, 8);
    clock.set(due);
    // the burst is being handed over: the receiver is busy with it
    await().atMost(Duration.ofSeconds(60)).until(() -> receiver.requests("/hook").size() >= 8);

    List<Callable<Response>> immediate = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      immediate.add(() -> server.postJson(Gms.path("S"), Gms.body("_customer_number", number())));
    }
    List<Response> answers = Gms.together(immediate);

    assertThat(answers).extracting(Response::status).as(answers.toString()).containsOnly(200);
    Set<String> all = new HashSet<>(scheduledIds);
    answers.forEach(answer -> all.add(String.valueOf(answer.map().get("_id"))));
    assertThat(all).hasSize(220);
    await().atMost(Duration.ofSeconds(120)).until(() -> new HashSet<>(deliveredIds()).containsAll(all));
    List<String> delivered = deliveredIds();
    assertThat(delivered).as("delivered twice").doesNotHaveDuplicates();
    for (String id : all) {
      assertThat(Gms.get(server, "S", id)).as(id).containsEntry("_callback_state", "QUEUED");
    }
    assertThat(receiver.requests("/hook")).allSatisfy(request ->
        assertThat(request.header("Idempotency-Key")).isEqualTo(String.valueOf(request.json().get("_id"))));
  }

  @Test
  void a_receiver_slower_than_the_request_but_within_the_engine_timeout_gets_the_callback_once_and_the_client_200() {
    slowReceiver(4_500); // over the 3 s in-request budget, within _webhook_timeout 10 s
    server = TestServer.start(config(receiver.url() + "/hook"));

    Response answer = server.postJson(Gms.path("S"), Gms.body("_customer_number", number()));

    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    String id = String.valueOf(answer.map().get("_id"));
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(Gms.get(server, "S", id)).containsKey("_webhook_delivered_at"));
    Map<String, Object> callback = Gms.get(server, "S", id);
    assertThat(callback).containsEntry("_callback_state", "QUEUED");
    assertThat(deliveredIds()).containsExactly(id);
  }
}
