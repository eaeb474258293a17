package org.opencallback.calendar.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.opencallback.calendar.http.Cal.AVAILABILITY_EXCEPTION;
import static org.opencallback.calendar.http.Cal.NOW;
import static org.opencallback.calendar.http.Cal.assertError;
import static org.opencallback.calendar.http.Cal.availability;
import static org.opencallback.calendar.http.Cal.body;
import static org.opencallback.calendar.http.Cal.booked;
import static org.opencallback.calendar.http.Cal.iso;
import static org.opencallback.calendar.http.Cal.path;
import static org.opencallback.calendar.http.Cal.schedule;
import static org.opencallback.calendar.http.Cal.v1;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opencallback.testing.MutableClock;
import org.opencallback.testing.TestServer;
import org.opencallback.testing.TestServer.Response;

/**
 * Desired-time checks on start and reschedule (issue 4 item 5, docs/calendars.md §4, CalendarRules):
 * closed → 400 / 40050 "Office closed at desired time …" with the next free slots; bucket full →
 * 400 / 40051 "Too many requests at desired time [from, to]. Proposing time slots." with the
 * neighbouring free buckets; {@code _enable_reject_out_of_office_hours} for immediate requests;
 * missing office-hours / capacity services → 50005 / 50004. "Now" is Monday 2030-01-07 06:00 UTC.
 */
class DesiredTimeCheckTest {
  static final String CONFIG = String.join("\n",
      "service.Checked:",
      "  _type: ors",
      "  _business_hours_service: utc-hours",
      "  _request_time_bucket: 5",
      "  _max_request_by_time_bucket: 2",
      "service.Checked15:",
      "  _type: ors",
      "  _business_hours_service: utc-hours",
      "  _request_time_bucket: 15",
      "  _max_request_by_time_bucket: 2",
      "service.Strict:",
      "  _type: ors",
      "  _business_hours_service: utc-hours",
      "  _enable_reject_out_of_office_hours: true",
      "service.Lenient:",
      "  _type: ors",
      "  _business_hours_service: utc-hours",
      "  _enable_reject_out_of_office_hours: false",
      "service.ByDefault:",
      "  _type: ors",
      "  _business_hours_service: utc-hours",
      "service.StrictAlwaysOpen:",
      "  _type: ors",
      "  _enable_reject_out_of_office_hours: true",
      "service.Capped:",
      "  _type: ors",
      "  _business_hours_service: utc-hours",
      "  _capacity_service: utc-capacity",
      "  _request_time_bucket: 15",
      "service.GhostHours:",
      "  _type: ors",
      "  _business_hours_service: ghost-hours",
      "service.GhostCapacity:",
      "  _type: ors",
      "  _capacity_service: ghost-capacity",
      "service.utc-hours:",
      "  _type: builtin",
      "  _service: office-hours",
      "  _timezone: UTC",
      "  _bh_regular1: Mon-Fri 9:00-17:00",
      "service.utc-capacity:",
      "  _type: builtin",
      "  _service: capacity",
      "  _timezone: UTC",
      "  _capacity_2: '{\"2\":{\"0900\":1}}'",
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

  private static Instant at(String text) {
    return Instant.parse(text);
  }

  private static void assertNothingStored(String service, String number) {
    Response response = server.get(path(service) + "?_customer_number=" + Cal.encode(number));
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    assertThat(response.list()).as("callbacks of " + number).isEmpty();
  }

  private static LinkedHashMap<String, Integer> free(String... keysAndCounts) {
    LinkedHashMap<String, Integer> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndCounts.length; i += 2) {
      map.put(keysAndCounts[i], Integer.parseInt(keysAndCounts[i + 1]));
    }
    return map;
  }

  private static Map<String, Object> assertFull(Response response, String from, String to) {
    Map<String, Object> body = assertError(response, 400, 40051, "availability");
    assertThat(body.get("phrase")).isEqualTo("SLOT_FULL");
    assertThat(body.get("exception")).isEqualTo(AVAILABILITY_EXCEPTION);
    assertThat(body.get("message"))
        .isEqualTo("Too many requests at desired time [" + from + ", " + to + "]. Proposing time slots.");
    return body;
  }

