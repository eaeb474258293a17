package org.opencallback.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.opencallback.testing.TestPostgres;
import org.opencallback.testing.AgentEventStream;
import org.opencallback.testing.TestServer;
import org.opencallback.testing.TestServer.Response;

/**
 * The built-in engine across a cluster (issue 8 item 4, docs/cluster.md): two nodes in this JVM on
 * one embedded PostgreSQL. An agent on either node gets the callbacks of the one cluster-wide queue,
 * each exactly once; positions and EWT are the same on every node; a cancel on one node stops the
 * node that holds the callback at once (LISTEN/NOTIFY, not its next poll).
 */
class ClusterEngineTest {
  private static final String AGENTS = "/genesys/1/engine/agents";
  private static final Duration WAIT = Duration.ofSeconds(15);

  private static String config(String engine) {
    return String.join("\n",
        "service.Plain:", "  _type: ors", "  _enable_in_queue_checking: false",
        "  _throttle_callbacks_per_service_1: 100000", "  _max_queued_callbacks_per_service: 100000",
        "engine:", engine, "");
  }

  private static TestServer node(String url, String id, String engine) {
    return TestServer.start(config(engine), "--db-url", url, "--node-id", id);
  }

  @Test
  void a_real_agent_on_node_b_gets_the_callback_created_on_node_a() throws Exception {
    String url = TestPostgres.newDatabaseUrl();
    String engine = "  agents: 0\n  ring_time: 10ms\n  talk_time: 1h";
    try (TestServer a = node(url, "a", engine); TestServer b = node(url, "b", engine)) {
      ok(b.postJson(AGENTS + "/bea/login", Map.of("name", "Bea", "services", List.of("Plain"))));
      AgentEventStream events = AgentEventStream.open(b, "bea");
      ok(b.postJson(AGENTS + "/bea/ready", Map.of()));

      String id = Api.startQueued(a, "Plain", Api.number());

      // no waiting for a poll: the callback entering its queue on a wakes b's agent (NOTIFY)
      Map<String, Object> connected = events.next("CallbackConnectedEvent", Duration.ofSeconds(4));
      assertThat(connected).containsEntry("_id", id);
      await().atMost(WAIT).until(() -> Api.state(a, "Plain", id).equals("PROCESSING"));
      assertThat(ok(b.get(AGENTS + "/bea"))).containsEntry("state", "BUSY").containsEntry("callback", id);

      ok(b.postJson(AGENTS + "/bea/hangup", Map.of()));
      await().atMost(WAIT).until(() -> Api.state(a, "Plain", id).equals("COMPLETED"));
      assertThat(Api.get(a, "Plain", id)).containsEntry("_callback_reason", "AGENT_CONNECTED");
      assertThat(states(url, id)).containsExactly("QUEUED", "ROUTING", "PROCESSING", "COMPLETED");
      events.close();
    }
  }

