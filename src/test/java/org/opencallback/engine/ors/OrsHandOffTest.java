package org.opencallback.engine.ors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.opencallback.domain.Times;
import org.opencallback.testing.FakeReceiver;
import org.opencallback.testing.FakeReceiver.Reply;
import org.opencallback.testing.TestServer;
import org.opencallback.testing.TestServer.Response;

/**
 * What ORS receives is what admission resolved (issue 17): {@code $token$} values filled, only the
 * overrides {@code _overwritable_options} lists, the SCXML application the service names; and the
 * EWT of an ORS service comes from the operator's statistics URL.
 */
class OrsHandOffTest {
  private static final String BASE = "/genesys/1/service/callback/";
  private static final String START = "/scxml/session/start";
  private final FakeReceiver ors = FakeReceiver.start();
  private final AtomicInteger sessions = new AtomicInteger();
  private TestServer server;

  OrsHandOffTest() {
    ors.respond(request -> request.path().equals(START)
        ? Reply.ok("{\"sessionid\":\"S" + sessions.incrementAndGet() + "\"}")
        : Reply.ok("{}"));
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
    ors.close();
  }

  private void start(String callbackSection, String... services) {
    server = TestServer.start("callback:\n  _submit_retry_delay: 100ms\n" + callbackSection
        + String.join("", services) + "engine:\n  agents: 0\n");
  }

  private static String service(String name, String... lines) {
    return "service." + name + ":\n  _type: ors\n  _enable_in_queue_checking: false\n  _ors: URL\n"
        + String.join("", List.of(lines).stream().map(line -> "  " + line + "\n").toList());
  }

  private String ors(String services) {
    return services.replace("_ors: URL", "_ors: " + ors.url());
  }

  private Response post(String service, Map<String, Object> request) {
    return server.postJson(BASE + service, request);
  }

  private Map<String, String> lastSession() {
    List<FakeReceiver.Request> starts = ors.requests(START);
    assertThat(starts).isNotEmpty();
    return starts.get(starts.size() - 1).form();
  }

  @Test
  void the_gms_document_token_example_reaches_ors_filled() {
    start("", ors(service("Billing", "_service: http://apps/callback.scxml", "my_token_name: $my_token$",
        "_target: Billing@$my_token$.GA")));
    Response started = post("Billing", Map.of("_customer_number", "+15552230001", "my_token", "Stat_Server1"));
    assertThat(started.status()).as(started.body()).isEqualTo(200);

    assertThat(lastSession()).containsEntry("_target", "Billing@Stat_Server1.GA")
        .containsEntry("my_token_name", "Stat_Server1").containsEntry("src", "http://apps/callback.scxml")
        // the token's value is the request's own data too, sent as given
        .containsEntry("my_token", "Stat_Server1");
  }

  @Test
  void a_scheduled_callback_is_handed_over_later_with_the_options_resolved_when_it_was_admitted() {
    start("", ors(service("Billing", "_service: http://apps/callback.scxml", "_target: Billing@$my_token$.GA",
        "_request_execution_time_buffer: 0")));
    Response started = post("Billing", Map.of("_customer_number", "+15552230002", "my_token", "Stat_Server2",
        "_desired_time", Times.format(Instant.now().plusSeconds(2))));
    assertThat(started.status()).as(started.body()).isEqualTo(200);
    String id = String.valueOf(started.map().get("_id"));
    assertThat(server.get(BASE + "Billing/" + id).map()).containsEntry("_callback_state", "SCHEDULED");

    await().atMost(Duration.ofSeconds(15)).until(() -> !ors.requests(START).isEmpty());
    assertThat(lastSession()).containsEntry("_id", id).containsEntry("_target", "Billing@Stat_Server2.GA");
    // server-owned: the resolved options are not shown as (or taken from) the callback's properties
    assertThat(server.get(BASE + "Billing/" + id).map()).doesNotContainKeys("resolved_options", "_resolved_options");
  }

