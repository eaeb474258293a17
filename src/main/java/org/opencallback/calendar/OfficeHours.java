package org.opencallback.calendar;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * When an office is open: the model of a GMS {@code _service=office-hours} section.
 *
 * <p>Open time is {@code ((regular − holidays) ∪ extra) ∩ effective}: weekly {@code _bh_regular}
 * ranges, minus every holiday date from local midnight to midnight, plus the {@code _bh_add} ranges
 * (which open even on a holiday), all limited to the {@code _effective_dates} when any is set.
 * Wall-clock times are read in {@link #zone()} and mapped to instants by the rule of {@link
 * LocalTimes}: the first instant at which the clock shows that time or later.
 *
 * <p>Immutable and thread-safe.
 */
public final class OfficeHours {
  /** Longest range {@link #openPeriods} accepts, to keep a bad request from looping for ever. */
  static final Duration MAX_RANGE = Duration.ofDays(3700);

  private final ZoneId zone;
  private final List<WeeklyHours> regular;
  private final List<ExtraHours> extra;
  private final List<CalendarDay> holidays;
  private final List<DateRange> effective;

  OfficeHours(
      ZoneId zone,
      List<WeeklyHours> regular,
      List<ExtraHours> extra,
      List<CalendarDay> holidays,
      List<DateRange> effective) {
    this.zone = Objects.requireNonNull(zone);
    this.regular = List.copyOf(regular);
    this.extra = List.copyOf(extra);
    this.holidays = List.copyOf(holidays);
    this.effective = List.copyOf(effective);
  }

  /**
   * Reads the options of an office-hours section. Unknown keys ({@code _type}, {@code _service},
   * {@code _ttl}, …) and empty values are ignored.
   *
   * @throws CalendarConfigException when an option is malformed
   */
  public static OfficeHours parse(Map<String, String> options) {
    return OfficeHoursParser.parse(options);
  }

  /** Open all the time, in UTC: what a callback service without office-hours service uses. */
  public static OfficeHours alwaysOpen() {
    return new OfficeHours(
        ZoneOffset.UTC,
        List.of(new WeeklyHours(EnumSet.allOf(DayOfWeek.class), new DailyHours(0, 24 * 60))),
        List.of(),
        List.of(),
        List.of());
  }

  /** The zone in which the configured times are read. */
  public ZoneId zone() {
    return zone;
  }

  public boolean isOpen(Instant instant) {
    return !openPeriods(instant, instant.plusNanos(1)).isEmpty();
  }

  /**
   * The open periods intersecting {@code [from, to)}, clipped to it, sorted and merged (no two
   * periods touch). Empty when {@code to} is not after {@code from}.
   *
   * @throws IllegalArgumentException when the range is longer than about ten years
   */
  public List<Period> openPeriods(Instant from, Instant to) {
    if (!from.isBefore(to)) {
      return List.of();
    }
    if (Duration.between(from, to).compareTo(MAX_RANGE) > 0) {
      throw new IllegalArgumentException("Range too long: " + from + " to " + to);
    }
    // A range starting on date D ends before D+2, so D runs from the day before `from`.
    LocalDate first = LocalTimes.localDate(from, zone).minusDays(1);
    LocalDate last = LocalTimes.localDate(to, zone);

    List<Period> regularPeriods = new ArrayList<>();
    List<Period> holidayPeriods = new ArrayList<>();
    List<Period> extraPeriods = new ArrayList<>();
    for (LocalDate date = first; !date.isAfter(last.plusDays(1)); date = date.plusDays(1)) {
      if (isHoliday(date)) {
        addIfPresent(holidayPeriods, day(date));
      }
      if (date.isAfter(last)) {
        break;
      }
      for (WeeklyHours weekly : regular) {
        if (weekly.days().contains(date.getDayOfWeek())) {
          addIfPresent(regularPeriods, weekly.hours().on(date, zone));
        }
      }
      for (ExtraHours added : extra) {
        if (added.day().matches(date)) {
          addIfPresent(extraPeriods, added.hours().on(date, zone));
        }
      }
    }
    List<Period> open =
        Intervals.merge(
            concat(
                Intervals.subtract(Intervals.merge(regularPeriods), Intervals.merge(holidayPeriods)),
                extraPeriods));
    if (!effective.isEmpty()) {
      open = Intervals.intersect(open, effectivePeriods(first, last.plusDays(1)));
    }
    return Intervals.intersect(open, List.of(new Period(from, to)));
  }

