package org.opencallback.calendar;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.time.zone.ZoneOffsetTransition;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A random office-hours configuration, a two-day window and a bucket size, for the brute-force
 * checks of {@link BruteForce}. Dates of holidays, special hours and effective dates are given
 * relative to the local date at the start of the window.
 */
record Scenario(
    ZoneId zone,
    List<Rule> rules,
    Optional<Integer> holidayOffset,
    Optional<Add> add,
    Optional<Effective> effective,
    boolean yearly,
    Instant from,
    Instant to,
    int bucketMinutes) {

  /** Regular hours on the days {@code first … first+span} (wrapping the week). */
  record Rule(DayOfWeek first, int span, int start, int end) {
    Set<DayOfWeek> days() {
      Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
      for (int i = 0; i <= span; i++) {
        days.add(first.plus(i));
      }
      return days;
    }

    String option() {
      String days = name(first) + (span == 0 ? "" : "-" + name(first.plus(span)));
      return days + " " + clock(start) + "-" + clock(end);
    }
  }

  /** Special hours on the window's first date plus {@code dayOffset}. */
  record Add(int dayOffset, int start, int end) {}

  /** Effective dates from the window's first date plus {@code firstOffset}, {@code length} days more. */
  record Effective(int firstOffset, int length) {}

  static Scenario of(
      ZoneId zone,
      int dayNumber,
      boolean nearTransition,
      int shiftMinutes,
      List<Rule> rules,
      Optional<Integer> holidayOffset,
      Optional<Add> add,
      Optional<Effective> effective,
      boolean yearly,
      int bucketMinutes) {
    Instant center = LocalDate.of(1985, 1, 1).plusDays(dayNumber).atStartOfDay(zone).toInstant();
    if (nearTransition) {
      ZoneOffsetTransition transition = zone.getRules().nextTransition(center);
      if (transition != null && transition.getInstant().isBefore(Instant.parse("2037-01-01T00:00:00Z"))) {
        center = transition.getInstant();
      }
    }
    Instant from = center.minus(Duration.ofMinutes(shiftMinutes)).truncatedTo(ChronoUnit.MINUTES);
    return new Scenario(
        zone, rules, holidayOffset, add, effective, yearly, from, from.plus(Duration.ofDays(2)),
        bucketMinutes);
  }

  LocalDate firstDate() {
    return LocalDate.ofInstant(from, zone);
  }

  Optional<LocalDate> holiday() {
    return holidayOffset.map(offset -> firstDate().plusDays(offset));
  }

  Map<String, String> options() {
    Map<String, String> options = new LinkedHashMap<>();
    options.put("_type", "builtin");
    options.put("_service", "office-hours");
    options.put("_timezone", zone.getId());
    for (int i = 0; i < rules.size(); i++) {
      options.put("_bh_regular" + (i + 1), rules.get(i).option());
    }
    holiday().ifPresent(date -> options.put("_holiday1", day(date)));
    add.ifPresent(
        a ->
            options.put(
                "_bh_add1",
                day(firstDate().plusDays(a.dayOffset())) + " " + clock(a.start()) + "-" + clock(a.end())));
    effective.ifPresent(
        e -> {
          LocalDate first = firstDate().plusDays(e.firstOffset());
          options.put(
              "_effective_dates1",
              e.length() == 0 ? first.toString() : first + " to " + first.plusDays(e.length()));
        });
    return options;
  }

  private String day(LocalDate date) {
    return yearly ? date.toString().substring(5) : date.toString();
  }

  private static String name(DayOfWeek day) {
    String name = day.name();
    return name.charAt(0) + name.substring(1, 3).toLowerCase(Locale.ROOT);
  }

  private static String clock(int minute) {
    return String.format("%d:%02d", minute / 60, minute % 60);
  }
}
