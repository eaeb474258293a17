package org.opencallback.callback.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import org.opencallback.testing.Gms;
import org.opencallback.testing.TestServer;
import org.opencallback.testing.TestServer.Response;

/**
 * What the admission HTTP tests share: request builders, customer numbers, GMS error-body checks and
 * a "together" runner for concurrency tests. (Small helpers copied from org.opencallback.http.Api.)
 */
final class Http {
  static final String BASE = Gms.BASE;
  static final String NUMBER_EXCEPTION =
      "com.genesyslab.gsg.services.callback.exceptions.CallbackExceptionNumber";

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
    return Gms.iso(instant);
  }

  static Instant now() {
    return Gms.now();
  }

  /** Two days ahead: scheduled, well inside the default one-month future limit. */
  static String inTwoDays() {
    return iso(now().plus(2, ChronoUnit.DAYS));
  }

  static Map<String, Object> body(Object... keysAndValues) {
    return Gms.body(keysAndValues);
  }

  static String path(String service) {
    return Gms.path(service);
  }

  static String path(String service, String id) {
    return Gms.path(service, id);
  }

  static String encode(String value) {
    return Gms.encode(value);
  }

  static Response post(TestServer server, String service, Map<String, Object> body) {
    return server.postJson(path(service), body);
  }

  /** A JSON POST with extra HTTP headers. */
  static Response post(TestServer server, String service, Map<String, Object> body, Map<String, String> headers) {
    return Gms.send(server, "POST", path(service), headers, Gms.write(body));
  }

  /** Starts a callback and returns its id; fails unless 200. */
  static String start(TestServer server, String service, Map<String, Object> body) {
    return Gms.start(server, service, body);
  }

  static String startQueued(TestServer server, String service, String number) {
    return start(server, service, body("_customer_number", number));
  }

  static String startScheduled(TestServer server, String service, String number) {
    return start(server, service, body("_customer_number", number, "_desired_time", inTwoDays()));
  }

  static Map<String, Object> get(TestServer server, String service, String id) {
    return Gms.get(server, service, id);
  }

  static String state(TestServer server, String service, String id) {
    return Gms.state(server, service, id);
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
    return Gms.lookupAll(server, number);
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
    return Gms.assertError(response, status, code);
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> properties(Map<String, Object> errorBody) {
    return (Map<String, Object>) errorBody.get("properties");
  }

  /** Runs the tasks at once (threads released together by a latch) and returns their results in order. */
  static <T> List<T> together(List<Callable<T>> tasks) throws Exception {
    return Gms.together(tasks);
  }

}
