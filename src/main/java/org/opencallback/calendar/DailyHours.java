package org.opencallback.calendar;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

/**
 * An opening range on the wall clock, {@code HH:mm-HH:mm}, in minutes since midnight. When the end
 * is not after the start the range crosses midnight and ends on the next day ({@code 19:00-7:00});
 * {@code 24:00} (minute 1440) is the end of the day.
 *
 * @param startMinute 0…1439
 * @param endMinute 0…1440, different from {@code startMinute}
 */
record DailyHours(int startMinute, int endMinute) {
  static final int MINUTES_PER_DAY = 24 * 60;

  DailyHours {
    if (startMinute < 0 || startMinute >= MINUTES_PER_DAY) {
      throw new IllegalArgumentException("start minute " + startMinute);
    }
    if (endMinute < 0 || endMinute > MINUTES_PER_DAY || endMinute == startMinute) {
      throw new IllegalArgumentException("end minute " + endMinute);
    }
  }

  boolean crossesMidnight() {
    return endMinute < startMinute;
  }

  /** The instants this range covers when it starts on {@code date}; null when a DST gap eats it. */
  Period on(LocalDate date, ZoneId zone) {
    Instant start = LocalTimes.toInstant(date.atStartOfDay().plusMinutes(startMinute), zone);
    LocalDate endDate = crossesMidnight() ? date.plusDays(1) : date;
    Instant end = LocalTimes.toInstant(endDate.atStartOfDay().plusMinutes(endMinute), zone);
    return start.isBefore(end) ? new Period(start, end) : null;
  }

  @Override
  public String toString() {
    return format(startMinute) + "-" + format(endMinute);
  }

  private static String format(int minute) {
    return String.format("%02d:%02d", minute / 60, minute % 60);
  }
}