  private static Map<String, Object> assertClosed(Response response, String desired) {
    Map<String, Object> body = assertError(response, 400, 40050, "availability");
    assertThat(body.get("phrase")).isEqualTo("TIME_NOT_AVAILABLE");
    assertThat(body.get("exception")).isEqualTo(AVAILABILITY_EXCEPTION);
    assertThat((String) body.get("message")).startsWith("Office closed at desired time " + desired);
    return body;
  }

  // ---- start: office closed ----------------------------------------------------------------------

  @Test
  void aScheduledStartOutsideOfficeHoursIs40050WithTheNextFreeSlots() {
    String number = Cal.number();
    Response response = server.postJson(path("Checked"),
        body("_customer_number", number, "_desired_time", "2030-01-08T07:00:00.000Z"));
    Map<String, Object> body = assertClosed(response, "2030-01-08T07:00:00.000Z");
    assertThat(body.get("message")).isEqualTo("Office closed at desired time 2030-01-08T07:00:00.000Z");
    assertThat(body.get("properties")).isEqualTo(Map.of("_desired_time", "2030-01-08T07:00:00.000Z"));
    LinkedHashMap<String, Integer> next = availability(response);
    assertThat(next).isNotEmpty().hasSizeLessThanOrEqualTo(10);
    assertThat(next.keySet()).first().isEqualTo("2030-01-08T09:00:00.000Z");
    assertThat(next.values()).allSatisfy(free -> assertThat(free).isEqualTo(2));
    assertNothingStored("Checked", number);
  }

  @Test
  void theWeekendAndClosingTimeAreClosedTheMinuteBeforeIsOpen() {
    Response saturday = schedule(server, "Checked", at("2030-01-12T12:00:00Z"));
    assertClosed(saturday, "2030-01-12T12:00:00.000Z");
    assertThat(availability(saturday).keySet()).first().isEqualTo("2030-01-14T09:00:00.000Z");
    assertClosed(schedule(server, "Checked", at("2030-01-08T17:00:00Z")), "2030-01-08T17:00:00.000Z");
    assertClosed(schedule(server, "Checked", at("2030-01-08T08:59:59Z")), "2030-01-08T08:59:59.000Z");
    booked(server, "Checked", at("2030-01-08T16:59:00Z"));
    booked(server, "Checked", at("2030-01-08T09:00:00Z"));
  }

  // ---- start: bucket full ------------------------------------------------------------------------

  @Test
  void aFullBucketIs40051WithTheExactMessageAndTheNeighbouringBuckets() {
    booked(server, "Checked", at("2030-01-08T10:11:00Z"));
    booked(server, "Checked", at("2030-01-08T10:12:00Z"));
    String number = Cal.number();
    Response response = server.postJson(path("Checked"),
        body("_customer_number", number, "_desired_time", "2030-01-08T10:13:00.000Z"));
    Map<String, Object> body = assertFull(response, "2030-01-08T10:10:00.000Z", "2030-01-08T10:15:00.000Z");
    assertThat(body.get("properties")).isEqualTo(
        Map.of("start", "2030-01-08T10:10:00.000Z", "end", "2030-01-08T10:15:00.000Z", "capacity", 2));
    // from 4 buckets before to 2 after, never the refused one
    assertThat(availability(response)).containsExactlyEntriesOf(free(
        "2030-01-08T09:50:00.000Z", "2", "2030-01-08T09:55:00.000Z", "2",
        "2030-01-08T10:00:00.000Z", "2", "2030-01-08T10:05:00.000Z", "2",
        "2030-01-08T10:15:00.000Z", "2", "2030-01-08T10:20:00.000Z", "2"));
    assertNothingStored("Checked", number);
    // the bucket's end belongs to the next bucket
    booked(server, "Checked", at("2030-01-08T10:15:00Z"));
  }

