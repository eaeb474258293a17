package org.opencallback.calendar.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.opencallback.calendar.http.Cal.NOW;
import static org.opencallback.calendar.http.Cal.assertError;
import static org.opencallback.calendar.http.Cal.booked;
import static org.opencallback.calendar.http.Cal.iso;
import static org.opencallback.calendar.http.Cal.v1;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opencallback.testing.MutableClock;
import org.opencallback.testing.TestServer;

/**
 * Availability v1, {@code GET /genesys/1/service/callback/{svc}/availability} (issue 4 item 4, api.md
 * §6): {@code {ISO slot start: free}} ascending, full and closed slots left out. "Now" is Monday
 * 2030-01-07 06:00 UTC; each test books in its own hours so the tests do not see each other.
 */
class AvailabilityV1Test {
  static final String CONFIG = String.join("\n",
      "service.Utc5:",
      "  _type: ors",
      "  _business_hours_service: utc-hours",
      "  _request_time_bucket: 5",
      "  _max_request_by_time_bucket: 3",
      "service.Utc15:",
      "  _type: ors",
      "  _business_hours_service: utc-hours",
      "  _request_time_bucket: 15",
      "  _max_request_by_time_bucket: 2",
      "service.Utc60:",
      "  _type: ors",
      "  _business_hours_service: utc-hours",
      "  _request_time_bucket: 60",
      "  _max_request_by_time_bucket: 4",
      "service.Paris:",
      "  _type: ors",
      "  _business_hours_service: paris-hours",
      "  _capacity_service: paris-capacity",
      "  _request_time_bucket: 15",
      "service.Anytime:",
      "  _type: ors",
      "  _request_time_bucket: 30",
      "  _max_request_by_time_bucket: 6",
      "service.NewYork60:",
      "  _type: ors",
      "  _business_hours_service: new-york-hours",
      "  _request_time_bucket: 60",
      "  _max_request_by_time_bucket: 2",
      "service.NewYork120:",
      "  _type: ors",
      "  _business_hours_service: new-york-hours",
      "  _request_time_bucket: 120",
      "  _max_request_by_time_bucket: 2",
      "service.new-york-hours:",
      "  _type: builtin",
      "  _service: office-hours",
      "  _timezone: America/New_York",
      "  _bh_regular1: Sun 0:00-24:00",
      "service.utc-hours:",
      "  _type: builtin",
      "  _service: office-hours",
      "  _timezone: UTC",
      "  _bh_regular1: Mon-Fri 9:00-17:00",
      "service.paris-hours:",
      "  _type: builtin",
      "  _service: office-hours",
      "  _timezone: Europe/Paris",
      "  _bh_regular1: Mon-Fri 9:00-17:00",
      "service.paris-capacity:",
      "  _type: builtin",
      "  _service: capacity",
      "  _timezone: Europe/Paris",
      "  _capacity_2: '{\"2\":{\"0900\":2,\"1000\":3}}'",
      "engine:",
      "  agents: 0",
      "");

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

  /** Expected v1 body: every step from first (inclusive) to last (inclusive) with the same count. */
  private static LinkedHashMap<String, Integer> every(String first, String last, Duration step, int free) {
    LinkedHashMap<String, Integer> expected = new LinkedHashMap<>();
    for (Instant t = Instant.parse(first); !t.isAfter(Instant.parse(last)); t = t.plus(step)) {
      expected.put(iso(t), free);
    }
    return expected;
  }

  private static void assertAscending(Map<String, Integer> availability) {
    List<String> keys = new ArrayList<>(availability.keySet());
    List<String> sorted = new ArrayList<>(keys);
    sorted.sort(null);
    assertThat(keys).isEqualTo(sorted);
  }

  @Test
  void withoutParametersFromNowToTheEndOfToday() {
    LinkedHashMap<String, Integer> availability = v1(server, "Utc60", "");
    assertThat(availability).containsExactlyEntriesOf(
        every("2030-01-07T09:00:00Z", "2030-01-07T16:00:00Z", Duration.ofHours(1), 4));
  }

