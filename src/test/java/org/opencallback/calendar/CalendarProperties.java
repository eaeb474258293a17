package org.opencallback.calendar;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/** Random zones, dates and schedules checked against the minute-by-minute {@link BruteForce}. */
class CalendarProperties {
  private static final List<ZoneId> ZONES =
      ZoneId.getAvailableZoneIds().stream().sorted().map(ZoneId::of).toList();

  @Property(tries = 250)
  void office_hours_buckets_and_slots_match_the_brute_force_reference(
      @ForAll("scenarios") Scenario scenario) {
    new BruteForce(scenario).check();
  }

  @Property(tries = 500)
  void buckets_tile_the_time_line(
      @ForAll("zones") ZoneId zone,
      @ForAll("instants") Instant instant,
      @ForAll("bucketSizes") int minutes) {
    TimeBuckets buckets = new TimeBuckets(minutes, zone);
    Instant start = buckets.bucketStart(instant);
    Instant end = buckets.bucketEnd(start);
    assertThat(start).isBeforeOrEqualTo(instant);
    assertThat(end).isAfter(instant);
    assertThat(buckets.bucketStart(start)).isEqualTo(start);
    assertThat(buckets.bucketStart(end)).isEqualTo(end);
    assertThat(buckets.bucketStart(end.minusNanos(1))).isEqualTo(start);
    assertThat(buckets.bucketEnd(instant)).isEqualTo(end);
    var rules = zone.getRules();
    // Far from any offset change (including one exactly at the end), a bucket is a plain one.
    var previous = rules.previousTransition(end.plusNanos(1));
    boolean quiet = previous == null || previous.getInstant().isBefore(start.minus(Duration.ofDays(1)));
    if (quiet) {
      assertThat(Duration.between(start, end)).isEqualTo(Duration.ofMinutes(minutes));
      var local = start.atZone(zone);
      assertThat((local.getHour() * 60 + local.getMinute()) % minutes).isZero();
    }
  }

  @Provide
  Arbitrary<ZoneId> zones() {
    return Arbitraries.of(ZONES);
  }

  @Provide
  Arbitrary<Integer> bucketSizes() {
    return Arbitraries.of(5, 10, 15, 20, 30, 60, 120);
  }

  @Provide
  Arbitrary<Instant> instants() {
    Arbitrary<Instant> anywhere =
        Arbitraries.longs()
            .between(
                Instant.parse("1980-01-01T00:00:00Z").getEpochSecond(),
                Instant.parse("2037-01-01T00:00:00Z").getEpochSecond())
            .map(Instant::ofEpochSecond);
    // Half the time, a few hours around a DST change of some zone.
    Arbitrary<Instant> nearChange =
        Combinators.combine(zones(), anywhere, Arbitraries.integers().between(-300, 300))
            .as(
                (zone, instant, minutes) -> {
                  var transition = zone.getRules().nextTransition(instant);
                  Instant base = transition == null ? instant : transition.getInstant();
                  return base.plus(Duration.ofMinutes(minutes)).plusSeconds(minutes % 7);
                });
    return Arbitraries.oneOf(anywhere, nearChange);
  }

  @Provide
  Arbitrary<Scenario> scenarios() {
    Arbitrary<Scenario.Rule> rule =
        Combinators.combine(
                Arbitraries.of(DayOfWeek.class),
                Arbitraries.integers().between(0, 6),
                clock(),
                Arbitraries.frequencyOf(Tuple.of(4, clock()), Tuple.of(1, Arbitraries.just(1440))))
            .as(Scenario.Rule::new)
            .filter(r -> r.start() != r.end());
    Arbitrary<Scenario.Add> add =
        Combinators.combine(
                Arbitraries.integers().between(-1, 3),
                clock(),
                Arbitraries.frequencyOf(Tuple.of(4, clock()), Tuple.of(1, Arbitraries.just(1440))))
            .as(Scenario.Add::new)
            .filter(a -> a.start() != a.end());
    Arbitrary<Scenario.Effective> effective =
        Combinators.combine(Arbitraries.integers().between(-2, 2), Arbitraries.integers().between(0, 3))
            .as(Scenario.Effective::new);
    Arbitrary<Extras> extras =
        Combinators.combine(
                Arbitraries.integers().between(-1, 3).optional(),
                add.optional(),
                effective.optional(0.3),
                Arbitraries.of(true, false))
            .as(Extras::new);
    return Combinators.combine(
            zones(),
            Arbitraries.integers().between(0, 50 * 365),
            Arbitraries.frequency(Tuple.of(3, true), Tuple.of(2, false)),
            Arbitraries.integers().between(0, 36 * 60),
            rule.list().ofMinSize(1).ofMaxSize(3),
            extras,
            bucketSizes())
        .as(
            (zone, day, near, shift, rules, x, size) ->
                Scenario.of(zone, day, near, shift, rules, x.holiday(), x.add(), x.effective(), x.yearly(), size));
  }

  /** Wall-clock minutes, often on the half hour where DST changes happen. */
  private static Arbitrary<Integer> clock() {
    return Arbitraries.frequencyOf(
        Tuple.of(1, Arbitraries.integers().between(0, 47).map(half -> half * 30)),
        Tuple.of(1, Arbitraries.integers().between(0, 1439)));
  }

  private record Extras(
      Optional<Integer> holiday,
      Optional<Scenario.Add> add,
      Optional<Scenario.Effective> effective,
      boolean yearly) {}

}
