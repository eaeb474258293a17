package org.opencallback.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencallback.config.ConfigWatcher;
import org.opencallback.config.IgnoredOptions;
import org.opencallback.engine.ServiceEngines;
import org.opencallback.testing.ForkedServer;
import org.opencallback.testing.LogLines;
import org.opencallback.testing.TestServer;

/**
 * Issue 17: nothing is simulated unless the configuration asks, the start-up log says where each
 * service's callbacks go, an unknown engine refuses the configuration, and ignored options are named.
 */
class NoSilentSimulatorTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String AGENTS = "/genesys/1/engine/agents";

  /**
   * A GMS callback service as a GMS service template provisions it (option names and template values
   * from the GMS option reference in shared/seed): reaches ORS through application connections, so no
   * {@code _ors}; a few options have empty values, as templates do.
   */
  static final String GMS_TEMPLATE = String.join("\n",
      "callback:",
      "  _enable_gms_dfm: true",
      "  queue-polling-rate: 5",
      "service.Sales:",
      "  _type: ors",
      "  _service: callback",
      "  _call_direction: USERTERMINATED",
      "  _wait_for_agent: true",
      "  _target: Billing@StatServer.GA",
      "  _urs_virtual_queue: Sales_VQ",
      "  _urs_prioritization_strategy: WaitForTarget",
      "  _ttl: 86400",
      "  _request_execution_time_buffer: 120",
      "  _queue_poll_period: '-120,120'",
      "  _queue_ping_ors_period: '-120,-2'",
      "  _queue_poll_period_recovery: '-1440,-120'",
      "  _enable_status_notification: 'false'",
      "  _provider_name: ''",
      "  _treatment_waiting_for_agent: ''",
      "  _rep_userevent_enable: false",
      "  _max_dial_attempts: 3",
      "");

  @Test
  void a_gms_service_without_engine_settings_completes_nothing_by_itself_and_is_named_at_start() {
    TestServer server;
    List<String> engines;
    List<String> ignored;
    try (LogLines engineLog = new LogLines(ServiceEngines.class); LogLines optionLog = new LogLines(IgnoredOptions.class)) {
      server = TestServer.startAsWritten(GMS_TEMPLATE, Clock.systemUTC());
      engines = engineLog.lines();
      ignored = optionLog.lines();
    }
    try (server) {
      assertThat(engines).anySatisfy(line -> assertThat(line)
          .startsWith("WARN Service Sales (_type: ors) has no ORS address and the configuration has no engine section")
          .contains("set _ors").contains("_execution: webhook with _webhook_url").contains("engine: {agents: N}"));
      assertThat(engines).anySatisfy(line -> assertThat(line)
          .startsWith("INFO Service Sales: engine builtin, hand-offs to the built-in queue, for real agents").doesNotContain("SIMULATED"));
      assertThat(engines).anySatisfy(line -> assertThat(line)
          .startsWith("WARN Service Sales runs on the builtin engine, which does not act on")
          .contains("_call_direction").contains("_target").contains("_urs_prioritization_strategy")
          .doesNotContain("_urs_virtual_queue").doesNotContain("_treatment_waiting_for_agent"));
      // one warning for the load, naming every ignored option set (empty values are not set)
      assertThat(ignored).hasSize(1);
      assertThat(ignored.get(0)).startsWith("WARN Configuration ").contains("sets 6 option(s)")
          .contains("[callback] _enable_gms_dfm, queue-polling-rate")
          .contains("[service.Sales] _queue_poll_period, _queue_ping_ors_period, _queue_poll_period_recovery,"
              + " _enable_status_notification")
          .doesNotContain("_provider_name").doesNotContain("_target");

      String id = Api.startQueued(server, "Sales", Api.number());
      assertThat(server.get(AGENTS).list()).as("no simulated agents").isEmpty();
      await().during(Duration.ofSeconds(3)).atMost(WAIT).until(() -> Api.state(server, "Sales", id).equals("QUEUED"));

      // a real agent does the work: it calls the customer itself and hangs up through the API
      assertThat(server.postJson(AGENTS + "/alice/login", Map.of("name", "Alice", "services", List.of("Sales"))).status())
          .isEqualTo(200);
      assertThat(server.postJson(AGENTS + "/alice/ready", Map.of()).status()).isEqualTo(200);
      await().atMost(WAIT).until(() -> Api.state(server, "Sales", id).equals("PROCESSING"));
      await().during(Duration.ofSeconds(3)).atMost(WAIT).until(() -> Api.state(server, "Sales", id).equals("PROCESSING"));
      assertThat(server.postJson(AGENTS + "/alice/hangup", Map.of()).status()).isEqualTo(200);
      await().atMost(WAIT).until(() -> Api.state(server, "Sales", id).equals("COMPLETED"));
      assertThat(Api.get(server, "Sales", id)).containsEntry("_callback_reason", "AGENT_CONNECTED");
    }
  }

  @Test
  void an_engine_section_asks_for_simulation_and_the_log_and_ui_say_so() {
    try (LogLines engineLog = new LogLines(ServiceEngines.class);
        TestServer server = TestServer.startAsWritten(
            "service.Basic:\n  _type: ors\nengine:\n  agents: 2\n  ring_time: 10ms\n  talk_time: 50ms\n" + TestServer.ADMIN_USERS,
            Clock.systemUTC()).asAdmin()) {
      assertThat(engineLog.lines()).anySatisfy(line -> assertThat(line)
          .startsWith("INFO Service Basic: engine builtin, hand-offs to the built-in queue, 2 simulated agent(s)")
          .endsWith("calls SIMULATED"));
      assertThat(engineLog.lines()).noneMatch(line -> line.startsWith("WARN"));
      String id = Api.startQueued(server, "Basic", Api.number());
      await().atMost(WAIT).until(() -> Api.state(server, "Basic", id).equals("COMPLETED"));

      Map<String, Object> config = server.get("/ui/api/config").map();
      @SuppressWarnings("unchecked")
      Map<String, Object> basic = ((List<Map<String, Object>>) config.get("services")).get(0);
      assertThat(basic).containsEntry("engine", "builtin").containsEntry("simulated", true);
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> options = (List<Map<String, Object>>) basic.get("options");
      assertThat(options).filteredOn(option -> option.get("name").equals("_call_direction")).singleElement()
          .satisfies(option -> assertThat(option).containsEntry("status", "ENGINE")
              .containsEntry("statusLabel", "passed to the execution engine (ORS)"));
      assertThat(options).filteredOn(option -> option.get("name").equals("_queue_poll_period")).singleElement()
          .satisfies(option -> assertThat(option).containsEntry("status", "IGNORED")
              .extractingByKey("statusReason").asString().contains("timer"));
      assertThat(options).filteredOn(option -> option.get("name").equals("_ttl")).singleElement()
          .satisfies(option -> assertThat(option).containsEntry("status", "ACTED_ON"));
      assertThat(server.get("/ui/api/overview").map().get("services").toString()).contains("simulated=true");
    }
  }

  @Test
  void an_unknown_execution_engine_is_refused_at_start_and_on_reload() throws Exception {
    assertThatThrownBy(() -> TestServer.startAsWritten("service.S:\n  _type: ors\n  _execution: $engine$\n", Clock.systemUTC()))
        .hasMessageContaining("section [service.S] option _execution: value \"$engine$\" is invalid");

    try (TestServer server = TestServer.start("service.S:\n  _type: ors\n");
        LogLines watcher = new LogLines(ConfigWatcher.class)) {
      Files.writeString(server.configFile(), "service.S:\n  _type: ors\n  _execution: orchestra\nengine:\n  agents: 2\n");
      await().atMost(WAIT).until(() -> watcher.lines().stream().anyMatch(line -> line.startsWith("ERROR Configuration change refused")
          && line.contains("section [service.S] option _execution: value \"orchestra\" is invalid")));
      String id = Api.startQueued(server, "S", Api.number());
      await().atMost(WAIT).until(() -> Api.state(server, "S", id).equals("COMPLETED"));
    }
  }

  @Test
  void an_unknown_execution_engine_at_start_is_one_line_and_exit_code_2(@TempDir Path dir) throws Exception {
    Path config = dir.resolve("bad-engine.yaml");
    Files.writeString(config, "service.S:\n  _type: ors\n  _execution: orchestra\n");
    int port = ForkedServer.freePort();
    try (ForkedServer server = ForkedServer.start(dir, port, "--config", config.toString(), "--port", String.valueOf(port),
        "--data-dir", dir.resolve("data").toString())) {
      assertThat(server.waitForExit(Duration.ofSeconds(60))).isEqualTo(2);
      assertThat(server.output()).singleElement().asString()
          .startsWith("opencallback: configuration ").contains("_execution").contains("orchestra");
    }
  }
}
