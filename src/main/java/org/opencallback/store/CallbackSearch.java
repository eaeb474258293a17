package org.opencallback.store;

import java.time.Instant;
import org.opencallback.domain.CallbackState;

/**
 * A page of a search over every stored callback, for the management UI; sorted by desired time,
 * then id.
 *
 * @param service only this service, or null for all
 * @param state only this state, or null for all
 * @param customerNumber only callbacks whose customer number contains this text, or null
 * @param desiredFrom only callbacks whose desired time is at or after this, or null
 * @param desiredTo only callbacks whose desired time is before this, or null
 * @param offset rows skipped
 * @param limit most rows returned
 */
public record CallbackSearch(
    String service,
    CallbackState state,
    String customerNumber,
    Instant desiredFrom,
    Instant desiredTo,
    int offset,
    int limit) {

  public CallbackSearch {
    if (offset < 0 || limit < 0) {
      throw new IllegalArgumentException("offset and limit must not be negative");
    }
    customerNumber = customerNumber == null || customerNumber.isBlank() ? null : customerNumber.trim();
  }
}
