package org.opencallback.testing;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.opencallback.domain.Times;
import org.opencallback.testing.TestServer.Response;

/**
 * What every HTTP test of the GMS API needs: paths, request bodies, the start/get/lookup round trips
 * and the GMS error-body check. The per-area helpers (admission, calendars, admin, API) add their
 * own configurations and number ranges on top of this.
 */
public final class Gms {
  public static final String BASE = "/genesys/1/service/callback";

  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private Gms() {}

  /** A GMS time: UTC, milliseconds, {@code Z}. */
  public static String iso(Instant instant) {
    return Times.format(instant);
  }

  /** Now, to the millisecond, as the server sees it. */
  public static Instant now() {
    return Instant.now().truncatedTo(ChronoUnit.MILLIS);
  }

  /** A mutable ordered map from key, value pairs. */
  public static Map<String, Object> body(Object... keysAndValues) {
    Map<String, Object> body = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      body.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return body;
  }

  public static String path(String service) {
    return BASE + "/" + service;
  }

  public static String path(String service, String id) {
    return BASE + "/" + service + "/" + id;
  }

  public static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  /** A response header by name, any case; null when absent. */
  public static String header(Response response, String name) {
    return response.headers().entrySet().stream()
        .filter(e -> e.getKey().equalsIgnoreCase(name))
        .flatMap(e -> e.getValue().stream())
        .findFirst()
        .orElse(null);
  }

  /**
   * A request with extra headers and an optional body (JSON unless a Content-Type header says
   * otherwise), checked against the OpenAPI document like every {@link TestServer} request.
   */
  public static Response send(TestServer server, String method, String path, Map<String, String> headers, String body) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(server.base() + path))
        .timeout(Duration.ofSeconds(30))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null && headers.keySet().stream().noneMatch("Content-Type"::equalsIgnoreCase)) {
      builder.header("Content-Type", "application/json");
    }
    headers.forEach(builder::header);
    try {
      HttpRequest request = builder.build();
      HttpResponse<String> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
      ApiContract.check(request, body == null ? null : body.getBytes(StandardCharsets.UTF_8), response);
      return new Response(response.statusCode(), response.body(), response.headers().map());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** An object as JSON text; a string as it is. */
  public static String write(Object body) {
    try {
      return body instanceof String text ? text : TestServer.JSON.writeValueAsString(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts a callback and returns its id; fails unless 200. */
  public static String start(TestServer server, String service, Map<String, Object> body) {
    Response response = server.postJson(path(service), body);
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    Object id = response.map().get("_id");
    assertThat(id).isInstanceOf(String.class);
    return (String) id;
  }

  /** One callback ({@code GET …/{svc}/{id}}); fails unless 200. */
  public static Map<String, Object> get(TestServer server, String service, String id) {
    Response response = server.get(path(service, id));
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return response.map();
  }

  public static String state(TestServer server, String service, String id) {
    return String.valueOf(get(server, service, id).get("_callback_state"));
  }

  /** Lookup across every service by customer number. */
  public static List<Map<String, Object>> lookupAll(TestServer server, String number) {
    Response response = server.get(BASE + "?_customer_number=" + encode(number));
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return response.list();
  }

  /**
   * Checks a GMS error body: the status, a JSON content type, exactly the members code, phrase,
   * message, exception and properties (plus the {@code extra} members named), the code, an upper-case
   * phrase ({@code INVALID_OPERATION} for 40020), a message and an exception name; returns the body.
   */
  public static Map<String, Object> assertError(Response response, int status, int code, String... extra) {
    assertThat(response.status()).as(response.body()).isEqualTo(status);
    assertThat(header(response, "Content-Type")).as("content type").contains("application/json");
    Map<String, Object> body = response.map();
    List<String> keys = new ArrayList<>(List.of("code", "phrase", "message", "exception", "properties"));
    keys.addAll(List.of(extra));
    assertThat(body).as(response.body()).containsOnlyKeys(keys.toArray(String[]::new));
    assertThat(body.get("code")).as(response.body()).isEqualTo(code);
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

  /** Runs the tasks at once (threads released together by a latch) and returns their results in order. */
  public static <T> List<T> together(List<Callable<T>> tasks) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
    try {
      CountDownLatch ready = new CountDownLatch(tasks.size());
      CountDownLatch go = new CountDownLatch(1);
      List<Future<T>> futures = new ArrayList<>();
      for (Callable<T> task : tasks) {
        futures.add(pool.submit(() -> {
          ready.countDown();
          go.await();
          return task.call();
        }));
      }
      assertThat(ready.await(30, TimeUnit.SECONDS)).isTrue();
      go.countDown();
      List<T> results = new ArrayList<>();
      for (Future<T> future : futures) {
        results.add(future.get(120, TimeUnit.SECONDS));
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }
}
