package org.opencallback.calendar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class AvailabilityCalculatorTest {
  private static final Function<Instant, Integer> NOTHING_BOOKED = start -> 0;

  private static Instant at(String iso) {
    return Instant.parse(iso);
  }

  private static Slot slot(String start, String end, int total, int free) {
    return new Slot(at(start), at(end), total, free);
  }

  private static OfficeHours hours(String regular) {
    return OfficeHours.parse(Options.of("_bh_regular1", regular));
  }

  @Test
  void open_buckets_with_the_default_capacity() {
    List<Slot> slots =
        AvailabilityCalculator.slots(
            at("2025-03-10T08:00:00Z"), at("2025-03-10T12:00:00Z"),
            hours("Mon-Fri 9:00-10:00"), null, 3,
            new TimeBuckets(15, ZoneOffset.UTC), NOTHING_BOOKED, false, 0);
    assertThat(slots)
        .containsExactly(
            slot("2025-03-10T09:00:00Z", "2025-03-10T09:15:00Z", 3, 3),
            slot("2025-03-10T09:15:00Z", "2025-03-10T09:30:00Z", 3, 3),
            slot("2025-03-10T09:30:00Z", "2025-03-10T09:45:00Z", 3, 3),
            slot("2025-03-10T09:45:00Z", "2025-03-10T10:00:00Z", 3, 3));
  }

  @Test
  void booked_callbacks_reduce_free_and_full_buckets_are_left_out_unless_asked() {
    Map<Instant, Integer> booked = new HashMap<>();
    booked.put(at("2025-03-10T09:00:00Z"), 1);
    booked.put(at("2025-03-10T09:15:00Z"), 3);
    booked.put(at("2025-03-10T09:30:00Z"), 7); // overbooked: free stays at 0
    TimeBuckets buckets = new TimeBuckets(15, ZoneOffset.UTC);
    OfficeHours hours = hours("Mon-Fri 9:00-10:00");
    Instant from = at("2025-03-10T09:00:00Z");
    Instant to = at("2025-03-10T10:00:00Z");

    assertThat(AvailabilityCalculator.slots(from, to, hours, null, 3, buckets, booked::get, false, 0))
        .containsExactly(
            slot("2025-03-10T09:00:00Z", "2025-03-10T09:15:00Z", 3, 2),
            slot("2025-03-10T09:45:00Z", "2025-03-10T10:00:00Z", 3, 3));
    assertThat(AvailabilityCalculator.slots(from, to, hours, null, 3, buckets, booked::get, true, 0))
        .extracting(Slot::free)
        .containsExactly(2, 0, 0, 3);
  }

  @Test
  void max_slots_truncates_the_list() {
    List<Slot> slots =
        AvailabilityCalculator.slots(
            at("2025-03-10T00:00:00Z"), at("2025-03-17T00:00:00Z"),
            hours("Mon-Fri 9:00-17:00"), null, 3,
            new TimeBuckets(5, ZoneOffset.UTC), NOTHING_BOOKED, false, 2);
    assertThat(slots).extracting(Slot::start)
        .containsExactly(at("2025-03-10T09:00:00Z"), at("2025-03-10T09:05:00Z"));
  }

  @Test
  void capacity_plan_sets_the_total_and_hours_without_capacity_are_skipped() {
    CapacityPlan plan =
        CapacityPlan.parse(Options.of("_capacity_1", "{\"1\":{\"0900\":2,\"1100\":5}}"), 1000);
    List<Slot> slots =
        AvailabilityCalculator.slots(
            at("2025-03-10T00:00:00Z"), at("2025-03-11T00:00:00Z"),
            hours("Mon-Fri 9:00-12:00"), plan, 100,
            new TimeBuckets(30, ZoneOffset.UTC), NOTHING_BOOKED, true, 0);
    assertThat(slots)
        .containsExactly(
            slot("2025-03-10T09:00:00Z", "2025-03-10T09:30:00Z", 2, 2),
            slot("2025-03-10T09:30:00Z", "2025-03-10T10:00:00Z", 2, 2),
            slot("2025-03-10T11:00:00Z", "2025-03-10T11:30:00Z", 5, 5),
            slot("2025-03-10T11:30:00Z", "2025-03-10T12:00:00Z", 5, 5));
  }

  @Test
  void a_bucket_is_offered_when_the_office_is_open_at_its_start() {
    TimeBuckets buckets = new TimeBuckets(15, ZoneOffset.UTC);
    List<Slot> lateOpening =
        AvailabilityCalculator.slots(
            at("2025-03-10T08:00:00Z"), at("2025-03-10T12:00:00Z"),
            hours("Mon 9:10-10:00"), null, 1, buckets, NOTHING_BOOKED, false, 0);
    assertThat(lateOpening).extracting(Slot::start)
        .containsExactly(at("2025-03-10T09:15:00Z"), at("2025-03-10T09:30:00Z"), at("2025-03-10T09:45:00Z"));
    List<Slot> earlyClosing =
        AvailabilityCalculator.slots(
            at("2025-03-10T08:00:00Z"), at("2025-03-10T12:00:00Z"),
            hours("Mon 9:00-9:50"), null, 1, buckets, NOTHING_BOOKED, false, 0);
    assertThat(earlyClosing).extracting(Slot::start)
        .containsExactly(at("2025-03-10T09:00:00Z"), at("2025-03-10T09:15:00Z"), at("2025-03-10T09:30:00Z"),
            at("2025-03-10T09:45:00Z"));
  }

  @Test
  void only_buckets_starting_inside_the_range_count() {
    List<Slot> slots =
        AvailabilityCalculator.slots(
            at("2025-03-10T09:07:00Z"), at("2025-03-10T09:30:00Z"),
            OfficeHours.alwaysOpen(), null, 1,
            new TimeBuckets(15, ZoneOffset.UTC), NOTHING_BOOKED, false, 0);
    assertThat(slots).extracting(Slot::start).containsExactly(at("2025-03-10T09:15:00Z"));
    assertThat(
            AvailabilityCalculator.slots(
                at("2025-03-10T09:30:00Z"), at("2025-03-10T09:30:00Z"),
                OfficeHours.alwaysOpen(), null, 1,
                new TimeBuckets(15, ZoneOffset.UTC), NOTHING_BOOKED, false, 0))
        .isEmpty();
  }

  @Test
  void zero_default_capacity_offers_nothing_and_negative_is_refused() {
    assertThat(
            AvailabilityCalculator.slots(
                at("2025-03-10T09:00:00Z"), at("2025-03-10T10:00:00Z"),
                OfficeHours.alwaysOpen(), null, 0,
                new TimeBuckets(15, ZoneOffset.UTC), NOTHING_BOOKED, true, 0))
        .isEmpty();
    assertThatThrownBy(
            () ->
                AvailabilityCalculator.slots(
                    at("2025-03-10T09:00:00Z"), at("2025-03-10T10:00:00Z"),
                    OfficeHours.alwaysOpen(), null, -1,
                    new TimeBuckets(15, ZoneOffset.UTC), NOTHING_BOOKED, true, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void slots_in_the_office_zone_across_spring_forward() {
    ZoneId newYork = ZoneId.of("America/New_York");
    OfficeHours hours =
        OfficeHours.parse(Options.of("_timezone", "America/New_York", "_bh_regular1", "Sun 01:00-04:00"));
    List<Slot> slots =
        AvailabilityCalculator.slots(
            at("2025-03-09T00:00:00Z"), at("2025-03-10T00:00:00Z"),
            hours, null, 1, new TimeBuckets(60, newYork), NOTHING_BOOKED, false, 0);
    assertThat(slots)
        .containsExactly(
            slot("2025-03-09T06:00:00Z", "2025-03-09T07:00:00Z", 1, 1),
            slot("2025-03-09T07:00:00Z", "2025-03-09T08:00:00Z", 1, 1));
  }

  @Test
  void slots_in_the_repeated_autumn_hour_are_offered_twice_by_local_time() {
    ZoneId paris = ZoneId.of("Europe/Paris");
    OfficeHours hours =
        OfficeHours.parse(Options.of("_timezone", "Europe/Paris", "_bh_regular1", "Sun 02:00-03:00"));
    List<Slot> slots =
        AvailabilityCalculator.slots(
            at("2025-10-25T12:00:00Z"), at("2025-10-26T12:00:00Z"),
            hours, null, 1, new TimeBuckets(30, paris), NOTHING_BOOKED, false, 0);
    assertThat(slots).extracting(slot -> AvailabilityCalculator.isoLocal(slot.start(), paris))
        .containsExactly(
            "2025-10-26T02:00:00.000", "2025-10-26T02:30:00.000",
            "2025-10-26T02:00:00.000", "2025-10-26T02:30:00.000");
    assertThat(slots).extracting(Slot::start)
        .containsExactly(at("2025-10-26T00:00:00Z"), at("2025-10-26T00:30:00Z"),
            at("2025-10-26T01:00:00Z"), at("2025-10-26T01:30:00Z"));
  }

  @Test
  void proposals_reproduce_the_gms_example() {
    // GMS: desired [16:45, 16:50] full; proposals from 16:25 to 16:55.
    Map<Instant, Integer> booked = new HashMap<>();
    booked.put(at("2013-05-27T16:45:00Z"), 5);
    booked.put(at("2013-05-27T16:30:00Z"), 2);
    booked.put(at("2013-05-27T16:55:00Z"), 2);
    List<Slot> proposals =
        AvailabilityCalculator.proposals(
            at("2013-05-27T16:47:00Z"), OfficeHours.alwaysOpen(), null, 5,
            new TimeBuckets(5, ZoneOffset.UTC), booked::get, null);
    assertThat(AvailabilityCalculator.asAvailability(proposals))
        .containsExactly(
            Map.entry("2013-05-27T16:25:00.000Z", 5),
            Map.entry("2013-05-27T16:30:00.000Z", 3),
            Map.entry("2013-05-27T16:35:00.000Z", 5),
            Map.entry("2013-05-27T16:40:00.000Z", 5),
            Map.entry("2013-05-27T16:50:00.000Z", 5),
            Map.entry("2013-05-27T16:55:00.000Z", 3));
  }

  @Test
  void proposals_skip_full_closed_and_past_buckets() {
    Map<Instant, Integer> booked = new HashMap<>();
    booked.put(at("2025-03-10T09:35:00Z"), 1);
    OfficeHours hours = hours("Mon 9:20-9:50");
    List<Slot> proposals =
        AvailabilityCalculator.proposals(
            at("2025-03-10T09:40:00Z"), hours, null, 1,
            new TimeBuckets(5, ZoneOffset.UTC), booked::get, at("2025-03-10T09:22:00Z"));
    assertThat(proposals).extracting(Slot::start)
        .containsExactly(at("2025-03-10T09:25:00Z"), at("2025-03-10T09:30:00Z"), at("2025-03-10T09:45:00Z"));
  }

  @Test
  void proposals_count_buckets_not_minutes() {
    List<Slot> proposals =
        AvailabilityCalculator.proposals(
            at("2025-03-10T12:00:00Z"), OfficeHours.alwaysOpen(), null, 1,
            new TimeBuckets(60, ZoneOffset.UTC), start -> 0, null);
    assertThat(proposals).extracting(Slot::start)
        .containsExactly(
            at("2025-03-10T08:00:00Z"), at("2025-03-10T09:00:00Z"), at("2025-03-10T10:00:00Z"),
            at("2025-03-10T11:00:00Z"), at("2025-03-10T13:00:00Z"), at("2025-03-10T14:00:00Z"));
  }

  @Test
  void iso_has_milliseconds_and_a_z() {
    assertThat(AvailabilityCalculator.iso(at("2013-05-27T16:45:00Z"))).isEqualTo("2013-05-27T16:45:00.000Z");
    assertThat(AvailabilityCalculator.iso(at("2013-05-27T16:45:00.123456Z"))).isEqualTo("2013-05-27T16:45:00.123Z");
    assertThat(AvailabilityCalculator.isoLocal(LocalDateTime.parse("2015-03-17T09:15")))
        .isEqualTo("2015-03-17T09:15:00.000");
    assertThat(AvailabilityCalculator.isoLocal(at("2016-04-13T13:00:00Z"), ZoneId.of("America/New_York")))
        .isEqualTo("2016-04-13T09:00:00.000");
  }

  @Test
  void slots_and_periods_validate_their_values() {
    assertThatThrownBy(() -> slot("2025-03-10T09:00:00Z", "2025-03-10T09:00:00Z", 1, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> slot("2025-03-10T09:00:00Z", "2025-03-10T09:05:00Z", 1, 2))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Period(at("2025-03-10T09:00:00Z"), at("2025-03-10T08:00:00Z")))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
