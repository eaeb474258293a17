package org.opencallback.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.opencallback.http.Api.body;
import static org.opencallback.http.Api.number;
import static org.opencallback.http.Api.path;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opencallback.testing.TestServer;
import org.opencallback.testing.TestServer.Response;

/** Concurrent requests on one callback: exactly one winner where it matters, never a 500, no lost update. */
class ConcurrencyTest {
  private static TestServer server;

  @BeforeAll
  static void startServer() {
    server = TestServer.start(Api.CONFIG);
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  /** Runs the tasks at once (released together by a latch) and returns their results in order. */
  private static <T> List<T> together(List<Callable<T>> tasks) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<T>> futures = new ArrayList<>();
      for (Callable<T> task : tasks) {
        futures.add(pool.submit(() -> {
          go.await();
          return task.call();
        }));
      }
      go.countDown();
      List<T> results = new ArrayList<>();
      for (Future<T> future : futures) {
        results.add(future.get(60, TimeUnit.SECONDS));
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void twenty_concurrent_cancels_have_exactly_one_winner() throws Exception {
    String id = Api.startScheduled(server, "Basic", number());
    List<Callable<Response>> cancels = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      cancels.add(() -> server.delete(path("Basic", id)));
    }

    List<Response> responses = together(cancels);

    assertThat(responses).filteredOn(r -> r.status() == 200).hasSize(1);
    for (Response loser : responses.stream().filter(r -> r.status() != 200).toList()) {
      Api.assertError(loser, 400, 40020);
      assertThat(loser.message()).isEqualTo("Request already cancelled or completed : [" + id + "]");
    }
    assertThat(Api.get(server, "Basic", id))
        .containsEntry("_callback_state", "COMPLETED")
        .containsEntry("_callback_reason", "CANCELLED");
    List<Map<String, Object>> history = server.get(path("Basic", id) + "/history").list();
    assertThat(history).extracting(h -> h.get("_callback_state")).containsExactly("SCHEDULED", "COMPLETED");
  }

  @Test
  void ten_concurrent_state_reports_never_answer_a_500() throws Exception {
    String id = Api.startQueued(server, "Basic", number());
    String[] states = {"ROUTING", "PROCESSING", "ROUTING", "COMPLETED", "PROCESSING", "QUEUED", "ROUTING",
        "PROCESSING", "COMPLETED", "ROUTING"};
    List<Callable<Response>> reports = new ArrayList<>();
    for (int i = 0; i < states.length; i++) {
      Map<String, Object> body = body("_callback_state", states[i], "_reason", "", "report" + i, i);
      reports.add(() -> server.putJson(path("Basic", id), body));
    }

    List<Response> responses = together(reports);

    for (Response response : responses) {
      assertThat(response.status()).as(response.body()).isIn(200, 400);
      if (response.status() == 400) {
        Api.assertError(response, 400, 40020);
      }
    }
    Map<String, Object> stored = Api.get(server, "Basic", id);
    assertThat(stored.get("_callback_state")).isIn("QUEUED", "ROUTING", "PROCESSING", "COMPLETED");
    List<Map<String, Object>> history = server.get(path("Basic", id) + "/history").list();
    assertThat(history.get(history.size() - 1).get("_callback_state")).isEqualTo(stored.get("_callback_state"));
  }

  @Test
  void ten_concurrent_property_reports_lose_no_update() throws Exception {
    String id = Api.startQueued(server, "Basic", number());
    List<Callable<Response>> reports = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      Map<String, Object> body = body("_callback_state", "ROUTING", "_reason", "", "key" + i, "value" + i);
      reports.add(() -> server.putJson(path("Basic", id), body));
    }

    List<Response> responses = together(reports);

    assertThat(responses).allSatisfy(r -> assertThat(r.status()).as(r.body()).isEqualTo(200));
    Map<String, Object> stored = Api.get(server, "Basic", id);
    assertThat(stored).containsEntry("_callback_state", "ROUTING");
    for (int i = 0; i < 10; i++) {
      assertThat(stored).containsEntry("key" + i, "value" + i);
    }
  }

  @Test
  void concurrent_cancel_and_completion_leave_one_final_outcome() throws Exception {
    String id = Api.startQueued(server, "Basic", number());
    List<Callable<Response>> requests = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      requests.add(() -> server.delete(path("Basic", id)));
      requests.add(
          () -> server.putJson(path("Basic", id),
              body("_callback_state", "COMPLETED", "_callback_reason", "AGENT_CONNECTED")));
    }

    List<Response> responses = together(requests);

    assertThat(responses).allSatisfy(r -> assertThat(r.status()).as(r.body()).isIn(200, 400));
    assertThat(responses).filteredOn(r -> r.status() == 200).hasSize(1);
    assertThat(Api.get(server, "Basic", id).get("_callback_reason")).isIn("CANCELLED", "AGENT_CONNECTED");
  }

  @Test
  void twenty_concurrent_starts_all_succeed_with_distinct_ids() throws Exception {
    List<String> numbers = new ArrayList<>();
    List<Callable<Response>> starts = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      String number = number();
      numbers.add(number);
      starts.add(() -> server.postJson(path("Basic"), body("_customer_number", number)));
    }

    List<Response> responses = together(starts);

    assertThat(responses).allSatisfy(r -> assertThat(r.status()).as(r.body()).isEqualTo(200));
    assertThat(responses.stream().map(r -> r.map().get("_id")).distinct()).hasSize(20);
    assertThat(numbers).allSatisfy(n -> assertThat(Api.lookupAll(server, n)).hasSize(1));
  }
}
