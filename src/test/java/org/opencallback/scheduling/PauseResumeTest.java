package org.opencallback.scheduling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.opencallback.domain.Times;
import org.opencallback.testing.FakeReceiver;
import org.opencallback.testing.TestServer;
import org.opencallback.testing.TestServer.Response;

/** Pausing and resuming a service loses no callback and runs none twice. */
class PauseResumeTest {
  private static final String BASE = "/genesys/1/service/callback/";
  private static final String ADMIN = "/genesys/1/admin/callback/services/";
  private static final Duration PATIENCE = Duration.ofSeconds(10);
  private TestServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private static String builtin(int agents) {
    return String.join("\n",
        "service.Sales:",
        "  _type: ors",
        "  _enable_in_queue_checking: false",
        "  _request_execution_time_buffer: 0",
        "engine:",
        "  agents: " + agents,
        "  ring_time: 100ms",
        "  talk_time: 100ms",
        "");
  }

  private String start(String service, Map<String, Object> request) {
    Response response = server.postJson(BASE + service, request);
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return String.valueOf(response.map().get("_id"));
  }

  private String state(String service, String id) {
    return String.valueOf(server.get(BASE + service + "/" + id).map().get("_callback_state"));
  }

  private void reload(String yaml) throws IOException {
    Files.writeString(server.configFile(), yaml + "\n" + TestServer.ADMIN_USERS);
  }

  @Test
  void admin_pause_holds_queued_and_due_callbacks_and_resume_runs_each_exactly_once() throws IOException {
    server = TestServer.start(builtin(0) + "\n" + TestServer.ADMIN_USERS).asAdmin();
    List<String> queued = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      queued.add(start("Sales", Map.of("_customer_number", "+1555333000" + i)));
    }
    String desired = Times.format(Instant.now().plusSeconds(2));
    List<String> scheduled = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      scheduled.add(start("Sales", Map.of("_customer_number", "+1555333010" + i, "_desired_time", desired)));
    }

    Response paused = server.postJson(ADMIN + "Sales/pause", Map.of());
    assertThat(paused.status()).isEqualTo(200);
    assertThat(paused.map()).containsEntry("service", "Sales").containsEntry("paused", true);
    await().atMost(PATIENCE).until(() -> queued.stream().allMatch(id -> state("Sales", id).equals("PAUSED")));
    String whilePaused = start("Sales", Map.of("_customer_number", "+15553330200"));
    assertThat(state("Sales", whilePaused)).isEqualTo("PAUSED");
    // due meanwhile, but the service is paused: they stay SCHEDULED
    await().pollDelay(Duration.ofSeconds(3)).atMost(PATIENCE).until(() -> true);
    assertThat(scheduled).allMatch(id -> state("Sales", id).equals("SCHEDULED"));

    assertThat(server.postJson(ADMIN + "Sales/resume", Map.of()).map()).containsEntry("paused", false);
    List<String> all = new ArrayList<>(queued);
    all.addAll(scheduled);
    all.add(whilePaused);
    await().atMost(PATIENCE).until(() -> all.stream().allMatch(id -> state("Sales", id).equals("QUEUED")));

    reload(builtin(2)); // agents arrive: every callback is worked once
    await().atMost(Duration.ofSeconds(30)).until(() -> all.stream().allMatch(id -> state("Sales", id).equals("COMPLETED")));
    for (String id : all) {
      assertThat(server.get(BASE + "Sales/" + id).map()).containsEntry("_callback_reason", "AGENT_CONNECTED");
      List<String> states = server.get(BASE + "Sales/" + id + "/history").list().stream()
          .map(entry -> String.valueOf(entry.get("_callback_state"))).toList();
      assertThat(states).as(id).containsOnlyOnce("ROUTING", "PROCESSING", "COMPLETED");
    }
  }

  @Test
  void the_gms_paused_services_list_pauses_a_webhook_service_live_without_loss_or_duplicates() throws IOException {
    try (FakeReceiver receiver = FakeReceiver.start()) {
      Function<String, String> config = pausedEntry -> String.join("\n",
          "service.Hook:",
          "  _type: ors",
          "  _execution: webhook",
          "  _webhook_url: " + receiver.url() + "/hook",
          "  _enable_in_queue_checking: false",
          "  _request_execution_time_buffer: 0",
          "  _paused_services_id: HOOKS",
          "GMS_Paused_Services:",
          "  services:",
          "    HOOKS: " + pausedEntry,
          "");
      server = TestServer.start(config.apply("false") + "\n" + TestServer.ADMIN_USERS).asAdmin();
      reload(config.apply("true"));
      await().atMost(PATIENCE).until(() -> Boolean.TRUE.equals(server.get(ADMIN + "Hook/pause").map().get("paused")));
      assertThat(server.get(ADMIN + "Hook/pause").map()).containsEntry("pausedByList", "GMS_Paused_Services")
          .containsEntry("pausedByAdmin", false);

      String immediate = start("Hook", Map.of("_customer_number", "+15553330300"));
      String due = start("Hook", Map.of("_customer_number", "+15553330301",
          "_desired_time", Times.format(Instant.now().plusSeconds(1))));
      assertThat(state("Hook", immediate)).isEqualTo("PAUSED");
      await().pollDelay(Duration.ofSeconds(2)).atMost(PATIENCE).until(() -> true);
      assertThat(state("Hook", due)).isEqualTo("SCHEDULED");
      assertThat(receiver.requests("/hook")).isEmpty();

      reload(config.apply("false"));
      await().atMost(PATIENCE).until(() -> receiver.requests("/hook").size() >= 2);
      await().pollDelay(Duration.ofSeconds(1)).atMost(PATIENCE).until(() -> true);
      Map<Object, Long> deliveries = receiver.requests("/hook").stream()
          .collect(Collectors.groupingBy(r -> r.json().get("_id"), Collectors.counting()));
      assertThat(deliveries).containsOnly(Map.entry(immediate, 1L), Map.entry(due, 1L));
      assertThat(state("Hook", immediate)).isEqualTo("QUEUED");
      assertThat(state("Hook", due)).isEqualTo("QUEUED");
    }
  }

  @Test
  void an_admin_pause_survives_a_restart_and_a_paused_callback_can_be_cancelled() {
    server = TestServer.start(builtin(0) + "\n" + TestServer.ADMIN_USERS).asAdmin();
    server.postJson(ADMIN + "Sales/pause", Map.of());
    String held = start("Sales", Map.of("_customer_number", "+15553330400"));
    String other = start("Sales", Map.of("_customer_number", "+15553330401"));
    assertThat(state("Sales", held)).isEqualTo("PAUSED");

    server.restart();
    assertThat(server.get(ADMIN + "Sales/pause").map()).containsEntry("paused", true).containsEntry("pausedByAdmin", true);
    await().pollDelay(Duration.ofMillis(1500)).atMost(PATIENCE).until(() -> true);
    assertThat(state("Sales", held)).isEqualTo("PAUSED");
    assertThat(server.delete(BASE + "Sales/" + other).status()).isEqualTo(200);

    server.postJson(ADMIN + "Sales/resume", Map.of());
    await().atMost(PATIENCE).until(() -> state("Sales", held).equals("QUEUED"));
    assertThat(state("Sales", other)).isEqualTo("COMPLETED");
    assertThat(server.delete(BASE + "Sales/" + held).status()).isEqualTo(200);
    assertThat(server.postJson(ADMIN + "Nope/pause", Map.of()).status()).isEqualTo(404);
  }
}