  @Test
  void proposalsLeaveOutFullBucketsAndShowWhatIsLeftInOthers() {
    booked(server, "Checked", at("2030-01-08T10:50:00Z"));
    booked(server, "Checked", at("2030-01-08T11:05:00Z"));
    booked(server, "Checked", at("2030-01-08T11:06:00Z"));
    booked(server, "Checked", at("2030-01-08T11:10:00Z"));
    booked(server, "Checked", at("2030-01-08T11:14:59Z"));
    Response response = schedule(server, "Checked", at("2030-01-08T11:12:00Z"));
    assertFull(response, "2030-01-08T11:10:00.000Z", "2030-01-08T11:15:00.000Z");
    assertThat(availability(response)).containsExactlyEntriesOf(free(
        "2030-01-08T10:50:00.000Z", "1", "2030-01-08T10:55:00.000Z", "2",
        "2030-01-08T11:00:00.000Z", "2",
        "2030-01-08T11:15:00.000Z", "2", "2030-01-08T11:20:00.000Z", "2"));
  }

  @Test
  void proposalsLeaveOutClosedBuckets() {
    booked(server, "Checked", at("2030-01-09T09:05:00Z"));
    booked(server, "Checked", at("2030-01-09T09:06:00Z"));
    Response response = schedule(server, "Checked", at("2030-01-09T09:07:00Z"));
    assertFull(response, "2030-01-09T09:05:00.000Z", "2030-01-09T09:10:00.000Z");
    assertThat(availability(response)).containsExactlyEntriesOf(free(
        "2030-01-09T09:00:00.000Z", "2", "2030-01-09T09:10:00.000Z", "2", "2030-01-09T09:15:00.000Z", "2"));
  }

  @Test
  void proposalsNeverStartBeforeNow() {
    clock.set(at("2030-01-10T14:27:00Z"));
    booked(server, "Checked", at("2030-01-10T14:35:00Z"));
    booked(server, "Checked", at("2030-01-10T14:36:00Z"));
    Response response = schedule(server, "Checked", at("2030-01-10T14:37:00Z"));
    assertFull(response, "2030-01-10T14:35:00.000Z", "2030-01-10T14:40:00.000Z");
    assertThat(availability(response)).containsExactlyEntriesOf(free(
        "2030-01-10T14:30:00.000Z", "2", "2030-01-10T14:40:00.000Z", "2", "2030-01-10T14:45:00.000Z", "2"));
  }

  @Test
  void aCapacityServiceBucketWithNoCapacityIsFull() {
    // Tuesday: capacity 1 per 15-minute bucket from 09:00 to 10:00 UTC, none after; open until 17:00
    Response noCapacity = schedule(server, "Capped", at("2030-01-08T12:00:00Z"));
    Map<String, Object> body = assertFull(noCapacity, "2030-01-08T12:00:00.000Z", "2030-01-08T12:15:00.000Z");
    assertThat(body.get("properties")).isEqualTo(
        Map.of("start", "2030-01-08T12:00:00.000Z", "end", "2030-01-08T12:15:00.000Z", "capacity", 0));
    assertThat(availability(noCapacity)).isEmpty();

    booked(server, "Capped", at("2030-01-08T09:20:00Z"));
    Response full = schedule(server, "Capped", at("2030-01-08T09:25:00Z"));
    assertFull(full, "2030-01-08T09:15:00.000Z", "2030-01-08T09:30:00.000Z");
    assertThat(availability(full)).containsExactlyEntriesOf(free(
        "2030-01-08T09:00:00.000Z", "1", "2030-01-08T09:30:00.000Z", "1", "2030-01-08T09:45:00.000Z", "1"));
  }

  // ---- immediate requests while closed -----------------------------------------------------------

  @Test
  void rejectOutOfOfficeHoursRefusesAnImmediateStartWhileClosed() {
    String number = Cal.number();
    Response response = server.postJson(path("Strict"), body("_customer_number", number));
    Map<String, Object> body = assertClosed(response, "2030-01-07T06:00:00.000Z");
    assertThat((String) body.get("message")).contains("_enable_reject_out_of_office_hours");
    assertThat(availability(response).keySet()).first().isEqualTo("2030-01-07T09:00:00.000Z");
    assertNothingStored("Strict", number);
    // a desired time within the execution buffer is immediate too
    assertClosed(server.postJson(path("Strict"),
        body("_customer_number", Cal.number(), "_desired_time", iso(NOW.plusSeconds(60)))),
        "2030-01-07T06:01:00.000Z");
  }

