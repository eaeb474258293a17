package org.opencallback.calendar.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.opencallback.calendar.http.Cal.NOW;
import static org.opencallback.calendar.http.Cal.assertError;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opencallback.testing.MutableClock;
import org.opencallback.testing.TestServer;
import org.opencallback.testing.TestServer.Response;

/**
 * The office-hours service endpoint ({@code GET /genesys/1/service/{hours}?start=&end=&number-of-days=})
 * and the capacity service endpoint ({@code GET /genesys/1/service/{capacity}?start=&end=&timezone=}),
 * issue 4 items 1 and 2, docs/calendars.md §1 and §2. "Now" is Monday 2030-01-07 06:00 UTC.
 */
class CalendarServicesApiTest {
  static final String CONFIG = String.join("\n",
      "service.Callbacks:",
      "  _type: ors",
      "service.paris-hours:",
      "  _type: builtin",
      "  _service: office-hours",
      "  _timezone: Europe/Paris",
      "  _bh_regular1: Mon-Fri 9:00-17:00",
      "  _bh_regular2: Sat 10:00-12:00",
      "  _holiday1: 2030-01-09",
      "  _bh_add1: 2030-01-09 10:00-11:00",
      "  _bh_add2: 2030-01-13 14:00-15:00",
      "  _bh_drop1: 01-10",
      "service.night-hours:",
      "  _type: builtin",
      "  _service: office-hours",
      "  _timezone: UTC",
      "  _bh_regular1: Fri-Mon 19:00-7:00",
      "service.late-hours:",
      "  _type: builtin",
      "  _service: office-hours",
      "  _timezone: UTC",
      "  _bh_regular1: Mon-Sun 22:00-24:00",
      "service.weekend-hours:",
      "  _type: builtin",
      "  _service: office-hours",
      "  _timezone: UTC",
      "  _bh_regular1: Sat-Sun 10:00-12:00",
      "service.effective-hours:",
      "  _type: builtin",
      "  _service: office-hours",
      "  _timezone: UTC",
      "  _bh_regular1: Mon-Sun 00:00-24:00",
      "  _effective_dates1: 2030-01-08 to 2030-01-09",
      "service.paris-capacity:",
      "  _type: builtin",
      "  _service: capacity",
      "  _timezone: Europe/Paris",
      "  _capacity_1: '{\"1\":{\"0900\":2,\"1000\":3,\"1100\":3,\"1300\":4}}'",
      "  _capacity_add: '{\"2030-01-08\":{\"0900\":7}}'",
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

  private static Map<String, Object> hours(String name, String query) {
    Response response = server.get("/genesys/1/service/" + name + (query.isEmpty() ? "" : "?" + query));
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    Map<String, Object> body = response.map();
    assertThat(body).containsKey("error");
    assertThat(body.get("error")).isNull();
    return body;
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> periods(Map<String, Object> body) {
    return (List<Map<String, Object>>) body.get("periods");
  }

  private static Map<String, Object> period(String date, String start, String end) {
    return Map.of("date", date, "start", start, "end", end);
  }

  private static Map<String, Object> capacity(String start, String end, String utcStart, String utcEnd, int capacity) {
    return Map.of("start", start, "end", end, "utcStart", utcStart, "utcEnd", utcEnd, "capacity", capacity);
  }

  // ---- office hours ----------------------------------------------------------------------------

  @Test
  void aWeekOfParisHoursWithHolidaysYearlyClosedDateAndExtraHours() {
    Map<String, Object> body = hours("paris-hours", "start=2030-01-07T00:00:00.000Z&number-of-days=7");
    assertThat(body.get("timezone")).isEqualTo("Europe/Paris");
    assertThat(body.get("start")).isEqualTo("2030-01-07T00:00:00.000Z");
    assertThat(body.get("end")).isEqualTo("2030-01-14T00:00:00.000Z");
    assertThat(periods(body)).containsExactly(
        period("2030-01-07", "2030-01-07T08:00:00.000Z", "2030-01-07T16:00:00.000Z"),
        period("2030-01-08", "2030-01-08T08:00:00.000Z", "2030-01-08T16:00:00.000Z"),
        // _holiday1 closes Wednesday; its _bh_add1 opens 10:00-11:00 Paris all the same
        period("2030-01-09", "2030-01-09T09:00:00.000Z", "2030-01-09T10:00:00.000Z"),
        // Thursday 01-10 is a yearly _bh_drop: nothing
        period("2030-01-11", "2030-01-11T08:00:00.000Z", "2030-01-11T16:00:00.000Z"),
        period("2030-01-12", "2030-01-12T09:00:00.000Z", "2030-01-12T11:00:00.000Z"),
        // Sunday: only the dated _bh_add2
        period("2030-01-13", "2030-01-13T13:00:00.000Z", "2030-01-13T14:00:00.000Z"));
  }

  @Test
  void endParameterGivesTheSameAsNumberOfDays() {
    Map<String, Object> byEnd = hours("paris-hours", "start=2030-01-07T00:00:00.000Z&end=2030-01-09T00:00:00.000Z");
    Map<String, Object> byDays = hours("paris-hours", "start=2030-01-07T00:00:00.000Z&number-of-days=2");
    assertThat(periods(byEnd)).hasSize(2).isEqualTo(periods(byDays));
    assertThat(byEnd.get("end")).isEqualTo("2030-01-09T00:00:00.000Z");
  }

  @Test
  void aPeriodIsKeptWholeWithinItsDayNotClippedToTheRange() {
    Map<String, Object> body = hours("paris-hours", "start=2030-01-08T10:00:00.000Z&end=2030-01-08T11:00:00.000Z");
    assertThat(periods(body)).containsExactly(
        period("2030-01-08", "2030-01-08T08:00:00.000Z", "2030-01-08T16:00:00.000Z"));
  }

  @Test
  void withoutParametersItAnswersNowClosedIsAnEmptyList() {
    Map<String, Object> closed = hours("paris-hours", "");
    assertThat(closed.get("start")).isEqualTo("2030-01-07T06:00:00.000Z");
    assertThat(closed.get("end")).isEqualTo("2030-01-07T06:00:00.000Z");
    assertThat(periods(closed)).isEmpty();

    clock.set(Instant.parse("2030-01-08T10:00:00Z"));
    Map<String, Object> open = hours("paris-hours", "");
    assertThat(periods(open)).containsExactly(
        period("2030-01-08", "2030-01-08T08:00:00.000Z", "2030-01-08T16:00:00.000Z"));
  }

  @Test
  void aStartAloneAsksAboutThatInstant() {
    assertThat(periods(hours("paris-hours", "start=2030-01-08T12:00:00.000Z"))).hasSize(1);
    assertThat(periods(hours("paris-hours", "start=2030-01-08T20:00:00.000Z"))).isEmpty();
    // Wednesday is a holiday: 09:30 Paris is closed, 10:30 Paris is open by _bh_add1
    assertThat(periods(hours("paris-hours", "start=2030-01-09T08:30:00.000Z"))).isEmpty();
    assertThat(periods(hours("paris-hours", "start=2030-01-09T09:30:00.000Z"))).hasSize(1);
  }

  @Test
  void weekWrappingDaysAndMidnightCrossingHoursAreCutAtMidnight() {
    // Fri-Mon 19:00-7:00: shifts start Fri, Sat, Sun and Mon evenings and end next morning
    Map<String, Object> body = hours("night-hours", "start=2030-01-07T00:00:00.000Z&number-of-days=7");
    assertThat(body.get("timezone")).isEqualTo("UTC");
    assertThat(periods(body)).containsExactly(
        period("2030-01-07", "2030-01-07T00:00:00.000Z", "2030-01-07T07:00:00.000Z"),
        period("2030-01-07", "2030-01-07T19:00:00.000Z", "2030-01-08T00:00:00.000Z"),
        period("2030-01-08", "2030-01-08T00:00:00.000Z", "2030-01-08T07:00:00.000Z"),
        period("2030-01-11", "2030-01-11T19:00:00.000Z", "2030-01-12T00:00:00.000Z"),
        period("2030-01-12", "2030-01-12T00:00:00.000Z", "2030-01-12T07:00:00.000Z"),
        period("2030-01-12", "2030-01-12T19:00:00.000Z", "2030-01-13T00:00:00.000Z"),
        period("2030-01-13", "2030-01-13T00:00:00.000Z", "2030-01-13T07:00:00.000Z"),
        period("2030-01-13", "2030-01-13T19:00:00.000Z", "2030-01-14T00:00:00.000Z"));
  }

  @Test
  void theMorningAfterAMidnightCrossingShiftIsOpenNow() {
    clock.set(Instant.parse("2030-01-08T03:00:00Z"));
    assertThat(periods(hours("night-hours", ""))).containsExactly(
        period("2030-01-08", "2030-01-08T00:00:00.000Z", "2030-01-08T07:00:00.000Z"));
    clock.set(Instant.parse("2030-01-09T03:00:00Z"));
    assertThat(periods(hours("night-hours", ""))).isEmpty();
  }

  @Test
  void twentyFourHundredIsTheEndOfTheDay() {
    Map<String, Object> body = hours("late-hours", "start=2030-01-07T00:00:00.000Z&end=2030-01-08T00:00:00.000Z");
    assertThat(periods(body)).containsExactly(
        period("2030-01-07", "2030-01-07T22:00:00.000Z", "2030-01-08T00:00:00.000Z"));
  }

  @Test
  void aWeekOfClosedDaysIsAnEmptyList() {
    Map<String, Object> body = hours("weekend-hours", "start=2030-01-07T00:00:00.000Z&number-of-days=5");
    assertThat(periods(body)).isEmpty();
    assertThat(periods(hours("weekend-hours", "start=2030-01-07T00:00:00.000Z&number-of-days=6"))).containsExactly(
        period("2030-01-12", "2030-01-12T10:00:00.000Z", "2030-01-12T12:00:00.000Z"));
  }

  @Test
  void effectiveDatesCloseEverythingOutsideThem() {
    Map<String, Object> body = hours("effective-hours", "start=2030-01-07T00:00:00.000Z&number-of-days=4");
    assertThat(periods(body)).containsExactly(
        period("2030-01-08", "2030-01-08T00:00:00.000Z", "2030-01-09T00:00:00.000Z"),
        period("2030-01-09", "2030-01-09T00:00:00.000Z", "2030-01-10T00:00:00.000Z"));
  }

  @Test
  void badOfficeHoursParametersAre40010() {
    for (String query : List.of(
        "start=yesterday",
        "start=2030-01-07T00:00:00.000Z&end=soon",
        "start=2030-01-07T00:00:00.000Z&number-of-days=0",
        "start=2030-01-07T00:00:00.000Z&number-of-days=-2",
        "start=2030-01-07T00:00:00.000Z&number-of-days=two",
        "start=2030-01-07T00:00:00.000Z&end=2030-01-06T00:00:00.000Z",
        "start=2030-01-07T00:00:00.000Z&number-of-days=400")) {
      Map<String, Object> body = assertError(server.get("/genesys/1/service/paris-hours?" + query), 400, 40010);
      assertThat(body.get("phrase")).as(query).isEqualTo("INVALID_PARAMETER");
    }
  }

  // ---- capacity --------------------------------------------------------------------------------

  private static Map<String, Object> capacityBody(String query) {
    Response response = server.get("/genesys/1/service/paris-capacity" + (query.isEmpty() ? "" : "?" + query));
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return response.map();
  }

  @Test
  void capacityPeriodsJoinEqualHoursAndLeaveOutZero() {
    Map<String, Object> body = capacityBody("start=2030-01-07T08:00:00.000&end=2030-01-07T15:00:00.000");
    assertThat(body.get("timezone")).isEqualTo("Europe/Paris");
    assertThat(body.get("start")).isEqualTo("2030-01-07T08:00:00.000");
    assertThat(body.get("end")).isEqualTo("2030-01-07T15:00:00.000");
    assertThat(periods(body)).containsExactly(
        capacity("2030-01-07T09:00:00.000", "2030-01-07T10:00:00.000",
            "2030-01-07T08:00:00.000Z", "2030-01-07T09:00:00.000Z", 2),
        capacity("2030-01-07T10:00:00.000", "2030-01-07T12:00:00.000",
            "2030-01-07T09:00:00.000Z", "2030-01-07T11:00:00.000Z", 3),
        capacity("2030-01-07T13:00:00.000", "2030-01-07T14:00:00.000",
            "2030-01-07T12:00:00.000Z", "2030-01-07T13:00:00.000Z", 4));
  }

  @Test
  void capacityPeriodsAreClippedToTheRange() {
    Map<String, Object> body = capacityBody("start=2030-01-07T09:30:00.000&end=2030-01-07T10:30:00.000");
    assertThat(periods(body)).containsExactly(
        capacity("2030-01-07T09:30:00.000", "2030-01-07T10:00:00.000",
            "2030-01-07T08:30:00.000Z", "2030-01-07T09:00:00.000Z", 2),
        capacity("2030-01-07T10:00:00.000", "2030-01-07T10:30:00.000",
            "2030-01-07T09:00:00.000Z", "2030-01-07T09:30:00.000Z", 3));
  }

  @Test
  void capacityTimezoneReadsTheRangeAndWritesLocalTimesInThatZone() {
    Map<String, Object> body = capacityBody("start=2030-01-07T08:00:00.000&end=2030-01-07T10:00:00.000&timezone=UTC");
    assertThat(body.get("timezone")).isEqualTo("UTC");
    assertThat(periods(body)).containsExactly(
        capacity("2030-01-07T08:00:00.000", "2030-01-07T09:00:00.000",
            "2030-01-07T08:00:00.000Z", "2030-01-07T09:00:00.000Z", 2),
        capacity("2030-01-07T09:00:00.000", "2030-01-07T10:00:00.000",
            "2030-01-07T09:00:00.000Z", "2030-01-07T10:00:00.000Z", 3));
  }

  @Test
  void aCapacityAddDateReplacesItsWeekDayAndOtherDaysHaveNone() {
    assertThat(periods(capacityBody("start=2030-01-08T00:00:00.000&end=2030-01-09T00:00:00.000"))).containsExactly(
        capacity("2030-01-08T09:00:00.000", "2030-01-08T10:00:00.000",
            "2030-01-08T08:00:00.000Z", "2030-01-08T09:00:00.000Z", 7));
    assertThat(periods(capacityBody("start=2030-01-09T00:00:00.000&end=2030-01-10T00:00:00.000"))).isEmpty();
  }

  @Test
  void capacityWithoutParametersIsTodayInTheServicesZone() {
    Map<String, Object> body = capacityBody("");
    assertThat(body.get("start")).isEqualTo("2030-01-07T00:00:00.000");
    assertThat(body.get("end")).isEqualTo("2030-01-08T00:00:00.000");
    assertThat(periods(body)).hasSize(3);
  }

  @Test
  void badCapacityParametersAre40010() {
    for (String query : List.of(
        "start=tomorrow",
        "start=2030-01-07T08:00:00.000&end=later",
        "start=2030-01-07T08:00:00.000&end=2030-01-07T10:00:00.000&timezone=Mars/Olympus",
        "start=2030-01-07T08:00:00.000&end=2030-01-06T10:00:00.000")) {
      assertError(server.get("/genesys/1/service/paris-capacity?" + query), 400, 40010);
    }
  }

  // ---- neither ---------------------------------------------------------------------------------

  @Test
  void anUnknownServiceNameIs404WithAGmsBody() {
    Map<String, Object> body = assertError(server.get("/genesys/1/service/no-such-hours"), 404, 40010);
    assertThat((String) body.get("message")).contains("no-such-hours");
    assertThat((String) body.get("exception")).endsWith("CallbackExceptionResource");
    assertThat(body.get("properties")).isEqualTo(Map.of("service", "no-such-hours"));
  }

  @Test
  void aCallbackServiceIsNotACalendarService() {
    assertError(server.get("/genesys/1/service/Callbacks?start=2030-01-07T00:00:00.000Z"), 404, 40010);
  }
}
