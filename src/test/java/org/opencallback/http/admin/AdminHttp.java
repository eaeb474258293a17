package org.opencallback.http.admin;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.opencallback.testing.Gms;
import org.opencallback.testing.TestServer;
import org.opencallback.testing.TestServer.Response;

/** What the admin, security and operations tests share: requests with headers, credentials, callbacks. */
final class AdminHttp {
  static final String ADMIN = "/genesys/1/admin/callback";
  static final String SERVICE = Gms.BASE;
  static final String USER = "admin";
  static final String PASSWORD = "s3cret-Passw0rd";
  /** A cheap bcrypt hash (cost 4) of {@link #PASSWORD}: tests stay fast, the check is the real one. */
  static final String HASH = BCrypt.withDefaults().hashToString(4, PASSWORD.toCharArray());
  static final String USERS = "users:\n  " + USER + ": '" + HASH + "'\n";

  private static final AtomicLong NUMBERS = new AtomicLong(ThreadLocalRandom.current().nextLong(1_000_000L, 8_000_000L));

  private AdminHttp() {}

  static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  static Map<String, String> admin() {
    return Map.of("Authorization", basic(USER, PASSWORD));
  }

  /** A request with headers and an optional JSON (or other) body. */
  static Response send(TestServer server, String method, String path, Map<String, String> headers, String body) {
    return Gms.send(server, method, path, headers, body);
  }

  static Response get(TestServer server, String path, Map<String, String> headers) {
    return send(server, "GET", path, headers, null);
  }

  static Response post(TestServer server, String path, Map<String, String> headers, Object body) {
    return send(server, "POST", path, headers, write(body));
  }

  static Response adminGet(TestServer server, String path) {
    return get(server, ADMIN + path, admin());
  }

  static Response adminPost(TestServer server, String path, Object body) {
    return post(server, ADMIN + path, admin(), body);
  }

  static String write(Object body) {
    return Gms.write(body);
  }

  static String header(Response response, String name) {
    return Gms.header(response, name);
  }

  /** A customer number no other test uses. */
  static String number() {
    return "+1555" + NUMBERS.incrementAndGet();
  }

  static String encode(String value) {
    return Gms.encode(value);
  }

  static String iso(Instant instant) {
    return Gms.iso(instant);
  }

  static Instant now() {
    return Gms.now();
  }

  static Map<String, Object> body(Object... keysAndValues) {
    return Gms.body(keysAndValues);
  }

  /** Starts a callback (no credentials) and returns its id; fails unless 200. */
  static String start(TestServer server, String service, Map<String, Object> body) {
    return Gms.start(server, service, body);
  }

  static String startQueued(TestServer server, String service, String number) {
    return start(server, service, body("_customer_number", number));
  }

  static String startScheduled(TestServer server, String service, String number, Duration ahead) {
    return start(server, service, body("_customer_number", number, "_desired_time", iso(now().plus(ahead))));
  }

  static Map<String, Object> callback(TestServer server, String service, String id) {
    return Gms.get(server, service, id);
  }

  /**
   * A GMS error body: the status, the members code, phrase, message, exception and properties, and the
   * code.
   */
  static Map<String, Object> assertError(Response response, int status, int code) {
    return Gms.assertError(response, status, code);
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> listOf(Object value) {
    return (List<Map<String, Object>>) value;
  }
}
