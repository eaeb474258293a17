package org.opencallback.admission.http;

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
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
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
import java.util.concurrent.atomic.AtomicInteger;
import org.opencallback.testing.TestServer;
import org.opencallback.testing.TestServer.Response;

/**
 * What the admission HTTP tests share: request builders, customer numbers, GMS error-body checks and
 * a "together" runner for concurrency tests. (Small helpers copied from org.opencallback.http.Api.)
 */
final class Http {
  static final String BASE = "/genesys/1/service/callback";
  static final String NUMBER_EXCEPTION =
      "com.genesyslab.gsg.services.callback.exceptions.CallbackExceptionNumber";

  private static final DateTimeFormatter ISO =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  /** Subscriber numbers 617-555-1000 … 617-555-9999, each handed out once per JVM. */
  private static final AtomicInteger NEXT = new AtomicInteger(1000);

  private Http() {}

  /** A valid US number in E.164 (+1617555xxxx) no other test uses. */
  static String number() {
    int n = NEXT.getAndIncrement();
    if (n > 9999) {
      throw new IllegalStateException("out of test numbers");
    }
    return "+1617555" + n;
  }

  static String iso(Instant instant) {
    return ISO.format(instant);
  }

  static Instant now() {
    return Instant.now().truncatedTo(ChronoUnit.MILLIS);
  }

  /** Two days ahead: scheduled, well inside the default one-month future limit. */
  static String inTwoDays() {
    return iso(now().plus(2, ChronoUnit.DAYS));
  }

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

  static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  static Response post(TestServer server, String service, Map<String, Object> body) {
    return server.postJson(path(service), body);
  }

  /** A JSON POST with extra HTTP headers. */
  static Response post(TestServer server, String service, Map<String, Object> body, Map<String, String> headers) {
    try {
      HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(server.base() + path(service)))
          .header("Content-Type", "application/json")
          .timeout(Duration.ofSeconds(30))
          .POST(HttpRequest.BodyPublishers.ofString(TestServer.JSON.writeValueAsString(body)));
      headers.forEach(builder::header);
      HttpRequest request = builder.build();
      HttpResponse<String> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
      org.opencallback.testing.ApiContract.check(
          request, TestServer.JSON.writeValueAsBytes(body), response);
      return new Response(response.statusCode(), response.body(), response.headers().map());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Starts a callback and returns its id; fails unless 200. */
  static String start(TestServer server, String service, Map<String, Object> body) {
    Response response = post(server, service, body);
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    Object id = response.map().get("_id");
    assertThat(id).isInstanceOf(String.class);
    return (String) id;
  }

  static String startQueued(TestServer server, String service, String number) {
    return start(server, service, body("_customer_number", number));
  }

  static String startScheduled(TestServer server, String service, String number) {
    return start(server, service, body("_customer_number", number, "_desired_time", inTwoDays()));
  }

  static Map<String, Object> get(TestServer server, String service, String id) {
    Response response = server.get(path(service, id));
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return response.map();
  }

  static String state(TestServer server, String service, String id) {
    return String.valueOf(get(server, service, id).get("_callback_state"));
  }

  static void cancel(TestServer server, String service, String id) {
    Response response = server.delete(path(service, id));
    assertThat(response.status()).as(response.body()).isEqualTo(200);
  }

  /** Lookup in one service by a query string such as {@code _customer_number=...}. */
  static List<Map<String, Object>> lookup(TestServer server, String service, String query) {
    Response response = server.get(path(service) + "?" + query);
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return response.list();
  }

  /** Lookup across every service by customer number. */
  static List<Map<String, Object>> lookupAll(TestServer server, String number) {
    Response response = server.get(BASE + "?_customer_number=" + encode(number));
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return response.list();
  }

  /** A refusal left nothing behind: no callback of that number in any service. */
  static void assertNothingStored(TestServer server, String number) {
    assertThat(lookupAll(server, number)).as("callbacks of " + number).isEmpty();
  }

  /**
   * Checks a GMS error body: status, exactly code/phrase/message/exception/properties, the code and
   * the message; returns the body.
   */
  static Map<String, Object> assertError(Response response, int status, int code, String message) {
    Map<String, Object> body = assertError(response, status, code);
    assertThat(body.get("message")).as(response.body()).isEqualTo(message);
    return body;
  }

  static Map<String, Object> assertError(Response response, int status, int code) {
    assertThat(response.status()).as(response.body()).isEqualTo(status);
    Map<String, Object> body = response.map();
    assertThat(body).containsOnlyKeys("code", "phrase", "message", "exception", "properties");
    assertThat(body.get("code")).as(response.body()).isEqualTo(code);
    assertThat(body.get("message")).isInstanceOf(String.class);
    assertThat(body.get("properties")).isInstanceOf(Map.class);
    if (code == 40020) {
      assertThat(body.get("phrase")).isEqualTo("INVALID_OPERATION");
    }
    return body;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> properties(Map<String, Object> errorBody) {
    return (Map<String, Object>) errorBody.get("properties");
  }

  /** Runs the tasks at once (threads released together by a latch) and returns their results in order. */
  static <T> List<T> together(List<Callable<T>> tasks) throws Exception {
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
