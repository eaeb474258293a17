package org.opencallback.callback.admission;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.opencallback.calendar.CapacityPlan;
import org.opencallback.calendar.OfficeHours;
import org.opencallback.calendar.Slot;
import org.opencallback.config.Configuration;
import org.opencallback.config.ServiceConfig;
import org.opencallback.domain.CallbackException;
import org.opencallback.domain.ErrorCode;
import org.opencallback.store.CallbackStore;

/**
 * Free time slots of a callback service (GMS availability v1 and v2) and the office-hours and
 * capacity services' own answers. Bookings come from the store's per-slot counts (one indexed range
 * read), never from loading callbacks. Thread-safe.
 */
public final class Availability {
  /** Longest range one availability request may cover. */
  public static final Duration MAX_RANGE = Duration.ofDays(92);

  private final Supplier<Configuration> config;
  private final CallbackStore store;
  private final ServiceCalendars calendars;
  private final Clock clock;

  public Availability(Supplier<Configuration> config, CallbackStore store, ServiceCalendars calendars, Clock clock) {
    this.config = config;
    this.store = store;
    this.calendars = calendars;
    this.clock = clock;
  }

  /** The slots and the calendar they were computed with. */
  public record Result(List<Slot> slots, ServiceCalendar calendar) {}

  /** A service's calendar (for its zone and bucket size). */
  public ServiceCalendar calendar(String serviceName) {
    Configuration configuration = config.get();
    return calendars.of(configuration, service(configuration, serviceName));
  }

  /**
   * The buckets starting in [from, to) that are open and have capacity, from now on.
   *
   * @param includeFull also list full buckets ({@code report-busy})
   * @param maxSlots at most this many; 0 or less: no limit
   */
  public Result slots(String serviceName, Instant from, Instant to, boolean includeFull, int maxSlots) {
    Configuration configuration = config.get();
    ServiceConfig service = service(configuration, serviceName);
    ServiceCalendar calendar = calendars.of(configuration, service);
    Instant now = clock.instant();
    Instant start = from.isBefore(now) ? now : from;
    if (!start.isBefore(to)) {
      return new Result(List.of(), calendar);
    }
    NavigableMap<Instant, Integer> booked =
        new TreeMap<>(store.bookedSlots(serviceName, calendar.buckets().bucketStart(start), to.plus(Duration.ofHours(2))));
    List<Slot> slots = calendar.slots(start, to, bucket -> sum(booked, bucket, calendar.buckets().bucketEnd(bucket)),
        includeFull, maxSlots);
    return new Result(slots, calendar);
  }

  /** The Calendar Service API answer of an office-hours service, or null when there is none. */
  public Map<String, Object> officeHours(String name, Instant from, Instant to) {
    OfficeHours hours = calendars.officeHours(config.get(), name);
    return hours == null ? null : hours.describe(from, to);
  }

  /** The Capacity API answer of a capacity service, or null when there is none. */
  public Map<String, Object> capacity(String name, LocalDateTime from, LocalDateTime to, ZoneId zone) {
    CapacityPlan plan = calendars.capacity(config.get(), name);
    return plan == null ? null : plan.describe(from, to, zone == null ? plan.zone() : zone);
  }

  /** The zone of a capacity service, or null when there is none. */
  public ZoneId capacityZone(String name) {
    CapacityPlan plan = calendars.capacity(config.get(), name);
    return plan == null ? null : plan.zone();
  }

  private static int sum(NavigableMap<Instant, Integer> booked, Instant from, Instant to) {
    int total = 0;
    for (int count : booked.subMap(from, true, to, false).values()) {
      total += count;
    }
    return total;
  }

  private static ServiceConfig service(Configuration configuration, String name) {
    return configuration.service(name).orElseThrow(() -> new CallbackException(
        ErrorCode.INVALID_PARAMETER, CallbackException.Fault.UNKNOWN_SERVICE,
        "Callback service '" + name + "' is not configured", Map.of("service", name), Map.of()));
  }
}
