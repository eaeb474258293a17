package org.opencallback.calendar;

import java.time.Instant;
import java.util.Objects;

/**
 * One open time bucket offered for scheduling.
 *
 * @param start the bucket start, the desired time a client books
 * @param end the next bucket's start
 * @param total the capacity configured for the bucket
 * @param free what is left of {@code total} after the callbacks already booked (never negative)
 */
public record Slot(Instant start, Instant end, int total, int free) {
  public Slot {
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(end, "end");
    if (!start.isBefore(end) || total < 0 || free < 0 || free > total) {
      throw new IllegalArgumentException(
          "Bad slot " + start + "-" + end + " total " + total + " free " + free);
    }
  }
}
