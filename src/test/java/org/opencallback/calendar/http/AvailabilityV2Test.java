package org.opencallback.calendar.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.opencallback.calendar.http.Cal.NOW;
import static org.opencallback.calendar.http.Cal.assertError;
import static org.opencallback.calendar.http.Cal.booked;
import static org.opencallback.calendar.http.Cal.slots;
import static org.opencallback.calendar.http.Cal.v1;
import static org.opencallback.calendar.http.Cal.v2;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opencallback.testing.MutableClock;
import org.opencallback.testing.TestServer;

/**
 * Availability v2, {@code GET /genesys/2/service/callback/{svc}/availability} (issue 4 item 4, api.md
 * §7): {@code {slots:[{utcTime, localTime, capacity, total}], durationMin, timezone}}. "Now" is
 * Monday 2030-01-07 06:00 UTC.
 */
class AvailabilityV2Test {
  static final String CONFIG = AvailabilityV1Test.CONFIG;
  static final String V2 = "/genesys/2/service/callback/";

  static MutableClock clock;
  static TestServer server;

  @BeforeAll
  static void start() {
    clock = new MutableClock(NOW);
    server = TestServer.start(CONFIG, clock);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @BeforeEach
  void resetClock() {
    clock.set(NOW);
  }

  private static Map<String, Object> slot(String utc, String local, int capacity, int total) {
    return Map.of("utcTime", utc, "localTime", local, "capacity", capacity, "total", total);
  }

  private static List<Object> utcTimes(Map<String, Object> body) {
    return slots(body).stream().map(s -> s.get("utcTime")).toList();
  }

  @Test
  void bodyHasSlotsDurationAndTimezone() {
    Map<String, Object> body = v2(server, "Utc5", "start=2030-01-08T09:00:00.000Z&end=2030-01-08T09:15:00.000Z");
    assertThat(body).containsKeys("slots", "durationMin", "timezone");
    assertThat(slots(body)).containsExactly(
        slot("2030-01-08T09:00:00.000Z", "2030-01-08T09:00:00.000", 3, 3),
        slot("2030-01-08T09:05:00.000Z", "2030-01-08T09:05:00.000", 3, 3),
        slot("2030-01-08T09:10:00.000Z", "2030-01-08T09:10:00.000", 3, 3));
    assertThat(body.get("durationMin")).isEqualTo(5);
    assertThat(body.get("timezone")).isInstanceOf(String.class);
    assertThat((String) body.get("timezone")).isNotBlank();
  }

  @Test
  void startMsAndEndMsAreEpochMillis() {
    long start = Instant.parse("2030-01-08T09:00:00Z").toEpochMilli();
    long end = Instant.parse("2030-01-08T09:15:00Z").toEpochMilli();
    assertThat(v2(server, "Utc5", "start-ms=" + start + "&end-ms=" + end))
        .isEqualTo(v2(server, "Utc5", "start=2030-01-08T09:00:00.000Z&end=2030-01-08T09:15:00.000Z"));
    // mixed: start-ms with end, start with end-ms
    assertThat(slots(v2(server, "Utc5", "start-ms=" + start + "&end=2030-01-08T09:15:00.000Z"))).hasSize(3);
    assertThat(slots(v2(server, "Utc5", "start=2030-01-08T09:00:00.000Z&end-ms=" + end))).hasSize(3);
  }

  @Test
  void numberOfDaysAndMaxTimeSlots() {
    Map<String, Object> body = v2(server, "Utc60", "start=2030-01-11T00:00:00.000Z&number-of-days=4");
    assertThat(utcTimes(body)).hasSize(16).startsWith("2030-01-11T09:00:00.000Z").endsWith("2030-01-14T16:00:00.000Z");
    assertThat(utcTimes(v2(server, "Utc60", "start=2030-01-11T00:00:00.000Z&number-of-days=4&max-time-slots=3")))
        .containsExactly("2030-01-11T09:00:00.000Z", "2030-01-11T10:00:00.000Z", "2030-01-11T11:00:00.000Z");
  }

  @Test
  void withoutParametersFromNowToTheEndOfTodayInTheOfficesZone() {
    assertThat(utcTimes(v2(server, "Utc60", ""))).hasSize(8).startsWith("2030-01-07T09:00:00.000Z");
  }

  @Test
  void onlyOneOfEndEndMsAndNumberOfDays() {
    String start = "start=2030-01-08T00:00:00.000Z";
    String end = "end=2030-01-08T12:00:00.000Z";
    String endMs = "end-ms=" + Instant.parse("2030-01-08T12:00:00Z").toEpochMilli();
    String days = "number-of-days=1";
    for (String query : List.of(
        start + "&" + end + "&" + endMs,
        start + "&" + end + "&" + days,
        start + "&" + endMs + "&" + days,
        start + "&" + end + "&" + endMs + "&" + days)) {
      Map<String, Object> body = assertError(server.get(V2 + "Utc5/availability?" + query), 400, 40010);
      assertThat((String) body.get("message")).as(query).contains("only one of");
    }
    assertError(server.get(V2 + "Utc5/availability?" + start + "&start-ms=1893456000000"), 400, 40010);
  }

  @Test
  void timezoneReadsStartAndEndAndWritesLocalTime() {
    Map<String, Object> body =
        v2(server, "Utc60", "start=2030-01-08T10:00:00.000&end=2030-01-08T12:00:00.000&timezone=Europe/Paris");
    assertThat(slots(body)).containsExactly(
        slot("2030-01-08T09:00:00.000Z", "2030-01-08T10:00:00.000", 4, 4),
        slot("2030-01-08T10:00:00.000Z", "2030-01-08T11:00:00.000", 4, 4));
    assertThat(body.get("timezoneId")).isEqualTo("Europe/Paris");
    assertThat((String) body.get("timezone")).startsWith("Central European");
    Map<String, Object> newYork =
        v2(server, "Utc60", "start=2030-01-08T09:00:00.000Z&end=2030-01-08T10:00:00.000Z&timezone=America/New_York");
    assertThat(slots(newYork)).containsExactly(slot("2030-01-08T09:00:00.000Z", "2030-01-08T04:00:00.000", 4, 4));
    assertThat(newYork.get("timezone")).isEqualTo("Eastern Standard Time");
  }

  @Test
  void withoutTimezoneLocalTimeIsInTheOfficesZone() {
    Map<String, Object> body = v2(server, "Paris", "start=2030-01-08T08:00:00.000Z&end=2030-01-08T08:30:00.000Z");
    assertThat(slots(body)).containsExactly(
        slot("2030-01-08T08:00:00.000Z", "2030-01-08T09:00:00.000", 2, 2),
        slot("2030-01-08T08:15:00.000Z", "2030-01-08T09:15:00.000", 2, 2));
    assertThat(body.get("timezoneId")).isEqualTo("Europe/Paris");
    assertThat(body.get("durationMin")).isEqualTo(15);
  }

  @Test
  void reportBusyListsFullSlotsWithCapacityZero() {
    for (int i = 0; i < 3; i++) {
      booked(server, "Utc5", Instant.parse("2030-01-09T11:00:00Z").plusSeconds(60L * i));
    }
    booked(server, "Utc5", Instant.parse("2030-01-09T11:07:00Z"));
    String range = "start=2030-01-09T10:55:00.000Z&end=2030-01-09T11:10:00.000Z";
    assertThat(slots(v2(server, "Utc5", range + "&report-busy=true"))).containsExactly(
        slot("2030-01-09T10:55:00.000Z", "2030-01-09T10:55:00.000", 3, 3),
        slot("2030-01-09T11:00:00.000Z", "2030-01-09T11:00:00.000", 0, 3),
        slot("2030-01-09T11:05:00.000Z", "2030-01-09T11:05:00.000", 2, 3));
    assertThat(utcTimes(v2(server, "Utc5", range)))
        .containsExactly("2030-01-09T10:55:00.000Z", "2030-01-09T11:05:00.000Z");
    assertThat(utcTimes(v2(server, "Utc5", range + "&report-busy=false")))
        .containsExactly("2030-01-09T10:55:00.000Z", "2030-01-09T11:05:00.000Z");
    assertThat(v1(server, "Utc5", range)).containsOnlyKeys("2030-01-09T10:55:00.000Z", "2030-01-09T11:05:00.000Z");
  }

  @Test
  void reportBusyNeverListsClosedOrZeroCapacityBuckets() {
    // Paris Tuesday: capacity only 09:00-11:00 local; the office is open until 17:00
    Map<String, Object> body = v2(server, "Paris", "start=2030-01-08T00:00:00.000Z&number-of-days=1&report-busy=true");
    assertThat(utcTimes(body)).hasSize(8).startsWith("2030-01-08T08:00:00.000Z").endsWith("2030-01-08T09:45:00.000Z");
  }

  @Test
  void durationMinAndSpacingFollowRequestTimeBucket() {
    String range = "start=2030-01-08T09:00:00.000Z&end=2030-01-08T11:00:00.000Z";
    Map<String, Object> five = v2(server, "Utc5", range);
    Map<String, Object> fifteen = v2(server, "Utc15", range);
    Map<String, Object> sixty = v2(server, "Utc60", range);
    assertThat(five.get("durationMin")).isEqualTo(5);
    assertThat(fifteen.get("durationMin")).isEqualTo(15);
    assertThat(sixty.get("durationMin")).isEqualTo(60);
    assertThat(utcTimes(five)).hasSize(24);
    assertThat(utcTimes(fifteen)).hasSize(8).contains("2030-01-08T09:15:00.000Z", "2030-01-08T10:45:00.000Z");
    assertThat(utcTimes(sixty)).containsExactly("2030-01-08T09:00:00.000Z", "2030-01-08T10:00:00.000Z");
    assertThat(slots(fifteen)).allSatisfy(s -> assertThat(s.get("total")).isEqualTo(2));
  }

  @Test
  void withoutOfficeHoursOrCapacityEveryBucketHasMaxRequestByTimeBucket() {
    Map<String, Object> body = v2(server, "Anytime", "start=2030-01-13T00:00:00.000Z&end=2030-01-13T01:30:00.000Z");
    assertThat(slots(body)).containsExactly(
        slot("2030-01-13T00:00:00.000Z", "2030-01-13T00:00:00.000", 6, 6),
        slot("2030-01-13T00:30:00.000Z", "2030-01-13T00:30:00.000", 6, 6),
        slot("2030-01-13T01:00:00.000Z", "2030-01-13T01:00:00.000", 6, 6));
    assertThat(body.get("durationMin")).isEqualTo(30);
    // OpenCallback's extra member; the zone of a service without office hours is UTC ("Z")
    assertThat(body.get("timezoneId")).isIn("UTC", "Z");
  }

  @Test
  void springForwardSkipsTheMissingLocalHour() {
    // New York 2030-03-10: 02:00 EST jumps to 03:00 EDT; open all Sunday
    Map<String, Object> body = v2(server, "NewYork60", "start=2030-03-10T00:00:00&number-of-days=1");
    assertThat(slots(body)).hasSize(23);
    assertThat(slots(body).subList(0, 3)).extracting(s -> s.get("utcTime") + " " + s.get("localTime")).containsExactly(
        "2030-03-10T05:00:00.000Z 2030-03-10T00:00:00.000",
        "2030-03-10T06:00:00.000Z 2030-03-10T01:00:00.000",
        "2030-03-10T07:00:00.000Z 2030-03-10T03:00:00.000");
    // 120-minute buckets: 00:00 EST to the jump, then 03:00-04:00 EDT, then 04:00, 06:00 …
    assertThat(utcTimes(v2(server, "NewYork120", "start=2030-03-10T00:00:00&end=2030-03-10T08:00:00")))
        .containsExactly("2030-03-10T05:00:00.000Z", "2030-03-10T07:00:00.000Z",
            "2030-03-10T08:00:00.000Z", "2030-03-10T10:00:00.000Z");
  }

  @Test
  void fallBackGivesTheRepeatedHourItsOwnBucketsAndPlaces() {
    clock.set(Instant.parse("2030-10-20T12:00:00Z"));
    // New York 2030-11-03: 02:00 EDT falls back to 01:00 EST; 01:00 local happens twice
    Map<String, Object> body = v2(server, "NewYork60", "start=2030-11-03T00:00:00&number-of-days=1");
    assertThat(slots(body)).hasSize(25);
    assertThat(slots(body).subList(0, 4)).extracting(s -> s.get("utcTime") + " " + s.get("localTime")).containsExactly(
        "2030-11-03T04:00:00.000Z 2030-11-03T00:00:00.000",
        "2030-11-03T05:00:00.000Z 2030-11-03T01:00:00.000",
        "2030-11-03T06:00:00.000Z 2030-11-03T01:00:00.000",
        "2030-11-03T07:00:00.000Z 2030-11-03T02:00:00.000");
    // the first 01:00 (EDT) fills up; the second (EST) keeps its places
    booked(server, "NewYork60", Instant.parse("2030-11-03T05:10:00Z"));
    booked(server, "NewYork60", Instant.parse("2030-11-03T05:50:00Z"));
    assertError(Cal.schedule(server, "NewYork60", Instant.parse("2030-11-03T05:30:00Z")), 400, 40051, "availability");
    booked(server, "NewYork60", Instant.parse("2030-11-03T06:30:00Z"));
    Map<String, Object> busy =
        v2(server, "NewYork60", "start=2030-11-03T05:00:00.000Z&end=2030-11-03T07:00:00.000Z&report-busy=true");
    assertThat(slots(busy)).containsExactly(
        slot("2030-11-03T05:00:00.000Z", "2030-11-03T01:00:00.000", 0, 2),
        slot("2030-11-03T06:00:00.000Z", "2030-11-03T01:00:00.000", 1, 2));
  }

  @Test
  void badParametersAre400With40010() {
    for (String query : List.of(
        "start=soon",
        "start-ms=yesterday",
        "start=2030-01-08T00:00:00.000Z&end-ms=1.5",
        "start=2030-01-08T00:00:00.000Z&end=later",
        "start=2030-01-08T00:00:00.000Z&timezone=Nowhere/Atlantis",
        "start=2030-01-08T00:00:00.000Z&max-time-slots=0",
        "start=2030-01-08T00:00:00.000Z&number-of-days=0",
        "start=2030-01-08T00:00:00.000Z&end=2030-01-07T00:00:00.000Z",
        "start=2030-01-08T00:00:00.000Z&number-of-days=93")) {
      Map<String, Object> body = assertError(server.get(V2 + "Utc5/availability?" + query), 400, 40010);
      assertThat(body.get("phrase")).as(query).isEqualTo("INVALID_PARAMETER");
    }
  }

  @Test
  void anUnknownServiceIs404() {
    assertError(server.get(V2 + "Nobody/availability"), 404, 40010);
  }
}
