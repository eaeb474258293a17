package org.opencallback.calendar;

/** One {@code _bh_add} range: extra opening {@code hours} starting on {@code day}. */
record ExtraHours(CalendarDay day, DailyHours hours) {}
