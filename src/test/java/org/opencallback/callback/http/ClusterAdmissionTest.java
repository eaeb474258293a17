package org.opencallback.callback.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.opencallback.callback.http.Http.body;
import static org.opencallback.callback.http.Http.number;
import static org.opencallback.callback.http.Http.post;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opencallback.testing.TestPostgres;
import org.opencallback.testing.TestServer;
import org.opencallback.testing.TestServer.Response;

/**
 * Cluster-wide admission (issue 8 item 3): two nodes on one PostgreSQL database, requests released
 * together and spread over both race for the last places of a duplicate check, a queued limit, a
 * rate throttle, a parameter throttle and a time bucket; exactly the limit is admitted. Per-node
 * locks cannot do this; the advisory lock per service in the admission transaction does.
 */
class ClusterAdmissionTest {
  private static final int THREADS = 24;
  private static final String CONFIG = String.join("\n",
      "service.Strict:", "  _type: ors", "  _customer_lookup_keys: _customer_number,batch",
      "  _enable_in_queue_checking: strict",
      "service.Queued3:", "  _type: ors", "  _customer_lookup_keys: _customer_number,batch",
      "  _enable_in_queue_checking: false", "  _max_queued_callbacks_per_service: 3",
      "service.Rate5:", "  _type: ors", "  _customer_lookup_keys: _customer_number,batch",
      "  _enable_in_queue_checking: false", "  _throttle_callbacks_per_service_1: 5", "  _throttle_ttl_1: 300",
      "service.Param4:", "  _type: ors", "  _customer_lookup_keys: _customer_number,batch",
      "  _enable_in_queue_checking: false", "  _throttle_request_parameters_limit: 4",
      "service.Bucket2:", "  _type: ors", "  _customer_lookup_keys: _customer_number,batch",
      "  _enable_in_queue_checking: false", "  _business_hours_service: utc-hours",
      "  _request_time_bucket: 5", "  _max_request_by_time_bucket: 2",
      "service.utc-hours:", "  _type: builtin", "  _service: office-hours", "  _timezone: UTC",
      "  _bh_regular1: Mon-Fri 9:00-17:00",
      "engine:", "  agents: 0", "");

  private static TestServer one;
  private static TestServer two;

  @BeforeAll
  static void startNodes() {
    String url = TestPostgres.newDatabaseUrl();
    one = TestServer.start(CONFIG, "--db-url", url, "--node-id", "one");
    two = TestServer.start(CONFIG, "--db-url", url, "--node-id", "two");
  }

  @AfterAll
  static void stopNodes() {
    if (one != null) {
      one.close();
    }
    if (two != null) {
      two.close();
    }
  }

  private static void race(String service, int admitted, int status, int code, IntFunction<Map<String, Object>> request)
      throws Exception {
    String batch = UUID.randomUUID().toString();
    List<Callable<Response>> tasks = new ArrayList<>();
    for (int i = 0; i < THREADS; i++) {
      Map<String, Object> body = request.apply(i);
      body.put("batch", batch);
      TestServer node = i % 2 == 0 ? one : two;
      tasks.add(() -> post(node, service, body));
    }
    List<Response> responses = Http.together(tasks);
    assertThat(responses).filteredOn(r -> r.status() == 200).as(service).hasSize(admitted);
    for (Response refused : responses.stream().filter(r -> r.status() != 200).toList()) {
      assertThat(refused.status()).as(refused.body()).isEqualTo(status);
      assertThat(refused.code()).as(refused.body()).isEqualTo(code);
    }
    // both nodes see exactly the admitted callbacks
    for (TestServer node : List.of(one, two)) {
      assertThat(Http.lookup(node, service, "batch=" + batch)).as(service + " stored").hasSize(admitted);
    }
  }

  @Test
  void strict_duplicates_admit_one_across_nodes() throws Exception {
    String number = number();
    race("Strict", 1, 429, 40001, i -> body("_customer_number", number));
  }

  @Test
  void queued_limit_admits_three_across_nodes() throws Exception {
    race("Queued3", 3, 429, 40002, i -> body("_customer_number", number()));
  }

  @Test
  void rate_limit_admits_five_across_nodes() throws Exception {
    race("Rate5", 5, 429, 40003, i -> body("_customer_number", number()));
  }

  @Test
  void parameter_limit_admits_four_across_nodes() throws Exception {
    String number = number();
    race("Param4", 4, 429, 40004, i -> body("_customer_number", number));
  }

  @Test
  void bucket_capacity_admits_two_across_nodes() throws Exception {
    LocalDate tuesday = LocalDate.now(ZoneOffset.UTC).plusDays(2).with(TemporalAdjusters.nextOrSame(DayOfWeek.TUESDAY));
    Instant bucket = tuesday.atTime(10, 0).toInstant(ZoneOffset.UTC);
    race("Bucket2", 2, 400, 40051,
        i -> body("_customer_number", number(), "_desired_time", Http.iso(bucket.plusSeconds(i % 5 * 60L))));
  }
}