  @Test
  void rejectOutOfOfficeHoursAcceptsAnImmediateStartWhileOpen() {
    clock.set(at("2030-01-07T10:00:00Z"));
    String id = Cal.booked(server, "Strict", at("2030-01-07T10:00:00Z"));
    assertThat(Cal.get(server, "Strict", id).get("_callback_state")).isEqualTo("QUEUED");
  }

  @Test
  void withoutRejectOutOfOfficeHoursAnImmediateStartWhileClosedIsQueued() {
    for (String service : new String[] {"Lenient", "ByDefault"}) {
      Response response = server.postJson(path(service), body("_customer_number", Cal.number()));
      assertThat(response.status()).as(service + ": " + response.body()).isEqualTo(200);
      String id = (String) response.map().get("_id");
      assertThat(Cal.get(server, service, id).get("_callback_state")).isEqualTo("QUEUED");
    }
  }

  @Test
  void rejectOutOfOfficeHoursWithoutOfficeHoursServiceIsAlwaysOpen() {
    Response response = server.postJson(path("StrictAlwaysOpen"), body("_customer_number", Cal.number()));
    assertThat(response.status()).as(response.body()).isEqualTo(200);
  }

  @Test
  void rejectOutOfOfficeHoursStillChecksScheduledStartsTheUsualWay() {
    booked(server, "Strict", at("2030-01-08T15:00:00Z"));
    assertClosed(schedule(server, "Strict", at("2030-01-08T19:00:00Z")), "2030-01-08T19:00:00.000Z");
  }

  // ---- reschedule --------------------------------------------------------------------------------

  @Test
  void rescheduleIntoAFullBucketIs40051AndChangesNothing() {
    String id = booked(server, "Checked", at("2030-01-11T10:00:00Z"));
    booked(server, "Checked", at("2030-01-11T11:00:00Z"));
    booked(server, "Checked", at("2030-01-11T11:01:00Z"));
    Response response = server.putJson(path("Checked", id), body("_new_desired_time", "2030-01-11T11:02:00.000Z"));
    assertFull(response, "2030-01-11T11:00:00.000Z", "2030-01-11T11:05:00.000Z");
    assertThat(availability(response)).containsExactlyEntriesOf(free(
        "2030-01-11T10:40:00.000Z", "2", "2030-01-11T10:45:00.000Z", "2",
        "2030-01-11T10:50:00.000Z", "2", "2030-01-11T10:55:00.000Z", "2",
        "2030-01-11T11:05:00.000Z", "2", "2030-01-11T11:10:00.000Z", "2"));
    Map<String, Object> callback = Cal.get(server, "Checked", id);
    assertThat(callback.get("_desired_time")).isEqualTo("2030-01-11T10:00:00.000Z");
    assertThat(callback.get("_callback_state")).isEqualTo("SCHEDULED");
    assertThat(v1(server, "Checked", "start=2030-01-11T10:00:00.000Z&end=2030-01-11T10:05:00.000Z"))
        .containsExactly(Map.entry("2030-01-11T10:00:00.000Z", 1));
  }

  @Test
  void rescheduleIntoAClosedTimeIs40050AndChangesNothing() {
    String id = booked(server, "Checked", at("2030-01-11T12:00:00Z"));
    assertClosed(server.putJson(path("Checked", id), body("_new_desired_time", "2030-01-11T18:00:00.000Z")),
        "2030-01-11T18:00:00.000Z");
    assertClosed(server.putJson(path("Checked", id), body("_new_desired_time", "2030-01-12T10:00:00.000Z")),
        "2030-01-12T10:00:00.000Z");
    assertThat(Cal.get(server, "Checked", id).get("_desired_time")).isEqualTo("2030-01-11T12:00:00.000Z");
  }

