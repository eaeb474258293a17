package org.opencallback.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opencallback.domain.ServerState;
import org.opencallback.domain.Times;
import org.opencallback.testing.ConnectionCounter;
import org.opencallback.testing.FakeReceiver;
import org.opencallback.testing.FakeReceiver.Reply;
import org.opencallback.testing.TestServer;
import org.opencallback.testing.TestServer.Response;

/**
 * Every server-owned key sent on start, PUT and redial is never stored and never effective (issue
 * 15 item 3; docs/security.md, "Server-owned state"). A hostile client tries to stop dispatch
 * ({@code _external_lifecycle}, {@code _webhook_delivered_at}) and to point the ORS relay at an
 * address of its choosing ({@code _ors_url}, {@code _ors_session_id}); the attacker's target, a
 * loopback listener, counts the connections it gets: none.
 */
class ServerOwnedStateTest {
  private static final String BASE = "/genesys/1/service/callback/";
  private final FakeReceiver ors = FakeReceiver.start();
  private final FakeReceiver hook = FakeReceiver.start();
  private final ConnectionCounter attacker = ConnectionCounter.start();
  private final AtomicInteger sessions = new AtomicInteger();
  private TestServer server;

  @BeforeEach
  void start() {
    ors.respond(request -> {
      if (request.path().equals("/scxml/session/start")) {
        return Reply.ok("{\"sessionid\":\"S" + sessions.incrementAndGet() + "\"}");
      }
      if (request.path().endsWith("/request/check-queue-position")) {
        return Reply.ok("{\"ewt\":\"12\",\"position\":3}");
      }
      return Reply.ok("{}");
    });
    server = TestServer.start("callback:\n  _submit_retry_delay: 100ms\n"
        + "service.Ors:\n  _type: ors\n  _enable_in_queue_checking: false\n  _callback_scxml_url: http://scxml.invalid/callback.scxml\n  _ors: " + ors.url() + "\n"
        + "service.Hook:\n  _type: ors\n  _execution: webhook\n  _webhook_url: " + hook.url() + "/hook\n"
        + "  _enable_in_queue_checking: false\n  _request_execution_time_buffer: 0\n"
        + "engine:\n  agents: 0\n");
  }

  @AfterEach
  void stop() {
    server.close();
    ors.close();
    hook.close();
    attacker.close();
  }

  /** Every server-owned key with a hostile value. */
  private Map<String, Object> hostile() {
    Map<String, Object> keys = new LinkedHashMap<>();
    for (String key : ServerState.KEYS) {
      keys.put(key, "forged");
    }
    keys.put(ServerState.EXTERNAL_LIFECYCLE, true);
    keys.put(ServerState.ORS_URL, attacker.url());
    keys.put(ServerState.WEBHOOK_DELIVERED_AT, "2020-01-01T00:00:00.000Z");
    return keys;
  }

  private static Map<String, Object> with(Map<String, Object> base, Object... more) {
    Map<String, Object> body = new LinkedHashMap<>(base);
    for (int i = 0; i < more.length; i += 2) {
      body.put(String.valueOf(more[i]), more[i + 1]);
    }
    return body;
  }

  private String startCallback(String service, Map<String, Object> request) {
    Response response = server.postJson(BASE + service, request);
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return String.valueOf(response.map().get("_id"));
  }

  private Map<String, Object> get(String service, String id) {
    return server.get(BASE + service + "/" + id).map();
  }

  private static void assertNoForgedValue(Map<String, Object> callback) {
    for (String key : ServerState.KEYS) {
      assertThat(callback.get(key)).as(key).isNotEqualTo("forged");
    }
    assertThat(callback).doesNotContainKeys(ServerState.ORS_URL, ServerState.EXTERNAL_LIFECYCLE,
        ServerState.REMINDER_SENT_FOR, ServerState.DISPOSITION, ServerState.ERROR, "_submit_attempts");
  }

  @Test
  void server_keys_on_start_are_ignored_and_do_not_stop_dispatch() {
    String id = startCallback("Hook", with(hostile(), "_customer_number", "+15553330001", "color", "blue"));

    // _external_lifecycle and _webhook_delivered_at would have kept it from its engine: it is delivered
    await().atMost(Duration.ofSeconds(10)).until(() -> hook.requests("/hook").size() == 1);
    await().atMost(Duration.ofSeconds(10))
        .until(() -> !"2020-01-01T00:00:00.000Z".equals(get("Hook", id).get(ServerState.WEBHOOK_DELIVERED_AT))
            && get("Hook", id).containsKey(ServerState.WEBHOOK_DELIVERED_AT));
    Map<String, Object> stored = get("Hook", id);
    assertNoForgedValue(stored);
    assertThat(stored).containsEntry("color", "blue").doesNotContainKey(ServerState.ORS_SESSION_ID);
    // the receiver is not handed the forged keys as the callback's properties either
    @SuppressWarnings("unchecked")
    Map<String, Object> sent = (Map<String, Object>) hook.requests("/hook").get(0).json().get("properties");
    assertThat(sent).containsEntry("color", "blue").doesNotContainKeys(ServerState.KEYS.toArray(String[]::new));
    assertThat(attacker.connections()).isZero();
  }

