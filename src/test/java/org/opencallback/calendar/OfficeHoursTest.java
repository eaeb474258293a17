package org.opencallback.calendar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OfficeHoursTest {

  private static Instant at(String iso) {
    return Instant.parse(iso);
  }

  private static Period period(String start, String end) {
    return new Period(at(start), at(end));
  }

  @Test
  void weekdays_nine_to_five_give_one_period_per_weekday() {
    OfficeHours hours = OfficeHours.parse(Options.of("_bh_regular1", "Mon-Fri 9:00-17:00"));
    assertThat(hours.openPeriods(at("2025-03-10T00:00:00Z"), at("2025-03-17T00:00:00Z")))
        .containsExactly(
            period("2025-03-10T09:00:00Z", "2025-03-10T17:00:00Z"),
            period("2025-03-11T09:00:00Z", "2025-03-11T17:00:00Z"),
            period("2025-03-12T09:00:00Z", "2025-03-12T17:00:00Z"),
            period("2025-03-13T09:00:00Z", "2025-03-13T17:00:00Z"),
            period("2025-03-14T09:00:00Z", "2025-03-14T17:00:00Z"));
  }

  @Test
  void open_at_start_closed_at_end_of_a_range() {
    OfficeHours hours = OfficeHours.parse(Options.of("_bh_regular1", "Mon-Fri 9:00-17:00"));
    assertThat(hours.isOpen(at("2025-03-10T08:59:59.999Z"))).isFalse();
    assertThat(hours.isOpen(at("2025-03-10T09:00:00Z"))).isTrue();
    assertThat(hours.isOpen(at("2025-03-10T16:59:59.999Z"))).isTrue();
    assertThat(hours.isOpen(at("2025-03-10T17:00:00Z"))).isFalse();
  }

  @Test
  void open_periods_are_clipped_to_the_range() {
    OfficeHours hours = OfficeHours.parse(Options.of("_bh_regular1", "Mon-Fri 9:00-17:00"));
    assertThat(hours.openPeriods(at("2025-03-10T12:00:00Z"), at("2025-03-11T10:00:00Z")))
        .containsExactly(
            period("2025-03-10T12:00:00Z", "2025-03-10T17:00:00Z"),
            period("2025-03-11T09:00:00Z", "2025-03-11T10:00:00Z"));
    assertThat(hours.openPeriods(at("2025-03-10T12:00:00Z"), at("2025-03-10T12:00:00Z"))).isEmpty();
    assertThat(hours.openPeriods(at("2025-03-10T12:00:00Z"), at("2025-03-10T11:00:00Z"))).isEmpty();
  }

  @Test
  void day_range_wraps_the_week() {
    OfficeHours hours = OfficeHours.parse(Options.of("_bh_regular1", "Sat-Mon 10:00-12:00"));
    assertThat(hours.openPeriods(at("2025-03-14T00:00:00Z"), at("2025-03-19T00:00:00Z")))
        .containsExactly(
            period("2025-03-15T10:00:00Z", "2025-03-15T12:00:00Z"),
            period("2025-03-16T10:00:00Z", "2025-03-16T12:00:00Z"),
            period("2025-03-17T10:00:00Z", "2025-03-17T12:00:00Z"));
  }

  @Test
  void hours_crossing_midnight_end_the_next_day() {
    OfficeHours hours = OfficeHours.parse(Options.of("_bh_regular1", "Fri 19:00-7:00"));
    assertThat(hours.openPeriods(at("2025-03-13T00:00:00Z"), at("2025-03-17T00:00:00Z")))
        .containsExactly(period("2025-03-14T19:00:00Z", "2025-03-15T07:00:00Z"));
    assertThat(hours.isOpen(at("2025-03-15T06:59:00Z"))).isTrue();
    assertThat(hours.isOpen(at("2025-03-15T07:00:00Z"))).isFalse();
    assertThat(hours.isOpen(at("2025-03-14T00:30:00Z"))).isFalse();
  }

  @Test
  void a_night_shift_seen_from_the_morning_after() {
    OfficeHours hours = OfficeHours.parse(Options.of("_bh_regular1", "Sun 22:00-6:00"));
    // Queried from Monday 03:00, the Sunday range still counts.
    assertThat(hours.openPeriods(at("2025-03-17T03:00:00Z"), at("2025-03-17T12:00:00Z")))
        .containsExactly(period("2025-03-17T03:00:00Z", "2025-03-17T06:00:00Z"));
  }

  @Test
  void twenty_four_hundred_is_the_end_of_the_day_and_whole_days_merge() {
    OfficeHours hours = OfficeHours.parse(Options.of("_bh_regular1", "Mon-Sun 00:00-24:00"));
    assertThat(hours.openPeriods(at("2025-03-10T05:00:00Z"), at("2025-03-20T05:00:00Z")))
        .containsExactly(period("2025-03-10T05:00:00Z", "2025-03-20T05:00:00Z"));
    OfficeHours evening =
        OfficeHours.parse(
            Options.of("_bh_regular1", "Mon 22:00-24:00", "_bh_regular2", "Tue 0:00-2:00"));
    assertThat(evening.openPeriods(at("2025-03-10T00:00:00Z"), at("2025-03-12T00:00:00Z")))
        .containsExactly(period("2025-03-10T22:00:00Z", "2025-03-11T02:00:00Z"));
  }

  @Test
  void overlapping_ranges_merge() {
    OfficeHours hours =
        OfficeHours.parse(
            Options.of("_bh_regular1", "Mon 9:00-13:00", "_bh_regular2", "Mon 12:00-17:00"));
    assertThat(hours.openPeriods(at("2025-03-10T00:00:00Z"), at("2025-03-11T00:00:00Z")))
        .containsExactly(period("2025-03-10T09:00:00Z", "2025-03-10T17:00:00Z"));
  }

  @Test
  void a_holiday_closes_its_whole_date() {
    OfficeHours hours =
        OfficeHours.parse(
            Options.of("_bh_regular1", "Mon-Fri 9:00-17:00", "_holiday1", "2025-03-12"));
    assertThat(hours.isOpen(at("2025-03-11T12:00:00Z"))).isTrue();
    assertThat(hours.isOpen(at("2025-03-12T12:00:00Z"))).isFalse();
    assertThat(hours.isOpen(at("2025-03-13T12:00:00Z"))).isTrue();
  }

  @Test
  void a_holiday_cuts_night_shifts_at_its_midnights() {
    OfficeHours hours =
        OfficeHours.parse(
            Options.of("_bh_regular1", "Mon-Sun 19:00-7:00", "_holiday1", "2025-03-12"));
    assertThat(hours.openPeriods(at("2025-03-11T12:00:00Z"), at("2025-03-13T12:00:00Z")))
        .containsExactly(
            period("2025-03-11T19:00:00Z", "2025-03-12T00:00:00Z"),
            period("2025-03-13T00:00:00Z", "2025-03-13T07:00:00Z"));
  }

  @Test
  void yearly_holidays_recur_and_february_29_only_in_leap_years() {
    OfficeHours hours =
        OfficeHours.parse(
            Options.of("_bh_regular1", "Mon-Sun 0:00-24:00", "_holiday1", "12-25", "_holiday2", "02-29"));
    assertThat(hours.isOpen(at("2025-12-25T12:00:00Z"))).isFalse();
    assertThat(hours.isOpen(at("2031-12-25T12:00:00Z"))).isFalse();
    assertThat(hours.isOpen(at("2025-12-26T12:00:00Z"))).isTrue();
    assertThat(hours.isOpen(at("2028-02-29T12:00:00Z"))).isFalse();
    assertThat(hours.isOpen(at("2027-02-28T12:00:00Z"))).isTrue();
    assertThat(hours.isOpen(at("2027-03-01T12:00:00Z"))).isTrue();
  }

  @Test
  void special_hours_open_even_on_a_holiday() {
    OfficeHours hours =
        OfficeHours.parse(
            Options.of(
                "_bh_regular1", "Mon-Fri 9:00-17:00",
                "_holiday1", "2025-12-24",
                "_bh_add1", "2025-12-24 9:00-12:00"));
    assertThat(hours.openPeriods(at("2025-12-24T00:00:00Z"), at("2025-12-25T00:00:00Z")))
        .containsExactly(period("2025-12-24T09:00:00Z", "2025-12-24T12:00:00Z"));
  }

  @Test
  void special_hours_add_to_regular_hours() {
    OfficeHours hours =
        OfficeHours.parse(
            Options.of(
                "_bh_regular1", "Mon-Fri 9:00-17:00",
                "_bh_add1", "2025-03-15 10:00-12:00",
                "_bh_add2", "2025-03-14 16:00-20:00"));
    assertThat(hours.openPeriods(at("2025-03-14T00:00:00Z"), at("2025-03-16T00:00:00Z")))
        .containsExactly(
            period("2025-03-14T09:00:00Z", "2025-03-14T20:00:00Z"),
            period("2025-03-15T10:00:00Z", "2025-03-15T12:00:00Z"));
  }

  @Test
  void yearly_special_hours_recur_every_year() {
    OfficeHours hours = OfficeHours.parse(Options.of("_bh_add1", "07-14 12:00-14:30"));
    assertThat(hours.openPeriods(at("2025-07-01T00:00:00Z"), at("2025-08-01T00:00:00Z")))
        .containsExactly(period("2025-07-14T12:00:00Z", "2025-07-14T14:30:00Z"));
    assertThat(hours.isOpen(at("2031-07-14T13:00:00Z"))).isTrue();
  }

  @Test
  void special_hours_may_cross_midnight() {
    OfficeHours hours = OfficeHours.parse(Options.of("_bh_add1", "2025-12-31 20:00-2:00"));
    assertThat(hours.openPeriods(at("2025-12-31T00:00:00Z"), at("2026-01-02T00:00:00Z")))
        .containsExactly(period("2025-12-31T20:00:00Z", "2026-01-01T02:00:00Z"));
  }

  @Test
  void effective_dates_close_the_office_outside_them() {
    OfficeHours hours =
        OfficeHours.parse(
            Options.of(
                "_bh_regular1", "Mon-Fri 9:00-17:00",
                "_effective_dates1", "2025-03-10 to 2025-03-11",
                "_effective_dates2", "2025-03-14",
                "_bh_add1", "2025-03-15 10:00-12:00"));
    assertThat(hours.openPeriods(at("2025-03-09T00:00:00Z"), at("2025-03-17T00:00:00Z")))
        .containsExactly(
            period("2025-03-10T09:00:00Z", "2025-03-10T17:00:00Z"),
            period("2025-03-11T09:00:00Z", "2025-03-11T17:00:00Z"),
            period("2025-03-14T09:00:00Z", "2025-03-14T17:00:00Z"));
  }

  @Test
  void effective_dates_cut_a_night_shift_at_midnight() {
    OfficeHours hours =
        OfficeHours.parse(
            Options.of("_bh_regular1", "Mon-Sun 22:00-6:00", "_effective_dates1", "2025-03-10"));
    assertThat(hours.openPeriods(at("2025-03-09T00:00:00Z"), at("2025-03-12T00:00:00Z")))
        .containsExactly(period("2025-03-10T00:00:00Z", "2025-03-10T06:00:00Z"),
            period("2025-03-10T22:00:00Z", "2025-03-11T00:00:00Z"));
  }

  @Test
  void times_are_read_in_the_configured_zone() {
    OfficeHours hours =
        OfficeHours.parse(
            Options.of("_timezone", "Europe/Paris", "_bh_regular1", "Mon-Fri 9:00-17:00",
                "_holiday1", "2025-03-11"));
    assertThat(hours.openPeriods(at("2025-03-10T00:00:00Z"), at("2025-03-12T00:00:00Z")))
        .containsExactly(period("2025-03-10T08:00:00Z", "2025-03-10T16:00:00Z"));
    // The holiday runs from Paris midnight to Paris midnight.
    OfficeHours allDay =
        OfficeHours.parse(
            Options.of("_timezone", "Europe/Paris", "_bh_regular1", "Mon-Sun 0:00-24:00",
                "_holiday1", "2025-03-11"));
    assertThat(allDay.openPeriods(at("2025-03-10T00:00:00Z"), at("2025-03-13T00:00:00Z")))
        .containsExactly(
            period("2025-03-10T00:00:00Z", "2025-03-10T23:00:00Z"),
            period("2025-03-11T23:00:00Z", "2025-03-13T00:00:00Z"));
  }

  @Test
  void always_open_is_open_everywhere_in_utc() {
    OfficeHours hours = OfficeHours.alwaysOpen();
    assertThat(hours.zone()).isEqualTo(ZoneOffset.UTC);
    assertThat(hours.openPeriods(at("2024-02-28T13:17:00Z"), at("2024-03-02T00:00:00Z")))
        .containsExactly(period("2024-02-28T13:17:00Z", "2024-03-02T00:00:00Z"));
    assertThat(hours.isOpen(at("1999-12-31T23:59:59.999Z"))).isTrue();
  }

  @Test
  void absurdly_long_ranges_are_refused() {
    assertThatThrownBy(
            () -> OfficeHours.alwaysOpen().openPeriods(Instant.EPOCH, Instant.EPOCH.plus(Duration.ofDays(4000))))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void describe_lists_whole_open_periods_per_local_day() {
    OfficeHours hours =
        OfficeHours.parse(
            Options.of("_timezone", "Europe/Paris", "_bh_regular1", "Mon-Fri 19:00-7:00"));
    Map<String, Object> body =
        hours.describe(at("2025-03-10T12:00:00Z"), at("2025-03-11T12:00:00Z"));
    assertThat(body)
        .containsEntry("error", null)
        .containsEntry("timezone", "Europe/Paris")
        .containsEntry("start", "2025-03-10T12:00:00.000Z")
        .containsEntry("end", "2025-03-11T12:00:00.000Z");
    assertThat(body.get("periods"))
        .isEqualTo(
            List.of(
                Map.of(
                    "date", "2025-03-10",
                    "start", "2025-03-10T18:00:00.000Z",
                    "end", "2025-03-10T23:00:00.000Z"),
                Map.of(
                    "date", "2025-03-11",
                    "start", "2025-03-10T23:00:00.000Z",
                    "end", "2025-03-11T06:00:00.000Z")));
  }

  @Test
  void describe_now_lists_the_current_period_or_nothing_when_closed() {
    OfficeHours hours = OfficeHours.parse(Options.of("_bh_regular1", "Mon-Fri 9:00-17:00"));
    Instant open = at("2025-03-10T10:00:00Z");
    assertThat(hours.describe(open, open).get("periods"))
        .isEqualTo(
            List.of(
                Map.of(
                    "date", "2025-03-10",
                    "start", "2025-03-10T09:00:00.000Z",
                    "end", "2025-03-10T17:00:00.000Z")));
    Instant closed = at("2025-03-10T18:00:00Z");
    Map<String, Object> body = hours.describe(closed, closed);
    assertThat(body).containsEntry("error", null);
    assertThat(body.get("periods")).isEqualTo(List.of());
  }

  @Test
  void describe_refuses_an_end_before_the_start() {
    assertThatThrownBy(
            () -> OfficeHours.alwaysOpen().describe(at("2025-03-10T10:00:00Z"), at("2025-03-10T09:00:00Z")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void the_body_keys_come_in_a_stable_order() {
    Instant now = at("2025-03-10T10:00:00Z");
    assertThat(OfficeHours.alwaysOpen().describe(now, now).keySet())
        .containsExactly("error", "timezone", "start", "end", "periods");
  }
}
