package org.opencallback.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opencallback.testing.AgentEventStream;
import org.opencallback.testing.TestServer;
import org.opencallback.testing.TestServer.Response;

/** The agent API through HTTP, with a client reading the server-sent event stream. */
class AgentApiTest {
  private static final String AGENTS = "/genesys/1/engine/agents";
  private static final Duration WAIT = Duration.ofSeconds(10);

  private static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start(String.join("\n",
        "service.Preview:",
        "  _type: ors",
        "  _enable_in_queue_checking: false",
        "  _agent_preview: true",
        "  _agent_preview_allow_reject: 2",
        "  _agent_preview_data: account",
        "  _enable_disposition_dialog: true",
        "service.Plain:",
        "  _type: ors",
        "  _enable_in_queue_checking: false",
        "engine:",
        "  agents: 0",
        "  ring_time: 10ms",
        "  talk_time: 1h",
        ""));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void a_real_agent_previews_accepts_talks_hangs_up_and_gives_a_disposition() {
    ok(server.postJson(AGENTS + "/alice/login", Map.of("name", "Alice", "services", List.of("Preview"))));
    AgentEventStream events = AgentEventStream.open(server, "alice");
    Map<String, Object> ready = ok(server.postJson(AGENTS + "/alice/ready", Map.of()));
    assertThat(ready).containsEntry("state", "READY").containsEntry("services", List.of("Preview"));

    String id = Api.start(server, "Preview", Api.body("_customer_number", Api.number(), "account", "A-7", "secret", "s"));
    Map<String, Object> invitation = events.next("CallbackInvitationEvent", WAIT);
    assertThat(invitation).containsEntry("_id", id).containsEntry("userData", Map.of("account", "A-7"))
        .containsEntry("actions", List.of("accept", "reject", "cancel"));
    assertThat(Api.state(server, "Preview", id)).isEqualTo("ROUTING");

    ok(server.postJson(AGENTS + "/alice/preview", Map.of("_id", id, "action", "accept")));
    assertThat(events.next("CallbackConnectedEvent", WAIT)).containsEntry("_id", id);
    await().atMost(WAIT).until(() -> Api.state(server, "Preview", id).equals("PROCESSING"));
    assertThat(ok(server.get(AGENTS + "/alice"))).containsEntry("state", "BUSY").containsEntry("callback", id);

    ok(server.postJson(AGENTS + "/alice/hangup", Map.of()));
    assertThat(events.next("CallbackEndedEvent", WAIT)).containsEntry("result", "AGENT_CONNECTED");
    assertThat(events.next("CallbackDispositionEvent", WAIT)).containsEntry("_id", id);
    Map<String, Object> completed = Api.get(server, "Preview", id);
    assertThat(completed).containsEntry("_callback_state", "COMPLETED").containsEntry("_callback_reason", "AGENT_CONNECTED");

    ok(server.postJson(AGENTS + "/alice/disposition", Map.of("_id", id, "disposition", "SALE", "notes", "gold")));
    await().atMost(WAIT).until(() -> Api.get(server, "Preview", id).containsKey("_disposition"));
    assertThat(Api.get(server, "Preview", id)).containsEntry("_disposition", "SALE").containsEntry("_disposition_notes", "gold");
    assertThat(ok(server.get(AGENTS + "/alice"))).containsEntry("state", "READY");
    ok(server.postJson(AGENTS + "/alice/logout", Map.of()));
    events.close();
  }

  @Test
  void cancel_of_a_routing_callback_reaches_the_agent() {
    ok(server.postJson(AGENTS + "/bob/login", Map.of("services", "Preview")));
    AgentEventStream events = AgentEventStream.open(server, "bob");
    ok(server.postJson(AGENTS + "/bob/ready", Map.of()));
    String id = Api.startQueued(server, "Preview", Api.number());
    events.next("CallbackInvitationEvent", WAIT);
    Response cancel = server.delete(Api.path("Preview", id));
    assertThat(cancel.status()).as(cancel.body()).isEqualTo(200);
    assertThat(events.next("CallbackCancelledEvent", WAIT)).containsEntry("_id", id);
    await().atMost(WAIT).until(() -> "READY".equals(ok(server.get(AGENTS + "/bob")).get("state")));
    assertThat(Api.get(server, "Preview", id)).containsEntry("_callback_reason", "CANCELLED");
    ok(server.postJson(AGENTS + "/bob/logout", Map.of()));
    events.close();
  }

  @Test
  void queue_position_of_a_waiting_callback_comes_from_the_engine() {
    String id = Api.startQueued(server, "Plain", Api.number());
    Response position = server.get("/genesys/1/service/" + id + "/check-queue-position");
    assertThat(position.status()).as(position.body()).isEqualTo(200);
    assertThat(position.map()).containsKey("ewt");
    assertThat(server.delete(Api.path("Plain", id)).status()).isEqualTo(200);
  }

  @Test
  void unknown_agents_and_wrong_actions_answer_gms_error_bodies() {
    Response unknown = server.postJson(AGENTS + "/nobody/ready", Map.of());
    assertThat(unknown.status()).isEqualTo(400);
    assertThat(unknown.code()).isEqualTo(40030);
    assertThat(server.get(AGENTS + "/nobody/events").code()).isEqualTo(40030);

    ok(server.postJson(AGENTS + "/carol/login", Map.of()));
    Response preview = server.postJson(AGENTS + "/carol/preview", Map.of("_id", "1-x", "action", "accept"));
    assertThat(preview.status()).isEqualTo(400);
    assertThat(preview.code()).isEqualTo(40020);
    Response missing = server.postJson(AGENTS + "/carol/disposition", Map.of("_id", "1-x"));
    assertThat(missing.code()).isEqualTo(40010);
    ok(server.postJson(AGENTS + "/carol/logout", Map.of()));
    assertThat(server.postJson(AGENTS + "/carol/ready", Map.of()).code()).isEqualTo(40020);

    List<Map<String, Object>> agents = server.get(AGENTS).list();
    assertThat(agents).extracting(agent -> agent.get("id")).contains("carol");
  }

  @Test
  void simulated_agents_complete_callbacks_end_to_end() {
    try (TestServer demo = TestServer.start(String.join("\n",
        "service.Basic:", "  _type: ors", "engine:", "  agents: 2", "  ring_time: 10ms", "  talk_time: 50ms", ""))) {
      String id = Api.startQueued(demo, "Basic", Api.number());
      await().atMost(WAIT).until(() -> Api.state(demo, "Basic", id).equals("COMPLETED"));
      assertThat(Api.get(demo, "Basic", id)).containsEntry("_callback_reason", "AGENT_CONNECTED");
      List<Map<String, Object>> history = demo.get(Api.path("Basic", id) + "/history").list();
      assertThat(history.toString()).contains("ROUTING", "PROCESSING");
      assertThat(demo.get(AGENTS).list()).extracting(agent -> agent.get("id")).containsExactly("sim-1", "sim-2");
    }
  }

  private static Map<String, Object> ok(Response response) {
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return response.map();
  }

}
