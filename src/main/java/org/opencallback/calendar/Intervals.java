package org.opencallback.calendar;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Set operations on lists of periods. Inputs other than {@link #merge} must be merged lists. */
final class Intervals {
  private Intervals() {}

  /** Sorted, with overlapping or touching periods joined. */
  static List<Period> merge(List<Period> periods) {
    List<Period> sorted = new ArrayList<>(periods);
    sorted.sort(Comparator.comparing(Period::start));
    List<Period> merged = new ArrayList<>();
    for (Period period : sorted) {
      int last = merged.size() - 1;
      if (last >= 0 && !period.start().isAfter(merged.get(last).end())) {
        Period previous = merged.get(last);
        if (period.end().isAfter(previous.end())) {
          merged.set(last, new Period(previous.start(), period.end()));
        }
      } else {
        merged.add(period);
      }
    }
    return merged;
  }

  /** The parts of {@code periods} not covered by {@code removed}. */
  static List<Period> subtract(List<Period> periods, List<Period> removed) {
    List<Period> result = new ArrayList<>();
    for (Period period : periods) {
      Instant cursor = period.start();
      for (Period cut : removed) {
        if (!cut.end().isAfter(cursor) || !cut.start().isBefore(period.end())) {
          continue;
        }
        if (cut.start().isAfter(cursor)) {
          result.add(new Period(cursor, cut.start()));
        }
        cursor = cut.end();
        if (!cursor.isBefore(period.end())) {
          break;
        }
      }
      if (cursor.isBefore(period.end())) {
        result.add(new Period(cursor, period.end()));
      }
    }
    return result;
  }

  /** The instants covered by both lists. */
  static List<Period> intersect(List<Period> first, List<Period> second) {
    List<Period> result = new ArrayList<>();
    int i = 0;
    int j = 0;
    while (i < first.size() && j < second.size()) {
      Period a = first.get(i);
      Period b = second.get(j);
      Instant start = a.start().isAfter(b.start()) ? a.start() : b.start();
      Instant end = a.end().isBefore(b.end()) ? a.end() : b.end();
      if (start.isBefore(end)) {
        result.add(new Period(start, end));
      }
      if (a.end().isBefore(b.end())) {
        i++;
      } else {
        j++;
      }
    }
    return result;
  }
}