  /**
   * The body of the GMS Calendar Service API ({@code GET /genesys/1/service/{office-hours-svc}}):
   * the open periods of every local day that {@code [from, to)} touches, each period cut at local
   * midnight and kept whole within its day, keeping those that intersect the range. When {@code
   * from} equals {@code to} (the "is it open now?" call) only the period containing {@code from} is
   * listed, so an empty list means closed.
   *
   * <pre>
   * {"error": null, "timezone": "Europe/Paris",
   *  "start": "2025-03-10T08:00:00.000Z", "end": "2025-03-11T08:00:00.000Z",
   *  "periods": [{"date": "2025-03-10", "start": "2025-03-10T08:00:00.000Z", "end": "2025-03-10T16:00:00.000Z"}, …]}
   * </pre>
   *
   * @throws IllegalArgumentException when {@code to} is before {@code from}
   */
  public Map<String, Object> describe(Instant from, Instant to) {
    if (to.isBefore(from)) {
      throw new IllegalArgumentException("end " + to + " is before start " + from);
    }
    LocalDate firstDay = LocalTimes.localDate(from, zone);
    LocalDate lastDay = from.equals(to) ? firstDay : LocalTimes.localDate(to.minusNanos(1), zone);
    List<Map<String, Object>> periods = new ArrayList<>();
    for (LocalDate date = firstDay; !date.isAfter(lastDay); date = date.plusDays(1)) {
      Period day = day(date);
      if (day == null) {
        continue;
      }
      for (Period period : openPeriods(day.start(), day.end())) {
        boolean wanted =
            from.equals(to) ? period.contains(from) : period.overlaps(new Period(from, to));
        if (wanted) {
          Map<String, Object> entry = new LinkedHashMap<>();
          entry.put("date", date.toString());
          entry.put("start", AvailabilityCalculator.iso(period.start()));
          entry.put("end", AvailabilityCalculator.iso(period.end()));
          periods.add(entry);
        }
      }
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", null);
    body.put("timezone", zone.getId());
    body.put("start", AvailabilityCalculator.iso(from));
    body.put("end", AvailabilityCalculator.iso(to));
    body.put("periods", periods);
    return body;
  }

  private boolean isHoliday(LocalDate date) {
    for (CalendarDay holiday : holidays) {
      if (holiday.matches(date)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The local day as instants, from its midnight to the next (23 or 25 hours on DST days); null
   * for a day the zone skipped entirely (Pacific/Apia, 2011-12-30).
   */
  private Period day(LocalDate date) {
    return span(LocalTimes.startOfDay(date, zone), LocalTimes.startOfDay(date.plusDays(1), zone));
  }

  private static Period span(Instant start, Instant end) {
    return start.isBefore(end) ? new Period(start, end) : null;
  }

  private List<Period> effectivePeriods(LocalDate first, LocalDate last) {
    List<Period> periods = new ArrayList<>();
    for (DateRange range : effective) {
      LocalDate start = range.first().isAfter(first) ? range.first() : first;
      LocalDate end = range.last().isBefore(last) ? range.last() : last;
      if (!end.isBefore(start)) {
        addIfPresent(
            periods,
            span(LocalTimes.startOfDay(start, zone), LocalTimes.startOfDay(end.plusDays(1), zone)));
      }
    }
    return Intervals.merge(periods);
  }

  private static void addIfPresent(List<Period> periods, Period period) {
    if (period != null) {
      periods.add(period);
    }
  }

  private static List<Period> concat(List<Period> first, List<Period> second) {
    List<Period> all = new ArrayList<>(first);
    all.addAll(second);
    return all;
  }

  @Override
  public String toString() {
    return "OfficeHours[zone="
        + zone
        + ", regular="
        + regular
        + ", extra="
        + extra
        + ", holidays="
        + holidays
        + ", effective="
        + effective
        + "]";
  }
}
