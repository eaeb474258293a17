package org.opencallback.calendar.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import org.opencallback.testing.Gms;
import org.opencallback.testing.TestServer;
import org.opencallback.testing.TestServer.Response;

/**
 * What the calendar HTTP tests share: the fixed "now" they run at, request builders, availability
 * readers and GMS error-body checks. (Small helpers in the spirit of org.opencallback.http.Api.)
 */
final class Cal {
  /** Monday 2030-01-07 06:00 UTC: before opening in UTC (9:00) and in Paris (9:00 = 08:00 UTC). */
  static final Instant NOW = Instant.parse("2030-01-07T06:00:00Z");
  /** Tuesday 2030-01-08 00:00 UTC: a working day after "now". */
  static final Instant TUESDAY = Instant.parse("2030-01-08T00:00:00Z");

  static final String BASE = Gms.BASE;
  static final String AVAILABILITY_EXCEPTION =
      "com.genesyslab.gsg.services.callback.exceptions.CallbackExceptionAvailability";

  private static final String[] AREAS = {"212", "312", "415", "617", "718", "202", "305", "503"};
  private static final AtomicInteger NEXT = new AtomicInteger();

  private Cal() {}

  /** A valid US number in E.164 no other request of this JVM uses. */
  static String number() {
    int n = NEXT.getAndIncrement();
    return "+1" + AREAS[(n / 9000) % AREAS.length] + "555" + (1000 + n % 9000);
  }

  static String iso(Instant instant) {
    return Gms.iso(instant);
  }

  /** Tuesday 2030-01-08 at HH:mm UTC. */
  static Instant tuesday(String hhmm) {
    return Instant.parse("2030-01-08T" + hhmm + ":00Z");
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

  /** POST a callback scheduled at {@code desired} (a fresh number). */
  static Response schedule(TestServer server, String service, Instant desired) {
    return server.postJson(path(service), body("_customer_number", number(), "_desired_time", iso(desired)));
  }

  /** Schedules a callback; fails unless 200; returns its id. */
  static String booked(TestServer server, String service, Instant desired) {
    Response response = schedule(server, service, desired);
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return (String) response.map().get("_id");
  }

  static Map<String, Object> get(TestServer server, String service, String id) {
    return Gms.get(server, service, id);
  }

  /** Availability v1 as an ordered map; fails unless 200. */
  static LinkedHashMap<String, Integer> v1(TestServer server, String service, String query) {
    Response response = server.get(path(service) + "/availability" + (query.isEmpty() ? "" : "?" + query));
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return ordered(response.body());
  }

  /** Availability v2 body; fails unless 200. */
  static Map<String, Object> v2(TestServer server, String service, String query) {
    Response response =
        server.get("/genesys/2/service/callback/" + service + "/availability" + (query.isEmpty() ? "" : "?" + query));
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return response.map();
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> slots(Map<String, Object> v2) {
    return (List<Map<String, Object>>) v2.get("slots");
  }

  /** A JSON object read keeping its order. */
  static LinkedHashMap<String, Integer> ordered(String json) {
    try {
      return TestServer.JSON.readValue(json, new TypeReference<LinkedHashMap<String, Integer>>() {});
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The {@code availability} member of an error body, in order. */
  static LinkedHashMap<String, Integer> availability(Response response) {
    try {
      Map<String, Object> body =
          TestServer.JSON.readValue(response.body(), new TypeReference<LinkedHashMap<String, Object>>() {});
      return ordered(TestServer.JSON.writeValueAsString(body.get("availability")));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Checks a GMS error body: status, code, phrase, message, exception and properties, plus only the
   * extra members named; returns the body.
   */
  static Map<String, Object> assertError(Response response, int status, int code, String... extra) {
    return Gms.assertError(response, status, code, extra);
  }

  /** Runs the tasks at once (released together by a latch); results in order. */
  static <T> List<T> together(List<Callable<T>> tasks) throws Exception {
    return Gms.together(tasks);
  }
}
