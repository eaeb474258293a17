package org.opencallback.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.opencallback.testing.TestServer;
import org.opencallback.testing.TestServer.Response;

/** What the HTTP tests share: the configuration they run on, request builders and GMS body checks. */
final class Api {
  static final String BASE = "/genesys/1/service/callback";

  /**
   * Services used across the HTTP tests. Basic: default buffer 120 s, _ttl 1 h. Buffer15: buffer 15 s,
   * default _ttl. Subscriptions: two lookup keys, _customer_number mandatory. BySubscription: two lookup
   * keys, only CB_SUBSCRIPTION_ID mandatory. No simulated agents: immediate callbacks stay QUEUED.
   */
  static final String CONFIG =
      String.join(
          "\n",
          "callback:",
          "  returned-keys: _ors_session_id,CB_EXTRA",
          "service.Basic:",
          "  _type: ors",
          "  _enable_in_queue_checking: false",
          "  _ttl: 3600",
          "service.Buffer15:",
          "  _type: ors",
          "  _request_execution_time_buffer: 15",
          "service.Subscriptions:",
          "  _type: ors",
          "  _enable_in_queue_checking: false",
          "  _customer_lookup_keys: _customer_number,CB_SUBSCRIPTION_ID",
          "  _mandatory_customer_lookup_keys: _customer_number",
          "service.BySubscription:",
          "  _type: ors",
          "  _customer_lookup_keys: _customer_number,CB_SUBSCRIPTION_ID",
          "  _mandatory_customer_lookup_keys: CB_SUBSCRIPTION_ID",
          "engine:",
          "  agents: 0",
          "");

  static final String ID_PATTERN =
      "\\d+-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
  static final String TIME_PATTERN = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z";

  private static final DateTimeFormatter ISO =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
  private static final AtomicLong NUMBERS =
      new AtomicLong(ThreadLocalRandom.current().nextLong(1_000_000L, 8_000_000L));

  private Api() {}

  /** A customer number no other test uses. */
  static String number() {
    return "+1555" + NUMBERS.incrementAndGet();
  }

  static String iso(Instant instant) {
    return ISO.format(instant);
  }

  static Instant instant(Object text) {
    assertThat(String.valueOf(text)).matches(TIME_PATTERN);
    return Instant.parse(String.valueOf(text));
  }

  /** Now, to the millisecond, as the server sees it. */
  static Instant now() {
    return Instant.now().truncatedTo(ChronoUnit.MILLIS);
  }

  /** A mutable ordered map from key, value pairs. */
  static Map<String, Object> body(Object... keysAndValues) {
    Map<String, Object> body = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      body.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return body;
  }

  static String path(String service) {
    return BASE + "/" + service;
  }

  static String path(String service, String id) {
    return BASE + "/" + service + "/" + id;
  }

  /** Starts a callback and returns its id; fails unless 200. */
  static String start(TestServer server, String service, Map<String, Object> body) {
    Response response = server.postJson(path(service), body);
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    Object id = response.map().get("_id");
    assertThat(id).isInstanceOf(String.class);
    return (String) id;
  }

  /** Starts an immediate (QUEUED) callback. */
  static String startQueued(TestServer server, String service, String number) {
    return start(server, service, body("_customer_number", number));
  }

  /** Starts a callback SCHEDULED a day ahead. */
  static String startScheduled(TestServer server, String service, String number) {
    return start(
        server, service, body("_customer_number", number, "_desired_time", iso(now().plusSeconds(86_400))));
  }

  static Map<String, Object> get(TestServer server, String service, String id) {
    Response response = server.get(path(service, id));
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return response.map();
  }

  static String state(TestServer server, String service, String id) {
    return String.valueOf(get(server, service, id).get("_callback_state"));
  }

  /** Sends a PUT and expects 200 {}. */
  static void put(TestServer server, String service, String id, Map<String, Object> body) {
    Response response = server.putJson(path(service, id), body);
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    assertThat(response.map()).isEmpty();
  }

  /** Lookup across every service by customer number. */
  static List<Map<String, Object>> lookupAll(TestServer server, String number) {
    Response response = server.get(BASE + "?_customer_number=" + encode(number));
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return response.list();
  }

  static String encode(String value) {
    return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8);
  }

  /**
   * Checks a GMS error body: the status, exactly the members code, phrase, message, exception and
   * properties, the code, and a JSON content type.
   */
  static Map<String, Object> assertError(Response response, int status, int code) {
    assertThat(response.status()).as(response.body()).isEqualTo(status);
    assertThat(contentType(response)).as("content type").contains("application/json");
    Map<String, Object> body = response.map();
    assertThat(body).containsOnlyKeys("code", "phrase", "message", "exception", "properties");
    assertThat(body.get("code")).isEqualTo(code);
    assertThat(body.get("phrase")).isInstanceOf(String.class);
    assertThat((String) body.get("phrase")).matches("[A-Z][A-Z0-9_]*");
    if (code == 40020) {
      assertThat(body.get("phrase")).isEqualTo("INVALID_OPERATION");
    }
    assertThat(body.get("message")).isInstanceOf(String.class);
    assertThat((String) body.get("message")).isNotBlank();
    assertThat(body.get("exception")).isInstanceOf(String.class);
    assertThat(body.get("properties")).isInstanceOf(Map.class);
    return body;
  }

  /** A 4xx GMS error body, whatever its code: for bodies the server cannot read at all. */
  static Map<String, Object> assertClientError(Response response) {
    assertThat(response.status()).as(response.body()).isBetween(400, 499);
    Map<String, Object> body = response.map();
    return assertError(response, response.status(), ((Number) body.get("code")).intValue());
  }

  static String contentType(Response response) {
    return response.headers().entrySet().stream()
        .filter(e -> e.getKey().equalsIgnoreCase("content-type"))
        .flatMap(e -> e.getValue().stream())
        .findFirst()
        .orElse("");
  }
}
