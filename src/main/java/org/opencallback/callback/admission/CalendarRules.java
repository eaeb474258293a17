package org.opencallback.callback.admission;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Function;
import org.opencallback.config.ServiceConfig;
import org.opencallback.domain.CallbackException;
import org.opencallback.domain.ErrorCode;
import org.opencallback.domain.Times;
import org.opencallback.store.AdmissionQuery;

/**
 * The desired-time checks against office hours and capacity, run inside the storing transaction
 * (under the service's lock) so the last place of a bucket goes to exactly one request.
 *
 * <ul>
 *   <li>A scheduled request whose desired time falls outside office hours: 400 / 40050, with the
 *       next free slots (up to {@value #NEXT_SLOTS} within a week) as {@code availability}.
 *   <li>A scheduled request whose bucket is full (or has no capacity): 400 / 40051 {@code Too many
 *       requests at desired time [from, to]. Proposing time slots.} with the neighbouring free
 *       buckets as {@code availability}.
 *   <li>An immediate request while the office is closed, when {@code
 *       _enable_reject_out_of_office_hours} is true: 400 / 40050.
 * </ul>
 */
public final class CalendarRules {
  static final int NEXT_SLOTS = 10;

  private CalendarRules() {}

  /**
   * @param ownPlace 1 when the callback being rescheduled already holds a place in the desired
   *     bucket (it does not compete with itself), else 0
   */
  public static void check(
      ServiceCalendar calendar,
      ServiceConfig service,
      Instant desired,
      boolean immediate,
      Instant now,
      AdmissionQuery query,
      int ownPlace) {
    Function<Instant, Integer> booked =
        bucket -> query.booked(service.name(), bucket, calendar.buckets().bucketEnd(bucket));
    if (immediate) {
      if (calendar.hasOfficeHours()
          && service.options().bool("_enable_reject_out_of_office_hours", false)
          && !calendar.hours().isOpen(now)) {
        throw new CallbackException(
            ErrorCode.TIME_NOT_AVAILABLE,
            CallbackException.Fault.TIME_NOT_AVAILABLE,
            "Office closed at desired time " + Times.format(desired)
                + " (option _enable_reject_out_of_office_hours)",
            Map.of("_desired_time", Times.format(desired)),
            Map.of("availability", next(calendar, now, booked)));
      }
      return;
    }
    if (!calendar.hours().isOpen(desired)) {
      throw new CallbackException(
          ErrorCode.TIME_NOT_AVAILABLE,
          CallbackException.Fault.TIME_NOT_AVAILABLE,
          "Office closed at desired time " + Times.format(desired),
          Map.of("_desired_time", Times.format(desired)),
          Map.of("availability", next(calendar, desired, booked)));
    }
    Instant bucket = calendar.buckets().bucketStart(desired);
    Instant end = calendar.buckets().bucketEnd(bucket);
    int total = calendar.total(bucket);
    int taken = booked.apply(bucket) - ownPlace;
    if (taken >= total) {
      throw new CallbackException(
          ErrorCode.SLOT_FULL,
          CallbackException.Fault.TIME_NOT_AVAILABLE,
          "Too many requests at desired time [" + Times.format(bucket) + ", " + Times.format(end)
              + "]. Proposing time slots.",
          Map.of("start", Times.format(bucket), "end", Times.format(end), "capacity", total),
          Map.of("availability", calendar.proposals(desired, booked, now)));
    }
  }

  private static Map<String, Integer> next(
      ServiceCalendar calendar, Instant from, Function<Instant, Integer> booked) {
    return org.opencallback.calendar.AvailabilityCalculator.asAvailability(
        calendar.slots(from, from.plus(Duration.ofDays(7)), booked, false, NEXT_SLOTS));
  }
}