  @Test
  void server_keys_in_a_put_are_ignored_and_do_not_stop_dispatch() {
    String desired = Times.format(Instant.now().plus(Duration.ofDays(1)));
    String id = startCallback("Hook", Map.of("_customer_number", "+15553330002", "_desired_time", desired));

    Response put = server.putJson(BASE + "Hook/" + id, with(hostile(), "note", "kept"));
    assertThat(put.status()).as(put.body()).isEqualTo(200);
    Map<String, Object> stored = get("Hook", id);
    assertNoForgedValue(stored);
    assertThat(stored).containsEntry("note", "kept").doesNotContainKey(ServerState.WEBHOOK_DELIVERED_AT);

    // rescheduled to now, it is handed to its engine as if nothing had been sent
    Response now = server.putJson(BASE + "Hook/" + id,
        Map.of("_new_desired_time", Times.format(Instant.now())));
    assertThat(now.status()).as(now.body()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(10)).until(() -> hook.requests("/hook").size() == 1);
    assertThat(attacker.connections()).isZero();
  }

  @Test
  void a_forged_ors_session_and_url_never_redirect_check_queue_position() {
    String id = startCallback("Ors", Map.of("_customer_number", "+15553330003"));
    await().atMost(Duration.ofSeconds(10)).until(() -> "S1".equals(get("Ors", id).get(ServerState.ORS_SESSION_ID)));

    Response put = server.putJson(BASE + "Ors/" + id,
        Map.of(ServerState.ORS_URL, attacker.url(), ServerState.ORS_SESSION_ID, "evil"));
    assertThat(put.status()).as(put.body()).isEqualTo(200);
    Response position = server.postJson("/genesys/1/service/" + id + "/check-queue-position", Map.of());

    assertThat(position.status()).as(position.body()).isEqualTo(200);
    assertThat(position.map()).containsEntry("position", 3);
    assertThat(ors.requests("/scxml/session/S1/request/check-queue-position")).hasSize(1);
    assertThat(ors.requests("/scxml/session/evil")).isEmpty();
    assertThat(attacker.connections()).isZero();
  }

  @Test
  void a_forged_ors_session_on_a_callback_of_another_engine_calls_nothing() {
    String desired = Times.format(Instant.now().plus(Duration.ofDays(1)));
    String id = startCallback("Hook", Map.of("_customer_number", "+15553330004", "_desired_time", desired,
        ServerState.ORS_URL, attacker.url(), ServerState.ORS_SESSION_ID, "evil"));
    server.putJson(BASE + "Hook/" + id, Map.of(ServerState.ORS_URL, attacker.url(), ServerState.ORS_SESSION_ID, "evil"));

    Response position = server.postJson("/genesys/1/service/" + id + "/check-queue-position", Map.of());

    assertThat(position.status()).isEqualTo(400); // not QUEUED: nothing to ask anyone
    assertThat(attacker.connections()).isZero();
    assertThat(ors.requests()).isEmpty();
  }

  @Test
  void redial_copies_no_server_state_and_takes_none_from_the_request() {
    String source = startCallback("Ors", Map.of("_customer_number", "+15553330005", "first_name", "Ada"));
    await().atMost(Duration.ofSeconds(10)).until(() -> "S1".equals(get("Ors", source).get(ServerState.ORS_SESSION_ID)));
    Response done = server.putJson(BASE + "Ors/" + source,
        Map.of("_callback_state", "COMPLETED", "_callback_reason", "ABANDONED_IN_QUEUE"));
    assertThat(done.status()).as(done.body()).isEqualTo(200);

    String copy = startCallback("Ors", with(hostile(), "_copy_from_id", source));

    await().atMost(Duration.ofSeconds(10)).until(() -> "S2".equals(get("Ors", copy).get(ServerState.ORS_SESSION_ID)));
    Map<String, Object> stored = get("Ors", copy);
    assertThat(stored).containsEntry("first_name", "Ada").containsEntry("_callback_state", "QUEUED");
    assertNoForgedValue(stored);
    List<FakeReceiver.Request> starts = ors.requests("/scxml/session/start");
    assertThat(starts).hasSize(2);
    assertThat(starts.get(1).form()).doesNotContainKeys(ServerState.KEYS.toArray(String[]::new));
    assertThat(attacker.connections()).isZero();
  }
}
