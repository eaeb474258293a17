package org.opencallback.calendar;

import java.time.DayOfWeek;
import java.util.Set;

/** One {@code _bh_regular} range: the week days on which {@code hours} start. */
record WeeklyHours(Set<DayOfWeek> days, DailyHours hours) {
  WeeklyHours {
    days = Set.copyOf(days);
  }
}