  @Test
  void aStartAloneRunsToTheEndOfItsDay() {
    assertThat(v1(server, "Utc5", "start=2030-01-08T16:30:00.000Z")).containsExactlyEntriesOf(
        every("2030-01-08T16:30:00Z", "2030-01-08T16:55:00Z", Duration.ofMinutes(5), 3));
  }

  @Test
  void timestampIsTheLegacyNameOfStart() {
    assertThat(v1(server, "Utc5", "timestamp=2030-01-08T16:30:00.000Z"))
        .containsExactlyEntriesOf(v1(server, "Utc5", "start=2030-01-08T16:30:00.000Z"))
        .hasSize(6);
  }

  @Test
  void endIsExclusive() {
    assertThat(v1(server, "Utc5", "start=2030-01-08T08:50:00.000Z&end=2030-01-08T09:20:00.000Z"))
        .containsExactlyEntriesOf(every("2030-01-08T09:00:00Z", "2030-01-08T09:15:00Z", Duration.ofMinutes(5), 3));
  }

  @Test
  void numberOfDaysCountsCalendarDaysAndSkipsTheClosedWeekend() {
    LinkedHashMap<String, Integer> friday = every("2030-01-11T09:00:00Z", "2030-01-11T16:00:00Z", Duration.ofHours(1), 4);
    assertThat(v1(server, "Utc60", "start=2030-01-11T00:00:00.000Z&number-of-days=1")).containsExactlyEntriesOf(friday);
    assertThat(v1(server, "Utc60", "start=2030-01-11T00:00:00.000Z&number-of-days=3")).containsExactlyEntriesOf(friday);
    LinkedHashMap<String, Integer> withMonday = new LinkedHashMap<>(friday);
    withMonday.putAll(every("2030-01-14T09:00:00Z", "2030-01-14T16:00:00Z", Duration.ofHours(1), 4));
    LinkedHashMap<String, Integer> four = v1(server, "Utc60", "start=2030-01-11T00:00:00.000Z&number-of-days=4");
    assertThat(four).containsExactlyEntriesOf(withMonday);
    assertAscending(four);
  }

  @Test
  void closedSlotsAreLeftOut() {
    LinkedHashMap<String, Integer> day = v1(server, "Utc15", "start=2030-01-08T00:00:00.000Z&end=2030-01-09T00:00:00.000Z");
    assertThat(day).containsExactlyEntriesOf(every("2030-01-08T09:00:00Z", "2030-01-08T16:45:00Z", Duration.ofMinutes(15), 2));
    assertThat(v1(server, "Utc15", "start=2030-01-12T00:00:00.000Z&number-of-days=2")).as("weekend").isEmpty();
  }

  @Test
  void maxTimeSlotsKeepsTheFirstOnes() {
    assertThat(v1(server, "Utc5", "start=2030-01-08T00:00:00.000Z&max-time-slots=5"))
        .containsExactlyEntriesOf(every("2030-01-08T09:00:00Z", "2030-01-08T09:20:00Z", Duration.ofMinutes(5), 3));
  }

  @Test
  void fullSlotsAreLeftOutAndPartlyBookedOnesShowWhatIsLeft() {
    for (String at : List.of("10:01", "10:02", "10:04", "10:06")) {
      booked(server, "Utc5", Instant.parse("2030-01-09T" + at + ":00Z"));
    }
    LinkedHashMap<String, Integer> availability =
        v1(server, "Utc5", "start=2030-01-09T09:55:00.000Z&end=2030-01-09T10:15:00.000Z");
    assertThat(availability).containsExactly(
        Map.entry("2030-01-09T09:55:00.000Z", 3),
        Map.entry("2030-01-09T10:05:00.000Z", 2),
        Map.entry("2030-01-09T10:10:00.000Z", 3));
  }

  @Test
  void aStartInThePastBeginsNowAndTheCurrentPartBucketIsNotOffered() {
    assertThat(v1(server, "Utc60", "start=2030-01-06T00:00:00.000Z&number-of-days=2"))
        .containsExactlyEntriesOf(every("2030-01-07T09:00:00Z", "2030-01-07T16:00:00Z", Duration.ofHours(1), 4));
    clock.set(Instant.parse("2030-01-07T10:37:00Z"));
    LinkedHashMap<String, Integer> availability = v1(server, "Utc15", "");
    assertThat(availability.keySet()).first().isEqualTo("2030-01-07T10:45:00.000Z");
    assertThat(availability.keySet()).last().isEqualTo("2030-01-07T16:45:00.000Z");
  }

