package org.opencallback.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.opencallback.domain.Times;
import org.opencallback.testing.FakeReceiver;
import org.opencallback.testing.FakeReceiver.Reply;
import org.opencallback.testing.FakeReceiver.Request;
import org.opencallback.testing.TestServer;
import org.opencallback.testing.TestServer.Response;

/** Customer notifications: httpcb and server-sent events, messages from the message file. */
class NotificationTest {
  private static final String BASE = "/genesys/1/service/callback/";
  private static final Duration PATIENCE = Duration.ofSeconds(10);
  private final FakeReceiver device = FakeReceiver.start();
  private TestServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
    device.close();
  }

  private static String config(int agents, String... serviceLines) {
    // the device listeners are on loopback: allowed explicitly (docs/security.md, "Outbound URLs")
    StringBuilder yaml = new StringBuilder("server:\n  outbound-allowed-urls: http://127.0.0.1\n"
        + "  outbound-allowed-ranges: 127.0.0.1\n"
        + "callback:\n  _submit_retry_delay: 100ms\nservice.Notify:\n  _type: ors\n"
        + "  _enable_in_queue_checking: false\n  _request_execution_time_buffer: 0\n");
    for (String line : serviceLines) {
      yaml.append("  ").append(line).append('\n');
    }
    return yaml + "engine:\n  agents: " + agents + "\n  ring_time: 100ms\n  talk_time: 200ms\n";
  }

  private String start(Map<String, Object> request) {
    Response response = server.postJson(BASE + "Notify", request);
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return String.valueOf(response.map().get("_id"));
  }

  private Map<String, Object> callback(String id) {
    return server.get(BASE + "Notify/" + id).map();
  }

  private List<Map<String, Object>> messages() {
    return device.requests("/device").stream().map(Request::json).toList();
  }

  @Test
  void httpcb_posts_each_message_to_the_device_url_and_retries_until_it_gets_200() {
    server = TestServer.start(config(0));
    AtomicInteger calls = new AtomicInteger();
    device.respond(request -> calls.incrementAndGet() <= 2 ? new Reply(503, "") : Reply.ok(""));
    String id = start(Map.of("_customer_number", "+15554440001", "_device_os", "httpcb",
        "_device_notification_id", device.url() + "/device"));

    await().atMost(PATIENCE).until(() -> device.requests("/device").size() == 3);
    Map<String, Object> accepted = messages().get(2);
    assertThat(accepted).containsEntry("_id", id).containsEntry("event", "_cbe_on_service_create")
        .containsEntry("_callback_state", "QUEUED")
        .containsEntry("message", "Your callback request is registered. We will call you at +15554440001.");
    assertThat(messages()).allMatch(message -> message.get("event").equals("_cbe_on_service_create"));

    assertThat(server.delete(BASE + "Notify/" + id).status()).isEqualTo(200);
    await().atMost(PATIENCE).until(() -> device.requests("/device").size() == 4);
    assertThat(messages().get(3)).containsEntry("event", "_cbe_on_service_exit").containsEntry("_callback_state", "COMPLETED")
        .containsEntry("message", "Your callback request is complete (CANCELLED).");
  }

  @Test
  void a_web_page_gets_every_message_over_server_sent_events() throws Exception {
    server = TestServer.start(config(1));
    String id = start(Map.of("_customer_number", "+15554440002", "_device_os", "comet"));
    List<String> lines = new CopyOnWriteArrayList<>();
    HttpClient client = HttpClient.newHttpClient();
    HttpResponse<java.util.stream.Stream<String>> response = client.send(
        HttpRequest.newBuilder(URI.create(server.base() + "/genesys/1/notification/callback/" + id + "/events"))
            .header("Accept", "text/event-stream").GET().build(),
        HttpResponse.BodyHandlers.ofLines());
    assertThat(response.statusCode()).isEqualTo(200);
    Thread reader = new Thread(() -> response.body().forEach(lines::add));
    reader.setDaemon(true);
    reader.start();

    // the page subscribed after the start: the accepted message is replayed
    await().atMost(PATIENCE).until(() -> lines.contains("event: _cbe_on_service_exit"));
    assertThat(lines).containsSubsequence("event: _cbe_on_service_create", "event: _cbe_on_target_found",
        "event: _cbe_on_service_exit");
    String exit = lines.get(lines.indexOf("event: _cbe_on_service_exit") + 1);
    assertThat(exit).startsWith("data: ").contains("\"_id\":\"" + id + "\"").contains("(AGENT_CONNECTED)");

    assertThat(server.get("/genesys/1/notification/callback/9-nope/events").status()).isEqualTo(400);
  }

  @Test
  void messages_come_from_the_configured_file_with_placeholders_and_a_reminder_before_the_desired_time() throws Exception {
    Path file = Files.createTempFile("messages", ".json");
    Files.writeString(file, "{\"_cbe_on_service_create\":\"Hello $FIRST_NAME$, see you at $_desired_time$\","
        + "\"_cbe_on_callback_reminder\":\"Soon, $FIRST_NAME$!\"}");
    server = TestServer.start(config(0, "_notification_message_file: " + file, "_enable_notification_reminder: true",
        "_notification_reminder_buffer: 2"));
    String desired = Times.format(Instant.now().plusSeconds(4));
    String id = start(Map.of("_customer_number", "+15554440003", "_desired_time", desired, "FIRST_NAME", "Ada",
        "_device_os", "httpcb", "_device_notification_id", device.url() + "/device"));

    await().atMost(PATIENCE).until(() -> device.requests("/device").size() == 1);
    assertThat(messages().get(0)).containsEntry("message", "Hello Ada, see you at " + desired)
        .containsEntry("_callback_state", "SCHEDULED");
    await().atMost(PATIENCE).until(() -> device.requests("/device").size() == 2);
    assertThat(messages().get(1)).containsEntry("event", "_cbe_on_callback_reminder").containsEntry("message", "Soon, Ada!")
        .containsEntry("_id", id);
  }

  @Test
  void a_reminder_survives_a_restart_and_is_sent_once() {
    server = TestServer.start(config(0, "_enable_notification_reminder: true", "_notification_reminder_buffer: 2"));
    String desired = Times.format(Instant.now().plusSeconds(5));
    String id = start(Map.of("_customer_number", "+15554440009", "_desired_time", desired,
        "_device_os", "httpcb", "_device_notification_id", device.url() + "/device"));
    await().atMost(PATIENCE).until(() -> device.requests("/device").size() == 1);
    server.restart(); // the timer armed at acceptance is gone; the store still has the callback

    await().atMost(PATIENCE).until(() -> device.requests("/device").size() == 2);
    assertThat(messages().get(1)).containsEntry("event", "_cbe_on_callback_reminder").containsEntry("_id", id);
    assertThat(callback(id)).doesNotContainKey("_reminder_sent_for"); // server-owned, not shown
    server.restart(); // and a second start does not send it again
    await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4))
        .until(() -> device.requests("/device").size() == 2);
  }

  @Test
  void a_message_file_that_cannot_be_loaded_ends_the_callback_fail_load_message_file() throws Exception {
    Path bad = Files.createTempFile("messages", ".json");
    Files.writeString(bad, "[\"not an object\"]");
    server = TestServer.start(config(0, "_notification_message_file: " + bad)
        .replace("engine:", "service.Missing:\n  _type: ors\n  _notification_message_file: " + device.url() + "/missing.json\nengine:"));
    device.respond(request -> new Reply(404, ""));
    String id = start(Map.of("_customer_number", "+15554440004", "_device_os", "sse"));
    assertThat(callback(id)).containsEntry("_callback_state", "COMPLETED").containsEntry("_callback_reason", "FAIL_LOAD_MESSAGE_FILE");

    Response missing = server.postJson(BASE + "Missing", Map.of("_customer_number", "+15554440005", "_device_os", "httpcb",
        "_device_notification_id", device.url() + "/device"));
    assertThat(server.get(BASE + "Missing/" + missing.map().get("_id")).map())
        .containsEntry("_callback_reason", "FAIL_LOAD_MESSAGE_FILE");
    assertThat(device.requests("/device")).isEmpty();
    // without a device, the message file is not needed
    assertThat(callback(start(Map.of("_customer_number", "+15554440006")))).containsEntry("_callback_state", "QUEUED");
  }

  @Test
  void the_bundled_message_file_is_served_at_the_gms_default_path() {
    server = TestServer.start(config(0));
    Response file = server.get(MessageFiles.DEFAULT_PATH);
    assertThat(file.status()).isEqualTo(200);
    assertThat(file.map()).containsKeys(Notifier.ACCEPTED, Notifier.REMINDER, Notifier.AGENT_AVAILABLE, Notifier.COMPLETED);
  }
}
