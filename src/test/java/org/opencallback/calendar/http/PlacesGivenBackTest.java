package org.opencallback.calendar.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.opencallback.calendar.http.Cal.NOW;
import static org.opencallback.calendar.http.Cal.assertError;
import static org.opencallback.calendar.http.Cal.body;
import static org.opencallback.calendar.http.Cal.booked;
import static org.opencallback.calendar.http.Cal.iso;
import static org.opencallback.calendar.http.Cal.path;
import static org.opencallback.calendar.http.Cal.schedule;
import static org.opencallback.calendar.http.Cal.slots;
import static org.opencallback.calendar.http.Cal.v1;
import static org.opencallback.calendar.http.Cal.v2;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opencallback.testing.MutableClock;
import org.opencallback.testing.TestServer;
import org.opencallback.testing.TestServer.Response;

/**
 * A scheduled callback takes one place in its bucket; cancelling, completing and rescheduling it
 * elsewhere give the place back (issue 4 item 3). Seen through availability v1/v2 and a new booking.
 * "Now" is Monday 2030-01-07 06:00 UTC.
 */
class PlacesGivenBackTest {
  static final String CONFIG = String.join("\n",
      "service.Tight:",
      "  _type: ors",
      "  _business_hours_service: utc-hours",
      "  _request_time_bucket: 5",
      "  _max_request_by_time_bucket: 1",
      "service.Pair:",
      "  _type: ors",
      "  _business_hours_service: utc-hours",
      "  _request_time_bucket: 15",
      "  _capacity_service: two-per-bucket",
      "service.utc-hours:",
      "  _type: builtin",
      "  _service: office-hours",
      "  _timezone: UTC",
      "  _bh_regular1: Mon-Fri 9:00-17:00",
      "service.two-per-bucket:",
      "  _type: builtin",
      "  _service: capacity",
      "  _timezone: UTC",
      "  _capacity_3: '{\"3\":{\"0900\":2,\"1000\":2,\"1100\":2,\"1200\":2,\"1300\":2}}'",
      "engine:",
      "  agents: 0",
      "");

  static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start(CONFIG, new MutableClock(NOW));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** Free places of the 5-minute Tight bucket starting at {@code bucket}, 0 when full (report-busy). */
  private static int tightFree(String bucket) {
    Instant start = Instant.parse(bucket);
    Map<String, Object> body = v2(server, "Tight",
        "start=" + iso(start) + "&end=" + iso(start.plusSeconds(300)) + "&report-busy=true");
    assertThat(slots(body)).hasSize(1);
    assertThat(slots(body).get(0).get("total")).isEqualTo(1);
    return (Integer) slots(body).get(0).get("capacity");
  }

  private static int pairFree(String bucket) {
    Instant start = Instant.parse(bucket);
    Map<String, Integer> availability = v1(server, "Pair", "start=" + iso(start) + "&end=" + iso(start.plusSeconds(900)));
    return availability.getOrDefault(iso(start), 0);
  }

  private static void assertFullAt(String service, String desired) {
    assertError(schedule(server, service, Instant.parse(desired)), 400, 40051, "availability");
  }

  @Test
  void cancellingGivesThePlaceBack() {
    String id = booked(server, "Tight", Instant.parse("2030-01-08T10:00:00Z"));
    assertThat(tightFree("2030-01-08T10:00:00Z")).isZero();
    assertFullAt("Tight", "2030-01-08T10:01:00Z");
    Response cancelled = server.delete(path("Tight", id));
    assertThat(cancelled.status()).as(cancelled.body()).isEqualTo(200);
    assertThat(tightFree("2030-01-08T10:00:00Z")).isEqualTo(1);
    booked(server, "Tight", Instant.parse("2030-01-08T10:02:00Z"));
    assertThat(tightFree("2030-01-08T10:00:00Z")).isZero();
  }

