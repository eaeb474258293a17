package org.opencallback.calendar;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A non-empty half-open time interval {@code [start, end)}.
 *
 * @param start first instant inside the period
 * @param end first instant after the period, strictly after {@code start}
 */
public record Period(Instant start, Instant end) {

  public Period {
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(end, "end");
    if (!start.isBefore(end)) {
      throw new IllegalArgumentException("Period start " + start + " is not before end " + end);
    }
  }

  /** Whether {@code instant} lies in {@code [start, end)}. */
  public boolean contains(Instant instant) {
    return !instant.isBefore(start) && instant.isBefore(end);
  }

  /** Whether the two periods share at least one instant. */
  public boolean overlaps(Period other) {
    return start.isBefore(other.end) && other.start.isBefore(end);
  }

  public Duration duration() {
    return Duration.between(start, end);
  }

  @Override
  public String toString() {
    return "[" + start + ", " + end + ")";
  }
}
