package org.opencallback.calendar;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.Objects;
import java.util.Set;

/**
 * The scheduling grid of {@code _request_time_bucket}: buckets of {@link #minutes()} minutes
 * aligned on the wall clock of {@link #zone()}, starting at local midnight (with 15 minutes:
 * 00:00, 00:15, … 23:45).
 *
 * <p>A bucket starts whenever the local clock shows a multiple of the size, and at every change
 * of the zone's offset. Put differently, the bucket of an instant starts at the later of its
 * wall-clock time rounded down to the grid (read with the instant's own offset) and the last
 * offset change. So no bucket is ever longer than {@link #minutes()}; around DST changes:
 *
 * <ul>
 *   <li>spring forward: buckets whose local times are skipped do not exist; with 120 minutes in
 *       New York the 00:00 bucket ends at the jump and the next one runs 03:00-04:00 EDT;
 *   <li>fall back: the repeated hour has its buckets twice (01:00 EDT, …, 01:55 EDT, 01:00 EST,
 *       …); with 120 minutes the 00:00 bucket ends at the change (02:00 EDT) and a one-hour
 *       bucket 01:00-02:00 EST follows.
 * </ul>
 *
 * Immutable and thread-safe.
 */
public final class TimeBuckets {
  /** The sizes GMS accepts for {@code _request_time_bucket}, all dividing a day. */
  public static final Set<Integer> SIZES = Set.of(5, 10, 15, 20, 30, 60, 120);

  private final int minutes;
  private final ZoneId zone;

  public TimeBuckets(int minutes, ZoneId zone) {
    if (!SIZES.contains(minutes)) {
      throw new IllegalArgumentException(
          "Bucket size " + minutes + " min is not one of 5, 10, 15, 20, 30, 60, 120");
    }
    this.minutes = minutes;
    this.zone = Objects.requireNonNull(zone, "zone");
  }

  public int minutes() {
    return minutes;
  }

  public ZoneId zone() {
    return zone;
  }

  /** The start of the bucket containing {@code instant}: at or before it. */
  public Instant bucketStart(Instant instant) {
    ZoneRules rules = zone.getRules();
    ZoneOffset offset = rules.getOffset(instant);
    Instant onGrid = floor(LocalDateTime.ofInstant(instant, offset)).toInstant(offset);
    ZoneOffsetTransition change = rules.previousTransition(instant.plusNanos(1));
    return change != null && onGrid.isBefore(change.getInstant()) ? change.getInstant() : onGrid;
  }

  /**
   * The end of the bucket containing {@code instant} (normally given its start): the next bucket's
   * start.
   */
  public Instant bucketEnd(Instant instant) {
    ZoneRules rules = zone.getRules();
    ZoneOffset offset = rules.getOffset(instant);
    Instant next =
        floor(LocalDateTime.ofInstant(instant, offset)).plusMinutes(minutes).toInstant(offset);
    ZoneOffsetTransition change = rules.nextTransition(instant);
    return change != null && change.getInstant().isBefore(next) ? change.getInstant() : next;
  }

  private LocalDateTime floor(LocalDateTime local) {
    int minuteOfDay = local.getHour() * 60 + local.getMinute();
    return local.truncatedTo(ChronoUnit.DAYS).plusMinutes(minuteOfDay - minuteOfDay % minutes);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof TimeBuckets buckets
        && buckets.minutes == minutes
        && buckets.zone.equals(zone);
  }

  @Override
  public int hashCode() {
    return Objects.hash(minutes, zone);
  }

  @Override
  public String toString() {
    return "TimeBuckets[" + minutes + " min, " + zone + "]";
  }
}