  @Test
  void completingGivesThePlaceBack() {
    String id = booked(server, "Tight", Instant.parse("2030-01-08T10:30:00Z"));
    assertFullAt("Tight", "2030-01-08T10:31:00Z");
    Response completed = server.putJson(path("Tight", id),
        body("_callback_state", "COMPLETED", "_callback_reason", "ANSWERED"));
    assertThat(completed.status()).as(completed.body()).isEqualTo(200);
    assertThat(Cal.get(server, "Tight", id).get("_callback_state")).isEqualTo("COMPLETED");
    assertThat(tightFree("2030-01-08T10:30:00Z")).isEqualTo(1);
    booked(server, "Tight", Instant.parse("2030-01-08T10:33:00Z"));
  }

  @Test
  void reschedulingElsewhereMovesThePlace() {
    String id = booked(server, "Tight", Instant.parse("2030-01-08T11:00:00Z"));
    Response moved = server.putJson(path("Tight", id), body("_new_desired_time", "2030-01-08T11:30:00.000Z"));
    assertThat(moved.status()).as(moved.body()).isEqualTo(200);
    assertThat(tightFree("2030-01-08T11:00:00Z")).isEqualTo(1);
    assertThat(tightFree("2030-01-08T11:30:00Z")).isZero();
    booked(server, "Tight", Instant.parse("2030-01-08T11:04:00Z"));
    assertFullAt("Tight", "2030-01-08T11:32:00Z");
  }

  @Test
  void reschedulingToNowGivesThePlaceBack() {
    String id = booked(server, "Tight", Instant.parse("2030-01-08T12:00:00Z"));
    Response queued = server.putJson(path("Tight", id), body("_new_desired_time", iso(NOW)));
    assertThat(queued.status()).as(queued.body()).isEqualTo(200);
    assertThat(Cal.get(server, "Tight", id).get("_callback_state")).isEqualTo("QUEUED");
    assertThat(tightFree("2030-01-08T12:00:00Z")).isEqualTo(1);
    booked(server, "Tight", Instant.parse("2030-01-08T12:00:00Z"));
  }

  @Test
  void aPlaceIsGivenBackOnlyOnce() {
    String id = booked(server, "Pair", Instant.parse("2030-01-09T09:00:00Z"));
    assertThat(pairFree("2030-01-09T09:00:00Z")).isEqualTo(1);
    assertThat(server.delete(path("Pair", id)).status()).isEqualTo(200);
    assertThat(pairFree("2030-01-09T09:00:00Z")).isEqualTo(2);
    assertError(server.delete(path("Pair", id)), 400, 40020);
    assertError(server.putJson(path("Pair", id), body("_callback_state", "COMPLETED")), 400, 40020);
    assertThat(pairFree("2030-01-09T09:00:00Z")).isEqualTo(2);
    booked(server, "Pair", Instant.parse("2030-01-09T09:01:00Z"));
    booked(server, "Pair", Instant.parse("2030-01-09T09:14:00Z"));
    assertFullAt("Pair", "2030-01-09T09:07:00Z");
  }

  @Test
  void everyWayOfLeavingABucketFreesItInAFifteenMinuteCapacityBucket() {
    String cancelled = booked(server, "Pair", Instant.parse("2030-01-09T10:00:00Z"));
    String completed = booked(server, "Pair", Instant.parse("2030-01-09T10:10:00Z"));
    assertFullAt("Pair", "2030-01-09T10:05:00Z");
    assertThat(server.delete(path("Pair", cancelled)).status()).isEqualTo(200);
    assertThat(pairFree("2030-01-09T10:00:00Z")).isEqualTo(1);
    assertThat(server.putJson(path("Pair", completed), body("_callback_state", "COMPLETED")).status()).isEqualTo(200);
    assertThat(pairFree("2030-01-09T10:00:00Z")).isEqualTo(2);
    String moved = booked(server, "Pair", Instant.parse("2030-01-09T10:01:00Z"));
    booked(server, "Pair", Instant.parse("2030-01-09T10:02:00Z"));
    assertThat(pairFree("2030-01-09T10:00:00Z")).isZero();
    assertThat(server.putJson(path("Pair", moved), body("_new_desired_time", "2030-01-09T11:00:00.000Z")).status())
        .isEqualTo(200);
    assertThat(pairFree("2030-01-09T10:00:00Z")).isEqualTo(1);
    assertThat(pairFree("2030-01-09T11:00:00Z")).isEqualTo(1);
  }
}
