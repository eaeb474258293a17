package org.opencallback.calendar;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.MonthDay;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How many callbacks may be booked per time bucket, hour by hour: the model of a GMS {@code
 * _service=capacity} section. A value configured for the hour {@code 0900} applies to each bucket
 * that starts between 09:00 and 09:59 on the plan's wall clock ({@link #zone()}). A date listed in
 * {@code _capacity_add} uses its own hour map instead of its week day's.
 *
 * <p>Immutable and thread-safe.
 */
public final class CapacityPlan {
  /** Longest range {@link #describe} accepts. */
  static final Duration MAX_RANGE = Duration.ofDays(400);

  private final ZoneId zone;
  private final int maxCapacity;
  private final Map<DayOfWeek, HourlyCapacity> weekly;
  private final Map<LocalDate, HourlyCapacity> dated;
  private final Map<MonthDay, HourlyCapacity> yearly;

  CapacityPlan(
      ZoneId zone,
      int maxCapacity,
      Map<DayOfWeek, HourlyCapacity> weekly,
      Map<LocalDate, HourlyCapacity> dated,
      Map<MonthDay, HourlyCapacity> yearly) {
    this.zone = Objects.requireNonNull(zone);
    this.maxCapacity = maxCapacity;
    this.weekly = Map.copyOf(weekly);
    this.dated = Map.copyOf(dated);
    this.yearly = Map.copyOf(yearly);
  }

  /**
   * Reads the options of a capacity section: {@code _timezone}, {@code _capacity}, {@code
   * _capacity_1} … {@code _capacity_7} and {@code _capacity_add}. Other keys are ignored.
   *
   * @param maxCapacity {@code [capacity] _max_capacity}: the highest value allowed
   * @throws CalendarConfigException when an option is malformed or a value is above {@code
   *     maxCapacity} (GMS's {@code CapacityException})
   */
  public static CapacityPlan parse(Map<String, String> options, int maxCapacity) {
    return CapacityParser.parse(options, maxCapacity);
  }

  public ZoneId zone() {
    return zone;
  }

  public int maxCapacity() {
    return maxCapacity;
  }

  /** The capacity of the bucket starting at {@code bucketStart}: 0 for hours not configured. */
  public int capacityAt(Instant bucketStart) {
    LocalDateTime local = LocalDateTime.ofInstant(bucketStart, zone);
    return hoursOf(local.toLocalDate()).at(local.getHour());
  }

  private HourlyCapacity hoursOf(LocalDate date) {
    HourlyCapacity hours = dated.get(date);
    if (hours == null) {
      hours = yearly.get(MonthDay.from(date));
    }
    if (hours == null) {
      hours = weekly.getOrDefault(date.getDayOfWeek(), HourlyCapacity.NONE);
    }
    return hours;
  }

  /**
   * The body of the GMS Capacity API ({@code GET /genesys/1/service/{capacity-svc}?start=&end=
   * &timezone=}): the periods of {@code [start, end)} with a non-zero capacity, where {@code
   * start} and {@code end} are wall-clock times of {@code tz}. Consecutive hours with the same
   * capacity are joined; periods are clipped to the range. Local times are written without zone
   * in {@code tz}, the {@code utc…} fields disambiguate a repeated autumn hour.
   *
   * <pre>
   * {"timezone": "Europe/Paris", "start": "2015-03-17T09:15:00.000", "end": "2015-03-17T12:45:00.000",
   *  "periods": [{"start": "2015-03-17T09:15:00.000", "end": "2015-03-17T11:00:00.000",
   *               "utcStart": "2015-03-17T08:15:00.000Z", "utcEnd": "2015-03-17T10:00:00.000Z",
   *               "capacity": 6}, …]}
   * </pre>
   *
   * @throws IllegalArgumentException when {@code end} is before {@code start} or the range is
   *     longer than 400 days
   */
  public Map<String, Object> describe(LocalDateTime start, LocalDateTime end, ZoneId tz) {
    Instant from = LocalTimes.toInstant(start, tz);
    Instant to = LocalTimes.toInstant(end, tz);
    if (end.isBefore(start) || Duration.between(from, to).compareTo(MAX_RANGE) > 0) {
      throw new IllegalArgumentException("Bad range: " + start + " to " + end);
    }
    List<Period> periods = new ArrayList<>();
    List<Integer> capacities = new ArrayList<>();
    LocalDateTime hour = LocalDateTime.ofInstant(from, zone).truncatedTo(ChronoUnit.HOURS);
    while (true) {
      Instant slotStart = LocalTimes.toInstant(hour, zone);
      if (!slotStart.isBefore(to)) {
        break;
      }
      Instant slotEnd = LocalTimes.toInstant(hour.plusHours(1), zone);
      Instant clippedStart = slotStart.isBefore(from) ? from : slotStart;
      Instant clippedEnd = slotEnd.isAfter(to) ? to : slotEnd;
      int capacity = hoursOf(hour.toLocalDate()).at(hour.getHour());
      if (capacity > 0 && clippedStart.isBefore(clippedEnd)) {
        int last = periods.size() - 1;
        if (last >= 0
            && capacities.get(last) == capacity
            && periods.get(last).end().equals(clippedStart)) {
          periods.set(last, new Period(periods.get(last).start(), clippedEnd));
        } else {
          periods.add(new Period(clippedStart, clippedEnd));
          capacities.add(capacity);
        }
      }
      hour = hour.plusHours(1);
    }
    List<Map<String, Object>> entries = new ArrayList<>();
    for (int i = 0; i < periods.size(); i++) {
      Period period = periods.get(i);
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("start", AvailabilityCalculator.isoLocal(period.start(), tz));
      entry.put("end", AvailabilityCalculator.isoLocal(period.end(), tz));
      entry.put("utcStart", AvailabilityCalculator.iso(period.start()));
      entry.put("utcEnd", AvailabilityCalculator.iso(period.end()));
      entry.put("capacity", capacities.get(i));
      entries.add(entry);
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("timezone", tz.getId());
    body.put("start", AvailabilityCalculator.isoLocal(start));
    body.put("end", AvailabilityCalculator.isoLocal(end));
    body.put("periods", entries);
    return body;
  }

  @Override
  public String toString() {
    return "CapacityPlan[zone="
        + zone
        + ", max="
        + maxCapacity
        + ", weekly="
        + weekly
        + ", dated="
        + dated
        + ", yearly="
        + yearly
        + "]";
  }
}
