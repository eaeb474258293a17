package org.opencallback.callback.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.opencallback.callback.http.Http.body;
import static org.opencallback.callback.http.Http.number;
import static org.opencallback.callback.http.Http.post;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.opencallback.testing.EmbeddedStore;
import org.opencallback.testing.TestServer;
import org.opencallback.testing.TestServer.Response;

/**
 * Step 12 of docs/admission.md under load: N requests released together race for the last places;
 * exactly the limit is admitted, every other request is refused with the limit's code, and the store
 * holds exactly the admitted callbacks. Each round uses a fresh service and fresh numbers. Runs on
 * each embedded store (H2 and SQLite).
 */
@ParameterizedClass
@EnumSource(EmbeddedStore.class)
class AdmissionConcurrencyTest {
  private static final int ROUNDS = 3;
  private static final int THREADS = 24;

  private static TestServer server;
  /** The store this run's server uses (its start takes it as its argument). */
  @Parameter
  EmbeddedStore store;

  private static String config() {
    List<String> lines = new ArrayList<>();
    for (int round = 0; round < ROUNDS; round++) {
      service(lines, "Strict" + round, "_enable_in_queue_checking: strict");
      service(lines, "True" + round, "_enable_in_queue_checking: true");
      service(lines, "Queued3_" + round, "_enable_in_queue_checking: false", "_max_queued_callbacks_per_service: 3");
      service(lines, "Rate5_" + round, "_enable_in_queue_checking: false", "_throttle_callbacks_per_service_1: 5",
          "_throttle_ttl_1: 300");
      service(lines, "Param4_" + round, "_enable_in_queue_checking: false", "_throttle_request_parameters_limit: 4");
      service(lines, "Account4_" + round, "_enable_in_queue_checking: false",
          "_throttle_request_parameters: account", "_throttle_request_parameters_limit: 4");
    }
    lines.add("");
    return String.join("\n", lines);
  }

  private static void service(List<String> lines, String name, String... options) {
    lines.add("service." + name + ":");
    lines.add("  _type: ors");
    lines.add("  _customer_lookup_keys: _customer_number,batch");
    for (String option : options) {
      lines.add("  " + option);
    }
  }

  @BeforeParameterizedClassInvocation
  static void startServer(EmbeddedStore store) {
    server = TestServer.start(config() + "\nengine:\n  agents: 0\n", store.serverArgs());
  }

  @AfterParameterizedClassInvocation
  static void stopServer() {
    server.close();
  }

  /**
   * Sends THREADS start requests to the service at once (request i built by {@code request}, each
   * tagged with a batch id), then checks: exactly {@code admitted} 200s, every other answer the GMS
   * refusal {@code status}/{@code code}/{@code message}, and exactly {@code admitted} callbacks stored.
   */
  private static void race(String service, int admitted, int status, int code, String message,
      IntFunction<Map<String, Object>> request) throws Exception {
    String batch = UUID.randomUUID().toString();
    List<Callable<Response>> tasks = new ArrayList<>();
    for (int i = 0; i < THREADS; i++) {
      Map<String, Object> body = request.apply(i);
      body.put("batch", batch);
      tasks.add(() -> post(server, service, body));
    }

    List<Response> responses = Http.together(tasks);

    assertThat(responses).filteredOn(r -> r.status() == 200).as(service).hasSize(admitted);
    for (Response refused : responses.stream().filter(r -> r.status() != 200).toList()) {
      Http.assertError(refused, status, code, message);
    }
    List<Map<String, Object>> stored = Http.lookup(server, service, "batch=" + batch);
    assertThat(stored).as(service + " stored").hasSize(admitted);
    assertThat(stored).extracting(c -> c.get("_id")).doesNotHaveDuplicates()
        .containsExactlyInAnyOrderElementsOf(responses.stream().filter(r -> r.status() == 200)
            .map(r -> r.map().get("_id")).toList());
  }

  @Test
  void strict_duplicates_admit_exactly_one_of_many_same_number_requests() throws Exception {
    for (int round = 0; round < ROUNDS; round++) {
      String number = number();
      race("Strict" + round, 1, 429, 40001,
          "There is already 1 or more Callbacks QUEUED for this number, please refer to _enable_in_queue_checking"
              + " for detail.",
          i -> body("_customer_number", number));
    }
  }

  @Test
  void strict_duplicates_admit_exactly_one_scheduled_request() throws Exception {
    for (int round = 0; round < ROUNDS; round++) {
      String number = number();
      race("Strict" + round, 1, 429, 40001,
          "There is already 1 or more Callbacks QUEUED for this number, please refer to _enable_in_queue_checking"
              + " for detail.",
          i -> body("_customer_number", number, "_desired_time", Http.inTwoDays()));
    }
  }

  @Test
  void true_duplicates_admit_exactly_two_of_many_same_number_requests() throws Exception {
    for (int round = 0; round < ROUNDS; round++) {
      String number = number();
      race("True" + round, 2, 429, 40001,
          "There is already 2 or more Callbacks QUEUED for this number, please refer to _enable_in_queue_checking"
              + " for detail.",
          i -> body("_customer_number", number));
    }
  }

  @Test
  void queued_limit_admits_exactly_three() throws Exception {
    for (int round = 0; round < ROUNDS; round++) {
      String service = "Queued3_" + round;
      race(service, 3, 429, 40002, "Limit of queued callbacks for " + service + " is reached.",
          i -> body("_customer_number", number()));
    }
  }

  @Test
  void rate_limit_admits_exactly_five() throws Exception {
    for (int round = 0; round < ROUNDS; round++) {
      String service = "Rate5_" + round;
      race(service, 5, 429, 40003, "Limit of queued callbacks for " + service + " is reached for interval 300s.",
          i -> body("_customer_number", number()));
    }
  }

  @Test
  void parameter_limit_admits_exactly_four_for_one_number() throws Exception {
    for (int round = 0; round < ROUNDS; round++) {
      String service = "Param4_" + round;
      String number = number();
      race(service, 4, 429, 40004, "Limit of queued callbacks for " + service
              + " is reached for parameter _customer_number. Reached 4 times today.",
          i -> body("_customer_number", number));
    }
  }

  @Test
  void parameter_limit_admits_exactly_four_for_one_user_data_value() throws Exception {
    for (int round = 0; round < ROUNDS; round++) {
      String service = "Account4_" + round;
      String account = "ACC-" + round;
      race(service, 4, 429, 40004, "Limit of queued callbacks for " + service
              + " is reached for parameter account. Reached 4 times today.",
          i -> body("_customer_number", number(), "account", account));
    }
  }
}
