package org.opencallback.calendar;

import java.time.LocalDate;
import java.time.MonthDay;

/**
 * A specific date ({@code 2025-12-25}) or a date recurring every year ({@code 12-25}); exactly one
 * of the two components is set. A yearly 02-29 only matches in leap years.
 */
record CalendarDay(LocalDate date, MonthDay yearly) {

  CalendarDay {
    if ((date == null) == (yearly == null)) {
      throw new IllegalArgumentException("exactly one of date and yearly must be set");
    }
  }

  static CalendarDay of(LocalDate date) {
    return new CalendarDay(date, null);
  }

  static CalendarDay yearly(MonthDay monthDay) {
    return new CalendarDay(null, monthDay);
  }

  boolean matches(LocalDate day) {
    return date != null ? date.equals(day) : yearly.equals(MonthDay.from(day));
  }
}
