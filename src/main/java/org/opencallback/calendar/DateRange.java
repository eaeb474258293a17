package org.opencallback.calendar;

import java.time.LocalDate;

/** An inclusive range of local dates, from an {@code _effective_dates} option. */
record DateRange(LocalDate first, LocalDate last) {
  DateRange {
    if (last.isBefore(first)) {
      throw new IllegalArgumentException(last + " is before " + first);
    }
  }
}
