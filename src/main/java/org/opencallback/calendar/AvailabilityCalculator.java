package org.opencallback.calendar;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Which time buckets can still take a scheduled callback, and how many (GMS availability v1/v2
 * and the proposals of the "Too many requests at desired time" error).
 *
 * <p>A bucket is offered when the office is open at its <em>start</em> instant (the start is the
 * desired time a client books), its configured capacity is above zero and, unless full buckets
 * are asked for, something is left after the callbacks already booked. Stateless.
 */
public final class AvailabilityCalculator {
  /** Proposals list this many buckets before the refused one (20 minutes with 5-minute buckets). */
  public static final int PROPOSALS_BEFORE = 4;
  /** …and this many after it (10 minutes with 5-minute buckets), as in GMS's documented example. */
  public static final int PROPOSALS_AFTER = 2;

  private static final DateTimeFormatter ISO =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT)
          .withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter ISO_LOCAL =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS", Locale.ROOT);

  private AvailabilityCalculator() {}

  /**
   * The slots of every bucket whose start lies in {@code [from, to)}, ascending.
   *
   * @param hours when the office is open ({@link OfficeHours#alwaysOpen()} without a service)
   * @param capacityOrNull the capacity plan; null to give every bucket {@code defaultPerBucket}
   * @param defaultPerBucket {@code _max_request_by_time_bucket}, used without a capacity plan
   * @param buckets the bucket grid, normally in the office's zone
   * @param bookedInBucket callbacks already booked in the bucket starting at the given instant
   *     (null counts as 0)
   * @param includeFull also list open buckets with nothing free ({@code report-busy=true})
   * @param maxSlots stop after this many slots; 0 or less for no limit
   */
  public static List<Slot> slots(
      Instant from,
      Instant to,
      OfficeHours hours,
      CapacityPlan capacityOrNull,
      int defaultPerBucket,
      TimeBuckets buckets,
      Function<Instant, Integer> bookedInBucket,
      boolean includeFull,
      int maxSlots) {
    Objects.requireNonNull(hours, "hours");
    Objects.requireNonNull(buckets, "buckets");
    Objects.requireNonNull(bookedInBucket, "bookedInBucket");
    if (defaultPerBucket < 0) {
      throw new IllegalArgumentException("defaultPerBucket is negative: " + defaultPerBucket);
    }
    List<Slot> slots = new ArrayList<>();
    if (!from.isBefore(to)) {
      return slots;
    }
    List<Period> open = hours.openPeriods(from, to);
    int index = 0;
    Instant start = buckets.bucketStart(from);
    if (start.isBefore(from)) {
      start = buckets.bucketEnd(start);
    }
    while (start.isBefore(to)) {
      while (index < open.size() && !open.get(index).end().isAfter(start)) {
        index++;
      }
      if (index >= open.size()) {
        break;
      }
      Period period = open.get(index);
      if (!period.contains(start)) {
        // Closed here: jump to the first bucket starting inside the next open period.
        Instant next = buckets.bucketStart(period.start());
        start = next.isBefore(period.start()) ? buckets.bucketEnd(next) : next;
        continue;
      }
      Instant end = buckets.bucketEnd(start);
      int total = capacityOrNull == null ? defaultPerBucket : capacityOrNull.capacityAt(start);
      if (total > 0) {
        Integer booked = bookedInBucket.apply(start);
        int free = Math.max(0, total - (booked == null ? 0 : booked));
        if (free > 0 || includeFull) {
          slots.add(new Slot(start, end, total, free));
          if (maxSlots > 0 && slots.size() >= maxSlots) {
            break;
          }
        }
      }
      start = end;
    }
    return slots;
  }

  /**
   * The buckets to propose when the one containing {@code desired} is refused: from {@link
   * #PROPOSALS_BEFORE} buckets before it to {@link #PROPOSALS_AFTER} after it, open and with
   * something free, never the refused bucket itself nor a bucket starting before {@code
   * notBefore} (null for no lower limit).
   */
  public static List<Slot> proposals(
      Instant desired,
      OfficeHours hours,
      CapacityPlan capacityOrNull,
      int defaultPerBucket,
      TimeBuckets buckets,
      Function<Instant, Integer> bookedInBucket,
      Instant notBefore) {
    Instant refused = buckets.bucketStart(desired);
    Instant first = refused;
    for (int i = 0; i < PROPOSALS_BEFORE; i++) {
      first = buckets.bucketStart(first.minusNanos(1));
    }
    Instant end = refused;
    for (int i = 0; i <= PROPOSALS_AFTER; i++) {
      end = buckets.bucketEnd(end);
    }
    Instant from = notBefore != null && notBefore.isAfter(first) ? notBefore : first;
    List<Slot> proposals = new ArrayList<>();
    for (Slot slot :
        slots(from, end, hours, capacityOrNull, defaultPerBucket, buckets, bookedInBucket, false, 0)) {
      if (!slot.start().equals(refused)) {
        proposals.add(slot);
      }
    }
    return proposals;
  }

  /** Slots as GMS's availability map: ISO start → free, ascending (v1 body, error proposals). */
  public static Map<String, Integer> asAvailability(List<Slot> slots) {
    Map<String, Integer> availability = new LinkedHashMap<>();
    for (Slot slot : slots) {
      availability.put(iso(slot.start()), slot.free());
    }
    return availability;
  }

  /** {@code yyyy-MM-dd'T'HH:mm:ss.SSS'Z'} in UTC, the format of every time in the API. */
  public static String iso(Instant instant) {
    return ISO.format(instant);
  }

  /** {@code yyyy-MM-dd'T'HH:mm:ss.SSS}, the wall-clock time of {@code instant} in {@code zone}. */
  public static String isoLocal(Instant instant, ZoneId zone) {
    return ISO_LOCAL.format(LocalDateTime.ofInstant(instant, zone));
  }

  /** {@code yyyy-MM-dd'T'HH:mm:ss.SSS}. */
  public static String isoLocal(LocalDateTime local) {
    return ISO_LOCAL.format(local);
  }
}
