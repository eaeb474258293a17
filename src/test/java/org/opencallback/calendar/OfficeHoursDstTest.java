package org.opencallback.calendar;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * New York: 2025-03-09 02:00 EST → 03:00 EDT (07:00Z); 2025-11-02 02:00 EDT → 01:00 EST (06:00Z).
 * Paris: 2025-03-30 02:00 CET → 03:00 CEST (01:00Z); 2025-10-26 03:00 CEST → 02:00 CET (01:00Z).
 */
class OfficeHoursDstTest {

  private static Instant at(String iso) {
    return Instant.parse(iso);
  }

  private static Period period(String start, String end) {
    return new Period(at(start), at(end));
  }

  private static OfficeHours hours(String zone, String... keysAndValues) {
    Map<String, String> options = Options.of(keysAndValues);
    options.put("_timezone", zone);
    return OfficeHours.parse(options);
  }

  private static List<Period> sunday(OfficeHours hours, String date) {
    Instant day = at(date + "T00:00:00Z");
    return hours.openPeriods(day.minus(Duration.ofHours(12)), day.plus(Duration.ofHours(36)));
  }

  @Test
  void new_york_spring_forward_shortens_a_range_spanning_the_jump() {
    OfficeHours hours = hours("America/New_York", "_bh_regular1", "Sun 01:00-04:00");
    assertThat(sunday(hours, "2025-03-09"))
        .containsExactly(period("2025-03-09T06:00:00Z", "2025-03-09T08:00:00Z"));
  }

  @Test
  void new_york_a_start_inside_the_gap_opens_at_the_jump() {
    OfficeHours hours = hours("America/New_York", "_bh_regular1", "Sun 02:30-05:00");
    assertThat(sunday(hours, "2025-03-09"))
        .containsExactly(period("2025-03-09T07:00:00Z", "2025-03-09T09:00:00Z"));
    assertThat(hours.isOpen(at("2025-03-09T06:59:59Z"))).isFalse();
    assertThat(hours.isOpen(at("2025-03-09T07:00:00Z"))).isTrue();
  }

  @Test
  void new_york_an_end_inside_the_gap_closes_at_the_jump() {
    OfficeHours hours = hours("America/New_York", "_bh_regular1", "Sun 00:00-02:30");
    assertThat(sunday(hours, "2025-03-09"))
        .containsExactly(period("2025-03-09T05:00:00Z", "2025-03-09T07:00:00Z"));
  }

  @Test
  void new_york_a_range_inside_the_gap_never_opens() {
    OfficeHours hours = hours("America/New_York", "_bh_regular1", "Sun 02:00-02:45");
    assertThat(sunday(hours, "2025-03-09")).isEmpty();
    assertThat(sunday(hours, "2025-03-16")).hasSize(1);
  }

  @Test
  void new_york_fall_back_a_time_in_the_repeated_hour_means_its_first_occurrence() {
    OfficeHours closing = hours("America/New_York", "_bh_regular1", "Sun 00:00-01:30");
    assertThat(sunday(closing, "2025-11-02"))
        .containsExactly(period("2025-11-02T04:00:00Z", "2025-11-02T05:30:00Z"));
    // 01:15 EST, the second 01:15 of the night: already closed, no re-opening.
    assertThat(closing.isOpen(at("2025-11-02T06:15:00Z"))).isFalse();

    OfficeHours opening = hours("America/New_York", "_bh_regular1", "Sun 01:30-03:00");
    assertThat(sunday(opening, "2025-11-02"))
        .containsExactly(period("2025-11-02T05:30:00Z", "2025-11-02T08:00:00Z"));
  }

  @Test
  void new_york_whole_days_last_23_and_25_hours() {
    OfficeHours hours =
        hours("America/New_York", "_bh_regular1", "Sun 00:00-24:00");
    assertThat(sunday(hours, "2025-03-09"))
        .containsExactly(period("2025-03-09T05:00:00Z", "2025-03-10T04:00:00Z"));
    assertThat(sunday(hours, "2025-11-02"))
        .containsExactly(period("2025-11-02T04:00:00Z", "2025-11-03T05:00:00Z"));
  }

  @Test
  void new_york_a_holiday_on_a_dst_day_closes_its_23_hours() {
    OfficeHours hours =
        hours("America/New_York", "_bh_regular1", "Mon-Sun 00:00-24:00", "_holiday1", "2025-03-09");
    assertThat(hours.openPeriods(at("2025-03-08T12:00:00Z"), at("2025-03-10T12:00:00Z")))
        .containsExactly(
            period("2025-03-08T12:00:00Z", "2025-03-09T05:00:00Z"),
            period("2025-03-10T04:00:00Z", "2025-03-10T12:00:00Z"));
  }

  @Test
  void new_york_a_night_shift_across_the_fall_back_lasts_an_hour_more() {
    OfficeHours hours = hours("America/New_York", "_bh_regular1", "Sat 22:00-6:00");
    assertThat(hours.openPeriods(at("2025-11-01T00:00:00Z"), at("2025-11-03T00:00:00Z")))
        .containsExactly(period("2025-11-02T02:00:00Z", "2025-11-02T11:00:00Z"));
  }

  @Test
  void paris_spring_forward() {
    OfficeHours gap = hours("Europe/Paris", "_bh_regular1", "Sun 02:00-03:00");
    assertThat(sunday(gap, "2025-03-30")).isEmpty();
    OfficeHours around = hours("Europe/Paris", "_bh_regular1", "Sun 01:00-04:00");
    assertThat(sunday(around, "2025-03-30"))
        .containsExactly(period("2025-03-30T00:00:00Z", "2025-03-30T02:00:00Z"));
  }

  @Test
  void paris_fall_back() {
    OfficeHours repeated = hours("Europe/Paris", "_bh_regular1", "Sun 02:00-03:00");
    assertThat(sunday(repeated, "2025-10-26"))
        .containsExactly(period("2025-10-26T00:00:00Z", "2025-10-26T02:00:00Z"));
    OfficeHours nineToFive = hours("Europe/Paris", "_bh_regular1", "Sun 9:00-17:00");
    assertThat(sunday(nineToFive, "2025-10-26"))
        .containsExactly(period("2025-10-26T08:00:00Z", "2025-10-26T16:00:00Z"));
    assertThat(sunday(nineToFive, "2025-10-19"))
        .containsExactly(period("2025-10-19T07:00:00Z", "2025-10-19T15:00:00Z"));
  }

  @Test
  void describe_splits_at_local_midnight_on_a_25_hour_day() {
    OfficeHours hours = hours("America/New_York", "_bh_regular1", "Mon-Sun 00:00-24:00");
    Instant now = at("2025-11-02T12:00:00Z");
    assertThat(hours.describe(now, now).get("periods"))
        .isEqualTo(
            List.of(
                Map.of(
                    "date", "2025-11-02",
                    "start", "2025-11-02T04:00:00.000Z",
                    "end", "2025-11-03T05:00:00.000Z")));
  }
}