  @Test
  void bucketSizesFiveFifteenAndSixty() {
    String range = "start=2030-01-08T09:00:00.000Z&end=2030-01-08T10:00:00.000Z";
    assertThat(v1(server, "Utc5", range)).hasSize(12);
    assertThat(v1(server, "Utc15", range)).containsExactlyEntriesOf(
        every("2030-01-08T09:00:00Z", "2030-01-08T09:45:00Z", Duration.ofMinutes(15), 2));
    assertThat(v1(server, "Utc60", range)).containsExactly(Map.entry("2030-01-08T09:00:00.000Z", 4));
  }

  @Test
  void capacityServiceGivesEachBucketItsHoursValueAndZeroHoursAreLeftOut() {
    // Tuesday Paris: open 9:00-17:00 (08:00-16:00 UTC); capacity 2 at 09:00, 3 at 10:00, none after
    LinkedHashMap<String, Integer> expected = every("2030-01-08T08:00:00Z", "2030-01-08T08:45:00Z", Duration.ofMinutes(15), 2);
    expected.putAll(every("2030-01-08T09:00:00Z", "2030-01-08T09:45:00Z", Duration.ofMinutes(15), 3));
    assertThat(v1(server, "Paris", "start=2030-01-08T00:00:00.000Z&number-of-days=1")).containsExactlyEntriesOf(expected);
    // a start without zone is read in the office's zone
    assertThat(v1(server, "Paris", "start=2030-01-08T10:00:00&end=2030-01-08T10:30:00"))
        .containsExactlyEntriesOf(every("2030-01-08T09:00:00Z", "2030-01-08T09:15:00Z", Duration.ofMinutes(15), 3));
  }

  @Test
  void withoutOfficeHoursOrCapacityMaxRequestByTimeBucketCapsEveryBucket() {
    assertThat(v1(server, "Anytime", "start=2030-01-08T00:00:00.000Z&end=2030-01-08T02:00:00.000Z"))
        .containsExactlyEntriesOf(every("2030-01-08T00:00:00Z", "2030-01-08T01:30:00Z", Duration.ofMinutes(30), 6));
    for (int i = 0; i < 6; i++) {
      booked(server, "Anytime", Instant.parse("2030-01-08T03:00:00Z").plusSeconds(60L * i));
    }
    booked(server, "Anytime", Instant.parse("2030-01-08T03:45:00Z"));
    assertThat(v1(server, "Anytime", "start=2030-01-08T02:30:00.000Z&end=2030-01-08T04:30:00.000Z")).containsExactly(
        Map.entry("2030-01-08T02:30:00.000Z", 6),
        Map.entry("2030-01-08T03:30:00.000Z", 5),
        Map.entry("2030-01-08T04:00:00.000Z", 6));
  }

  @Test
  void badParametersAre400With40010() {
    for (String query : List.of(
        "start=monday",
        "timestamp=13:00",
        "start=2030-01-08T00:00:00.000Z&end=whenever",
        "start=2030-01-08T00:00:00.000Z&number-of-days=0",
        "start=2030-01-08T00:00:00.000Z&number-of-days=x",
        "start=2030-01-08T00:00:00.000Z&max-time-slots=0",
        "start=2030-01-08T00:00:00.000Z&max-time-slots=-1",
        "start=2030-01-08T00:00:00.000Z&max-time-slots=ten",
        "start=2030-01-08T00:00:00.000Z&end=2030-01-07T12:00:00.000Z",
        "start=2030-01-08T00:00:00.000Z&number-of-days=100")) {
      Map<String, Object> body = assertError(server.get(Cal.path("Utc5") + "/availability?" + query), 400, 40010);
      assertThat(body.get("phrase")).as(query).isEqualTo("INVALID_PARAMETER");
    }
  }

  @Test
  void anUnknownServiceIs404() {
    Map<String, Object> body = assertError(server.get(Cal.path("Nobody") + "/availability"), 404, 40010);
    assertThat((String) body.get("message")).contains("Nobody");
  }
}
