package org.opencallback.calendar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TimeBucketsTest {
  private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
  private static final ZoneId PARIS = ZoneId.of("Europe/Paris");

  private static Instant at(String iso) {
    return Instant.parse(iso);
  }

  /** The buckets starting in the local day, as durations in minutes. */
  private static List<Long> dayOfBuckets(TimeBuckets buckets, LocalDate date) {
    Instant start = LocalTimes.startOfDay(date, buckets.zone());
    Instant end = LocalTimes.startOfDay(date.plusDays(1), buckets.zone());
    List<Long> minutes = new ArrayList<>();
    for (Instant s = buckets.bucketStart(start); s.isBefore(end); ) {
      assertThat(buckets.bucketStart(s)).isEqualTo(s);
      Instant next = buckets.bucketEnd(s);
      minutes.add(Duration.between(s, next).toMinutes());
      s = next;
    }
    return minutes;
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 7, 25, 45, 90, 240, -5})
  void only_gms_sizes_are_accepted(int minutes) {
    assertThatThrownBy(() -> new TimeBuckets(minutes, ZoneOffset.UTC))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(String.valueOf(minutes));
  }

  @ParameterizedTest
  @CsvSource({
    "5, 2025-03-10T10:07:30Z, 2025-03-10T10:05:00Z, 2025-03-10T10:10:00Z",
    "15, 2025-03-10T10:07:30Z, 2025-03-10T10:00:00Z, 2025-03-10T10:15:00Z",
    "20, 2025-03-10T10:59:59.999Z, 2025-03-10T10:40:00Z, 2025-03-10T11:00:00Z",
    "30, 2025-03-10T23:45:00Z, 2025-03-10T23:30:00Z, 2025-03-11T00:00:00Z",
    "120, 2025-03-10T01:00:00Z, 2025-03-10T00:00:00Z, 2025-03-10T02:00:00Z",
    "60, 2025-03-10T10:00:00Z, 2025-03-10T10:00:00Z, 2025-03-10T11:00:00Z",
  })
  void buckets_in_utc(int minutes, String instant, String start, String end) {
    TimeBuckets buckets = new TimeBuckets(minutes, ZoneOffset.UTC);
    assertThat(buckets.minutes()).isEqualTo(minutes);
    assertThat(buckets.bucketStart(at(instant))).isEqualTo(at(start));
    assertThat(buckets.bucketEnd(at(start))).isEqualTo(at(end));
  }

  @Test
  void buckets_follow_the_local_clock_of_a_half_hour_zone() {
    TimeBuckets buckets = new TimeBuckets(60, ZoneId.of("Asia/Kolkata"));
    assertThat(buckets.bucketStart(at("2025-03-10T10:20:00Z"))).isEqualTo(at("2025-03-10T09:30:00Z"));
    assertThat(buckets.bucketEnd(at("2025-03-10T09:30:00Z"))).isEqualTo(at("2025-03-10T10:30:00Z"));
  }

  @Test
  void new_york_spring_forward_skips_the_missing_buckets() {
    TimeBuckets five = new TimeBuckets(5, NEW_YORK);
    assertThat(five.bucketEnd(at("2025-03-09T06:55:00Z"))).isEqualTo(at("2025-03-09T07:00:00Z"));
    assertThat(five.bucketStart(at("2025-03-09T07:02:00Z"))).isEqualTo(at("2025-03-09T07:00:00Z"));
    assertThat(dayOfBuckets(five, LocalDate.of(2025, 3, 9))).hasSize(23 * 12).containsOnly(5L);
  }

  @Test
  void new_york_spring_forward_shortens_a_two_hour_bucket() {
    TimeBuckets buckets = new TimeBuckets(120, NEW_YORK);
    // 00:00 EST - 02:00 (= 03:00 EDT), then the 02:00 bucket starting at the jump lasts one hour.
    assertThat(buckets.bucketEnd(at("2025-03-09T05:00:00Z"))).isEqualTo(at("2025-03-09T07:00:00Z"));
    assertThat(buckets.bucketStart(at("2025-03-09T07:30:00Z"))).isEqualTo(at("2025-03-09T07:00:00Z"));
    assertThat(buckets.bucketEnd(at("2025-03-09T07:00:00Z"))).isEqualTo(at("2025-03-09T08:00:00Z"));
    assertThat(dayOfBuckets(buckets, LocalDate.of(2025, 3, 9)))
        .containsExactly(120L, 60L, 120L, 120L, 120L, 120L, 120L, 120L, 120L, 120L, 120L, 120L);
  }

  @Test
  void new_york_fall_back_repeats_the_buckets_of_the_repeated_hour() {
    TimeBuckets five = new TimeBuckets(5, NEW_YORK);
    assertThat(five.bucketEnd(at("2025-11-02T05:55:00Z"))).isEqualTo(at("2025-11-02T06:00:00Z"));
    assertThat(five.bucketStart(at("2025-11-02T06:12:00Z"))).isEqualTo(at("2025-11-02T06:10:00Z"));
    assertThat(dayOfBuckets(five, LocalDate.of(2025, 11, 2))).hasSize(25 * 12).containsOnly(5L);
  }

  @Test
  void new_york_fall_back_cuts_a_two_hour_bucket_at_the_change() {
    TimeBuckets buckets = new TimeBuckets(120, NEW_YORK);
    // 00:00-02:00 EDT, then 01:00-02:00 EST (rounded down to 00:00, but not before the change).
    assertThat(buckets.bucketEnd(at("2025-11-02T04:00:00Z"))).isEqualTo(at("2025-11-02T06:00:00Z"));
    assertThat(buckets.bucketStart(at("2025-11-02T06:30:00Z"))).isEqualTo(at("2025-11-02T06:00:00Z"));
    assertThat(buckets.bucketEnd(at("2025-11-02T06:00:00Z"))).isEqualTo(at("2025-11-02T07:00:00Z"));
    assertThat(dayOfBuckets(buckets, LocalDate.of(2025, 11, 2)))
        .containsExactly(120L, 60L, 120L, 120L, 120L, 120L, 120L, 120L, 120L, 120L, 120L, 120L, 120L);
  }

  @Test
  void paris_hourly_buckets_on_dst_days() {
    TimeBuckets hourly = new TimeBuckets(60, PARIS);
    assertThat(dayOfBuckets(hourly, LocalDate.of(2025, 3, 30))).hasSize(23).containsOnly(60L);
    assertThat(dayOfBuckets(hourly, LocalDate.of(2025, 10, 26))).hasSize(25).containsOnly(60L);
  }

  @Test
  void lord_howe_half_hour_dst_never_makes_a_bucket_longer_than_its_size() {
    // Australia/Lord_Howe: 2025-04-06 02:00 (+11) → 01:30 (+10:30), 2025-10-05 02:00 → 02:30.
    TimeBuckets hourly = new TimeBuckets(60, ZoneId.of("Australia/Lord_Howe"));
    List<Long> autumn = dayOfBuckets(hourly, LocalDate.of(2025, 4, 6));
    assertThat(autumn).hasSize(25).contains(30L).allMatch(minutes -> minutes <= 60);
    assertThat(autumn.stream().mapToLong(Long::longValue).sum()).isEqualTo(24 * 60 + 30);
    List<Long> spring = dayOfBuckets(hourly, LocalDate.of(2025, 10, 5));
    assertThat(spring).hasSize(24).contains(30L).allMatch(minutes -> minutes <= 60);
    assertThat(spring.stream().mapToLong(Long::longValue).sum()).isEqualTo(24 * 60 - 30);
  }

  @Test
  void an_offset_change_off_the_grid_starts_a_bucket() {
    // Pacific/Chatham, 1980-03-01T14:00Z: 03:45 (+13:45) → 02:45 (+12:45), not on a 10-minute mark.
    TimeBuckets buckets = new TimeBuckets(10, ZoneId.of("Pacific/Chatham"));
    assertThat(buckets.bucketStart(at("1980-03-01T14:00:00Z"))).isEqualTo(at("1980-03-01T14:00:00Z"));
    assertThat(buckets.bucketEnd(at("1980-03-01T14:00:00Z"))).isEqualTo(at("1980-03-01T14:05:00Z"));
    assertThat(buckets.bucketEnd(at("1980-03-01T13:55:00Z"))).isEqualTo(at("1980-03-01T14:00:00Z"));
    assertThat(buckets.bucketStart(at("1980-03-01T13:59:00Z"))).isEqualTo(at("1980-03-01T13:55:00Z"));
  }

  @Test
  void a_skipped_day_has_no_buckets() {
    // Samoa skipped 2011-12-30 when it crossed the date line.
    TimeBuckets buckets = new TimeBuckets(60, ZoneId.of("Pacific/Apia"));
    assertThat(buckets.bucketEnd(at("2011-12-30T09:00:00Z"))).isEqualTo(at("2011-12-30T10:00:00Z"));
    assertThat(buckets.bucketEnd(at("2011-12-30T08:00:00Z"))).isEqualTo(at("2011-12-30T09:00:00Z"));
  }

  @Test
  void equality_by_size_and_zone() {
    assertThat(new TimeBuckets(5, PARIS)).isEqualTo(new TimeBuckets(5, PARIS))
        .hasSameHashCodeAs(new TimeBuckets(5, PARIS))
        .isNotEqualTo(new TimeBuckets(10, PARIS))
        .isNotEqualTo(new TimeBuckets(5, NEW_YORK));
  }
}
