package org.opencallback.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.opencallback.testing.Gms;
import org.opencallback.testing.TestServer;
import org.opencallback.testing.TestServer.Response;

/** What the HTTP tests share: the configuration they run on, request builders and GMS body checks. */
final class Api {
  static final String BASE = Gms.BASE;

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

  private static final AtomicLong NUMBERS =
      new AtomicLong(ThreadLocalRandom.current().nextLong(1_000_000L, 8_000_000L));

  private Api() {}

  /** A customer number no other test uses. */
  static String number() {
    return "+1555" + NUMBERS.incrementAndGet();
  }

  static String iso(Instant instant) {
    return Gms.iso(instant);
  }

  static Instant instant(Object text) {
    assertThat(String.valueOf(text)).matches(TIME_PATTERN);
    return Instant.parse(String.valueOf(text));
  }

  /** Now, to the millisecond, as the server sees it. */
  static Instant now() {
    return Gms.now();
  }

  /** A mutable ordered map from key, value pairs. */
  static Map<String, Object> body(Object... keysAndValues) {
    return Gms.body(keysAndValues);
  }

  static String path(String service) {
    return Gms.path(service);
  }

  static String path(String service, String id) {
    return Gms.path(service, id);
  }

  /** Starts a callback and returns its id; fails unless 200. */
  static String start(TestServer server, String service, Map<String, Object> body) {
    return Gms.start(server, service, body);
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
    return Gms.get(server, service, id);
  }

  static String state(TestServer server, String service, String id) {
    return Gms.state(server, service, id);
  }

  /** Sends a PUT and expects 200 {}. */
  static void put(TestServer server, String service, String id, Map<String, Object> body) {
    Response response = server.putJson(path(service, id), body);
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    assertThat(response.map()).isEmpty();
  }

  /** Lookup across every service by customer number. */
  static List<Map<String, Object>> lookupAll(TestServer server, String number) {
    return Gms.lookupAll(server, number);
  }

  static String encode(String value) {
    return Gms.encode(value);
  }

  /**
   * Checks a GMS error body: the status, exactly the members code, phrase, message, exception and
   * properties, the code, and a JSON content type.
   */
  static Map<String, Object> assertError(Response response, int status, int code) {
    return Gms.assertError(response, status, code);
  }

  /** A 4xx GMS error body, whatever its code: for bodies the server cannot read at all. */
  static Map<String, Object> assertClientError(Response response) {
    assertThat(response.status()).as(response.body()).isBetween(400, 499);
    Map<String, Object> body = response.map();
    return assertError(response, response.status(), ((Number) body.get("code")).intValue());
  }

  static String contentType(Response response) {
    String type = Gms.header(response, "Content-Type");
    return type == null ? "" : type;
  }
}
