package org.opencallback.http.admin;

import static org.assertj.core.api.Assertions.assertThat;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.opencallback.domain.Times;
import org.opencallback.testing.TestServer;
import org.opencallback.testing.TestServer.Response;

/** What the admin, security and operations tests share: requests with headers, credentials, callbacks. */
final class AdminHttp {
  static final String ADMIN = "/genesys/1/admin/callback";
  static final String SERVICE = "/genesys/1/service/callback";
  static final String USER = "admin";
  static final String PASSWORD = "s3cret-Passw0rd";
  /** A cheap bcrypt hash (cost 4) of {@link #PASSWORD}: tests stay fast, the check is the real one. */
  static final String HASH = BCrypt.withDefaults().hashToString(4, PASSWORD.toCharArray());
  static final String USERS = "users:\n  " + USER + ": '" + HASH + "'\n";

  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
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
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(server.base() + path))
        .timeout(Duration.ofSeconds(30))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      builder.header("Content-Type", "application/json");
    }
    headers.forEach(builder::header);
    try {
      HttpRequest request = builder.build();
      HttpResponse<String> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
      org.opencallback.testing.ApiContract.check(
          request, body == null ? null : body.getBytes(StandardCharsets.UTF_8), response);
      return new Response(response.statusCode(), response.body(), response.headers().map());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
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
    try {
      return body instanceof String ? (String) body : TestServer.JSON.writeValueAsString(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String header(Response response, String name) {
    return response.headers().entrySet().stream()
        .filter(e -> e.getKey().equalsIgnoreCase(name))
        .flatMap(e -> e.getValue().stream())
        .findFirst()
        .orElse(null);
  }

  /** A customer number no other test uses. */
  static String number() {
    return "+1555" + NUMBERS.incrementAndGet();
  }

  static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  static String iso(Instant instant) {
    return Times.format(instant);
  }

  static Instant now() {
    return Instant.now().truncatedTo(ChronoUnit.MILLIS);
  }

  static Map<String, Object> body(Object... keysAndValues) {
    Map<String, Object> body = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      body.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return body;
  }

  /** Starts a callback (no credentials) and returns its id; fails unless 200. */
  static String start(TestServer server, String service, Map<String, Object> body) {
    Response response = server.postJson(SERVICE + "/" + service, body);
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return (String) response.map().get("_id");
  }

  static String startQueued(TestServer server, String service, String number) {
    return start(server, service, body("_customer_number", number));
  }

  static String startScheduled(TestServer server, String service, String number, Duration ahead) {
    return start(server, service, body("_customer_number", number, "_desired_time", iso(now().plus(ahead))));
  }

  static Map<String, Object> callback(TestServer server, String service, String id) {
    Response response = server.get(SERVICE + "/" + service + "/" + id);
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return response.map();
  }

  /**
   * A GMS error body: the status, the members code, phrase, message, exception and properties, and the
   * code.
   */
  static Map<String, Object> assertError(Response response, int status, int code) {
    assertThat(response.status()).as(response.body()).isEqualTo(status);
    assertThat(header(response, "Content-Type")).contains("application/json");
    Map<String, Object> body = response.map();
    assertThat(body).containsOnlyKeys("code", "phrase", "message", "exception", "properties");
    assertThat(body.get("code")).isEqualTo(code);
    assertThat((String) body.get("message")).isNotBlank();
    return body;
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> listOf(Object value) {
    return (List<Map<String, Object>>) value;
  }
}