  @Test
  void request_keys_that_name_options_reach_ors_only_when_overwritable_options_lists_them() {
    start("", ors(service("Closed", "_service: http://apps/callback.scxml", "_target: Billing@Stat.GA",
            "_urs_virtual_queue: VQ_Sales", "_urs_vq_priority: 5")),
        ors(service("Open", "_service: http://apps/callback.scxml", "_target: Billing@Stat.GA",
            "_urs_virtual_queue: VQ_Sales", "_overwritable_options: _target,_urs_vq_priority")));
    Map<String, Object> request = Map.of("_customer_number", "+15552230003", "_target", "Sales@Other.GA",
        "_urs_virtual_queue", "VQ_Vip", "_urs_vq_priority", "999", "_wait_for_agent", "false", "CRM_ID", "c-9");

    assertThat(post("Closed", request).status()).isEqualTo(200);
    assertThat(lastSession()).containsEntry("_target", "Billing@Stat.GA").containsEntry("_urs_virtual_queue", "VQ_Sales")
        .containsEntry("_urs_vq_priority", "5").containsEntry("CRM_ID", "c-9").doesNotContainKey("_wait_for_agent");

    assertThat(post("Open", Map.of("_customer_number", "+15552230004", "_target", "Sales@Other.GA",
        "_urs_virtual_queue", "VQ_Vip", "_urs_vq_priority", "999")).status()).isEqualTo(200);
    assertThat(lastSession()).containsEntry("_target", "Sales@Other.GA").containsEntry("_urs_vq_priority", "999")
        .containsEntry("_urs_virtual_queue", "VQ_Sales");
  }

  @Test
  void an_overriding_priority_that_is_not_a_whole_number_is_refused_before_anything_is_stored() {
    start("", ors(service("Open", "_service: http://apps/callback.scxml", "_overwritable_options: _urs_vq_priority")));
    Response refused = post("Open", Map.of("_customer_number", "+15552230005", "_urs_vq_priority", "-99999999999"));
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.code()).isEqualTo(40010);
    assertThat(ors.requests(START)).isEmpty();
  }

  @Test
  void service_callback_runs_the_configured_callback_application_and_without_one_the_hand_off_fails() {
    start("  _max_ors_submit_attempts: 1\n", ors(service("Named", "_callback_scxml_url: http://apps/gms/main.scxml")),
        ors(service("Nameless")));
    assertThat(post("Named", Map.of("_customer_number", "+15552230006")).status()).isEqualTo(200);
    assertThat(lastSession()).containsEntry("src", "http://apps/gms/main.scxml");

    Response failed = post("Nameless", Map.of("_customer_number", "+15552230007"));
    assertThat(failed.status()).isEqualTo(500);
    assertThat(failed.code()).isEqualTo(50006);
    assertThat(ors.requests(START)).hasSize(1);
  }

  @Test
  void the_ewt_of_an_ors_service_comes_from_the_statistics_url_so_request_queue_time_stat_works() {
    try (FakeReceiver statistics = FakeReceiver.start()) {
      statistics.respond(request -> Reply.ok("{\"ewt\": 600}"));
      start("", ors(service("WithStat", "_service: http://apps/callback.scxml", "_request_execution_time_buffer: 0",
              "_request_queue_time_stat: ExpectedWaitTime", "_ewt_url: " + statistics.url() + "/ewt")),
          ors(service("NoStat", "_service: http://apps/callback.scxml", "_request_execution_time_buffer: 0",
              "_request_queue_time_stat: ExpectedWaitTime")));
      String inFiveMinutes = Times.format(Instant.now().plusSeconds(300));

      Response withStat = post("WithStat", Map.of("_customer_number", "+15552230008", "_desired_time", inFiveMinutes));
      assertThat(withStat.status()).as(withStat.body()).isEqualTo(200);
      // EWT 600 s > 5 minutes: immediate, the session starts now
      assertThat(server.get(BASE + "WithStat/" + withStat.map().get("_id")).map()).containsEntry("_callback_state", "QUEUED");
      assertThat(statistics.requests("/ewt")).isNotEmpty();
      assertThat(statistics.requests("/ewt").get(0).query()).contains("service=WithStat").contains("stat=ExpectedWaitTime");

      Response noStat = post("NoStat", Map.of("_customer_number", "+15552230009", "_desired_time", inFiveMinutes));
      assertThat(server.get(BASE + "NoStat/" + noStat.map().get("_id")).map()).containsEntry("_callback_state", "SCHEDULED");
    }
  }
}