  @Test
  void rescheduleWithinItsOwnFullBucketIsAccepted() {
    String first = booked(server, "Checked", at("2030-01-11T13:00:00Z"));
    booked(server, "Checked", at("2030-01-11T13:01:00Z"));
    assertFull(schedule(server, "Checked", at("2030-01-11T13:02:00Z")),
        "2030-01-11T13:00:00.000Z", "2030-01-11T13:05:00.000Z");
    Response moved = server.putJson(path("Checked", first), body("_new_desired_time", "2030-01-11T13:03:00.000Z"));
    assertThat(moved.status()).as(moved.body()).isEqualTo(200);
    assertThat(Cal.get(server, "Checked", first).get("_desired_time")).isEqualTo("2030-01-11T13:03:00.000Z");
    Response back = server.putJson(path("Checked", first), body("_new_desired_time", "2030-01-11T13:00:00.000Z"));
    assertThat(back.status()).as(back.body()).isEqualTo(200);
    // still full: the move neither freed nor took a second place
    assertThat(v1(server, "Checked", "start=2030-01-11T12:55:00.000Z&end=2030-01-11T13:10:00.000Z"))
        .containsOnlyKeys("2030-01-11T12:55:00.000Z", "2030-01-11T13:05:00.000Z");
    assertFull(schedule(server, "Checked", at("2030-01-11T13:04:00Z")),
        "2030-01-11T13:00:00.000Z", "2030-01-11T13:05:00.000Z");
  }

  @Test
  void rescheduleWithinItsOwnFullFifteenMinuteBucketAcrossFiveMinuteSlotsIsAccepted() {
    String first = booked(server, "Checked15", at("2030-01-11T14:00:00Z"));
    booked(server, "Checked15", at("2030-01-11T14:01:00Z"));
    assertFull(schedule(server, "Checked15", at("2030-01-11T14:10:00Z")),
        "2030-01-11T14:00:00.000Z", "2030-01-11T14:15:00.000Z");
    Response moved = server.putJson(path("Checked15", first), body("_new_desired_time", "2030-01-11T14:14:00.000Z"));
    assertThat(moved.status()).as(moved.body()).isEqualTo(200);
    assertFull(schedule(server, "Checked15", at("2030-01-11T14:05:00Z")),
        "2030-01-11T14:00:00.000Z", "2030-01-11T14:15:00.000Z");
    assertThat(v1(server, "Checked15", "start=2030-01-11T13:45:00.000Z&end=2030-01-11T14:30:00.000Z"))
        .containsOnlyKeys("2030-01-11T13:45:00.000Z", "2030-01-11T14:15:00.000Z");
  }

  @Test
  void rescheduleToNowWhileClosedFollowsRejectOutOfOfficeHours() {
    String strict = booked(server, "Strict", at("2030-01-08T14:00:00Z"));
    assertClosed(server.putJson(path("Strict", strict), body("_new_desired_time", iso(NOW))),
        "2030-01-07T06:00:00.000Z");
    assertThat(Cal.get(server, "Strict", strict).get("_callback_state")).isEqualTo("SCHEDULED");
    String lenient = booked(server, "Lenient", at("2030-01-08T14:00:00Z"));
    Response queued = server.putJson(path("Lenient", lenient), body("_new_desired_time", iso(NOW)));
    assertThat(queued.status()).as(queued.body()).isEqualTo(200);
    assertThat(Cal.get(server, "Lenient", lenient).get("_callback_state")).isEqualTo("QUEUED");
  }

  // ---- missing office-hours or capacity services --------------------------------------------------

  @Test
  void aMissingOfficeHoursServiceIs50005() {
    Map<String, Object> body = assertError(schedule(server, "GhostHours", at("2030-01-08T10:00:00Z")), 500, 50005);
    assertThat((String) body.get("message")).contains("ghost-hours");
    assertThat(body.get("phrase")).isEqualTo("OFFICE_HOURS_SERVICE_ERROR");
    assertError(server.postJson(path("GhostHours"), body("_customer_number", Cal.number())), 500, 50005);
    assertError(server.get(path("GhostHours") + "/availability"), 500, 50005);
    assertError(server.get("/genesys/2/service/callback/GhostHours/availability"), 500, 50005);
  }

  @Test
  void aMissingCapacityServiceIs50004() {
    Map<String, Object> body = assertError(schedule(server, "GhostCapacity", at("2030-01-08T10:00:00Z")), 500, 50004);
    assertThat((String) body.get("message")).contains("ghost-capacity");
    assertThat(body.get("phrase")).isEqualTo("CAPACITY_SERVICE_ERROR");
    assertError(server.get(path("GhostCapacity") + "/availability"), 500, 50004);
    assertError(server.get("/genesys/2/service/callback/GhostCapacity/availability"), 500, 50004);
  }
}