  @Test
  void positions_and_ewt_are_the_same_on_every_node() {
    String url = TestPostgres.newDatabaseUrl();
    String engine = "  agents: 0\n  ring_time: 1s\n  talk_time: 59s";
    try (TestServer a = node(url, "a", engine); TestServer b = node(url, "b", engine)) {
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        TestServer creator = i % 2 == 0 ? a : b;
        String id = Api.startQueued(creator, "Plain", Api.number());
        ids.add(id);
        // in its queue (published by its node) before the next one comes
        await().atMost(WAIT).until(() -> position(creator, id).get("position").equals(ids.size()));
      }
      // two agents on b serve the service, none is free: each callback ahead costs half an
      // average handle time (ring + talk = 60 s) on every node, a's included
      ok(b.postJson(AGENTS + "/b1/login", Map.of("services", List.of("Plain"))));
      ok(b.postJson(AGENTS + "/b2/login", Map.of()));
      for (int i = 0; i < ids.size(); i++) {
        String id = ids.get(i);
        int expected = i + 1;
        for (TestServer node : List.of(a, b)) {
          await().atMost(WAIT).untilAsserted(() -> assertThat(position(node, id))
              .containsEntry("position", expected).containsEntry("ewt", expected * 30.0)
              .containsEntry("queue", "Plain"));
        }
      }
      // a cancelled callback leaves the queue on every node
      assertThat(b.delete(Api.path("Plain", ids.get(0))).status()).isEqualTo(200);
      for (TestServer node : List.of(a, b)) {
        await().atMost(WAIT).untilAsserted(() -> assertThat(position(node, ids.get(5)))
            .containsEntry("position", 5).containsEntry("ewt", 150.0));
      }
    }
  }

  @Test
  void a_cancel_on_node_b_stops_node_a_dialling_at_once() throws Exception {
    String url = TestPostgres.newDatabaseUrl();
    // a's simulated agent takes the callback and a dials it for an hour; b has no agent
    try (TestServer a = node(url, "a", "  agents: 1\n  ring_time: 1h\n  talk_time: 1s");
        TestServer b = node(url, "b", "  agents: 0")) {
      String id = Api.startQueued(a, "Plain", Api.number());
      await().atMost(WAIT).until(() -> id.equals(ok(a.get(AGENTS + "/sim-1")).get("callback")));
      assertThat(Api.state(b, "Plain", id)).isEqualTo("ROUTING");

      Response cancel = b.delete(Api.path("Plain", id));
      assertThat(cancel.status()).as(cancel.body()).isEqualTo(200);

      // relayed at once, not at a's next safety poll (5 s): the dial stops, the agent is free
      await().atMost(Duration.ofSeconds(3))
          .until(() -> ok(a.get(AGENTS + "/sim-1")).get("callback") == null);
      assertThat(ok(a.get(AGENTS + "/sim-1"))).containsEntry("state", "READY");
      assertThat(states(url, id)).containsExactly("QUEUED", "ROUTING", "COMPLETED");
      assertThat(Api.get(a, "Plain", id)).containsEntry("_callback_reason", "CANCELLED");
    }
  }

  @Test
  void every_callback_reaches_one_agent_once_with_agents_on_both_nodes() throws Exception {
    String url = TestPostgres.newDatabaseUrl();
    String engine = "  agents: 4\n  ring_time: 10ms\n  talk_time: 30ms";
    int callbacks = 100;
    ExecutorService clients = Executors.newFixedThreadPool(8);
    try (TestServer a = node(url, "a", engine); TestServer b = node(url, "b", engine)) {
      List<Callable<String>> starts = new ArrayList<>();
      for (int i = 0; i < callbacks; i++) {
        TestServer creator = i % 2 == 0 ? a : b;
        starts.add(() -> Api.startQueued(creator, "Plain", Api.number()));
      }
      List<String> ids = new ArrayList<>();
      for (Future<String> started : clients.invokeAll(starts)) {
        ids.add(started.get());
      }
      await().atMost(Duration.ofSeconds(60)).until(() -> completed(url) == callbacks);
      for (String id : ids) {
        assertThat(states(url, id)).as(id).containsExactly("QUEUED", "ROUTING", "PROCESSING", "COMPLETED");
        assertThat(Api.get(b, "Plain", id)).as(id).containsEntry("_callback_reason", "AGENT_CONNECTED");
      }
    } finally {
      clients.shutdownNow();
    }
  }

  private static Map<String, Object> position(TestServer node, String id) {
    return ok(node.get("/genesys/1/service/" + id + "/check-queue-position"));
  }

  private static Map<String, Object> ok(Response response) {
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return response.map();
  }

  /** The states of a callback's history, in order. */
  private static List<String> states(String url, String id) throws java.sql.SQLException {
    try (Connection connection = DriverManager.getConnection(url);
        PreparedStatement query = connection.prepareStatement(
            "SELECT state FROM callback_history WHERE callback_id = ? ORDER BY seq")) {
      query.setString(1, id);
      List<String> states = new ArrayList<>();
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          states.add(rows.getString(1));
        }
      }
      return states;
    }
  }

  private static int completed(String url) throws java.sql.SQLException {
    try (Connection connection = DriverManager.getConnection(url);
        PreparedStatement query = connection.prepareStatement("SELECT COUNT(*) FROM callback WHERE state = 'COMPLETED'");
        ResultSet rows = query.executeQuery()) {
      rows.next();
      return rows.getInt(1);
    }
  }

}
