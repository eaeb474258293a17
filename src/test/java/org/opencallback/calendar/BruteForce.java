package org.opencallback.calendar;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A minute-by-minute reference for office hours and buckets, sharing no code with the production
 * classes, and the checks comparing the two.
 *
 * <ul>
 *   <li>A wall-clock time maps to the first minute whose local time is at or after it, found by
 *       scanning.
 *   <li>Open minutes are marked in an array: regular ranges, minus holiday dates, plus special
 *       hours, limited to the effective dates.
 *   <li>A minute starts a bucket when its local time is a multiple of the size, or when the zone's
 *       offset changes at that minute.
 * </ul>
 */
final class BruteForce {
  private final Scenario scenario;
  private final ZoneId zone;
  private final long firstMinute;
  private final boolean[] open;

  BruteForce(Scenario scenario) {
    this.scenario = scenario;
    this.zone = scenario.zone();
    this.firstMinute = scenario.from().getEpochSecond() / 60;
    this.open = new boolean[(int) Duration.between(scenario.from(), scenario.to()).toMinutes()];
    boolean[] regular = new boolean[open.length];
    LocalDate first = scenario.firstDate().minusDays(2);
    LocalDate last = LocalDate.ofInstant(scenario.to(), zone).plusDays(2);
    for (LocalDate date = first; !date.isAfter(last); date = date.plusDays(1)) {
      for (Scenario.Rule rule : scenario.rules()) {
        if (rule.days().contains(date.getDayOfWeek())) {
          LocalDate endDate = rule.end() <= rule.start() ? date.plusDays(1) : date;
          mark(regular, at(date, rule.start()), at(endDate, rule.end()), true);
        }
      }
      if (scenario.holiday().isPresent() && scenario.holiday().get().equals(date)) {
        mark(regular, at(date, 0), at(date.plusDays(1), 0), false);
      }
    }
    System.arraycopy(regular, 0, open, 0, open.length);
    scenario
        .add()
        .ifPresent(
            add -> {
              LocalDate date = scenario.firstDate().plusDays(add.dayOffset());
              LocalDate endDate = add.end() <= add.start() ? date.plusDays(1) : date;
              mark(open, at(date, add.start()), at(endDate, add.end()), true);
            });
    scenario
        .effective()
        .ifPresent(
            effective -> {
              LocalDate start = scenario.firstDate().plusDays(effective.firstOffset());
              LocalDate end = start.plusDays(effective.length() + 1);
              long from = at(start, 0);
              long to = at(end, 0);
              for (int i = 0; i < open.length; i++) {
                open[i] &= firstMinute + i >= from && firstMinute + i < to;
              }
            });
  }

  /** The first epoch minute whose wall-clock time is at or after {@code minute} of {@code date}. */
  private long at(LocalDate date, int minute) {
    LocalDateTime wanted = date.atStartOfDay().plusMinutes(minute);
    long guess = wanted.toEpochSecond(ZoneOffset.UTC) / 60 - 19 * 60;
    while (local(guess).isBefore(wanted)) {
      guess++;
    }
    return guess;
  }

  private LocalDateTime local(long epochMinute) {
    return LocalDateTime.ofInstant(Instant.ofEpochSecond(epochMinute * 60), zone);
  }

  private void mark(boolean[] minutes, long from, long to, boolean value) {
    for (long m = Math.max(from, firstMinute); m < to && m - firstMinute < minutes.length; m++) {
      minutes[(int) (m - firstMinute)] = value;
    }
  }

  /** A bucket starts when the local clock shows a multiple of the size, or the offset changes. */
  private boolean startsBucket(long epochMinute) {
    LocalDateTime local = local(epochMinute);
    boolean onGrid = (local.getHour() * 60 + local.getMinute()) % scenario.bucketMinutes() == 0;
    return onGrid || !offset(epochMinute).equals(offset(epochMinute - 1));
  }

  private ZoneOffset offset(long epochMinute) {
    return zone.getRules().getOffset(Instant.ofEpochSecond(epochMinute * 60));
  }

  /** The reference open periods, as a merged list. */
  List<Period> openPeriods() {
    List<Period> periods = new ArrayList<>();
    for (int i = 0; i < open.length; ) {
      if (!open[i]) {
        i++;
        continue;
      }
      int start = i;
      while (i < open.length && open[i]) {
        i++;
      }
      periods.add(new Period(minute(start), minute(i)));
    }
    return periods;
  }

  private Instant minute(int index) {
    return Instant.ofEpochSecond((firstMinute + index) * 60);
  }

  /** Checks office hours, buckets and slots of the scenario against the reference. */
  void check() {
    OfficeHours hours = OfficeHours.parse(scenario.options());
    List<Period> periods = hours.openPeriods(scenario.from(), scenario.to());
    assertThat(periods).as("open periods of %s", scenario).isEqualTo(openPeriods());
    for (Period period : periods) {
      assertThat(hours.isOpen(period.start())).isTrue();
      assertThat(hours.isOpen(period.end().minusNanos(1))).isTrue();
      if (period.end().isBefore(scenario.to())) {
        assertThat(hours.isOpen(period.end())).as("closed at end of %s", period).isFalse();
      }
    }
    for (int i = 0; i < open.length; i += 97) {
      assertThat(hours.isOpen(minute(i))).as("isOpen %s", minute(i)).isEqualTo(open[i]);
    }

    TimeBuckets buckets = new TimeBuckets(scenario.bucketMinutes(), zone);
    // Bookings vary by bucket: 0, 1 or 2 of a capacity of 2.
    Function<Instant, Integer> booked =
        start -> Math.floorMod(start.getEpochSecond() / 60 / scenario.bucketMinutes(), 3);
    List<Slot> expected = new ArrayList<>();
    List<Slot> expectedFree = new ArrayList<>();
    long lastMinute = firstMinute + open.length + 24 * 60;
    Long start = null;
    for (long m = firstMinute; m <= lastMinute; m++) {
      if (!startsBucket(m)) {
        continue;
      }
      Instant instant = Instant.ofEpochSecond(m * 60);
      if (start != null) {
        Instant bucketStart = Instant.ofEpochSecond(start * 60);
        int free = 2 - booked.apply(bucketStart);
        expected.add(new Slot(bucketStart, instant, 2, free));
        if (free > 0) {
          expectedFree.add(expected.get(expected.size() - 1));
        }
        start = null;
      }
      if (m - firstMinute < open.length && open[(int) (m - firstMinute)]) {
        start = m;
      }
      assertThat(buckets.bucketStart(instant)).as("bucket start %s", instant).isEqualTo(instant);
      assertThat(buckets.bucketStart(instant.minusNanos(1))).isBefore(instant);
    }
    assertThat(
            AvailabilityCalculator.slots(
                scenario.from(), scenario.to(), hours, null, 2, buckets, booked, true, 0))
        .as("slots with full ones of %s", scenario)
        .isEqualTo(expected);
    assertThat(
            AvailabilityCalculator.slots(
                scenario.from(), scenario.to(), hours, null, 2, buckets, booked, false, 0))
        .as("slots of %s", scenario)
        .isEqualTo(expectedFree);
  }
}
