package org.opencallback.callback.admission;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.opencallback.calendar.AvailabilityCalculator;
import org.opencallback.calendar.CapacityPlan;
import org.opencallback.calendar.OfficeHours;
import org.opencallback.calendar.Slot;
import org.opencallback.calendar.TimeBuckets;

/**
 * A callback service's time rules: its office hours ({@code _business_hours_service}, always open
 * without one), its capacity ({@code _capacity_service}, else {@code _max_request_by_time_bucket}
 * per bucket) and its bucket grid ({@code _request_time_bucket} minutes, on the office's local
 * clock). Immutable.
 *
 * @param hours when the office is open
 * @param capacity the capacity plan, or null
 * @param buckets the bucket grid
 * @param perBucket {@code _max_request_by_time_bucket}, used without a capacity plan
 * @param hasOfficeHours whether the service names an office-hours service
 */
public record ServiceCalendar(
    OfficeHours hours, CapacityPlan capacity, TimeBuckets buckets, int perBucket, boolean hasOfficeHours) {

  /** Places configured for the bucket starting at {@code bucketStart}. */
  public int total(Instant bucketStart) {
    return capacity == null ? perBucket : capacity.capacityAt(bucketStart);
  }

  public List<Slot> slots(
      Instant from, Instant to, Function<Instant, Integer> booked, boolean includeFull, int maxSlots) {
    return AvailabilityCalculator.slots(from, to, hours, capacity, perBucket, buckets, booked, includeFull, maxSlots);
  }

  /** The GMS {@code availability} proposal map around a refused desired time. */
  public Map<String, Integer> proposals(Instant desired, Function<Instant, Integer> booked, Instant notBefore) {
    return AvailabilityCalculator.asAvailability(
        AvailabilityCalculator.proposals(desired, hours, capacity, perBucket, buckets, booked, notBefore));
  }
}
