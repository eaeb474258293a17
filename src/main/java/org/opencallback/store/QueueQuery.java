package org.opencallback.store;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.opencallback.domain.CallbackState;

/**
 * The admin query by queue: one service's callbacks due in a window.
 *
 * @param service the callback service
 * @param states only these states; empty for every state
 * @param desiredFrom desired time at or after this
 * @param desiredTo desired time at or before this
 * @param filters property name → value, all compared for equality; {@code _callback_state},
 *     {@code _callback_reason} and {@code _customer_number} compare the record's own fields
 * @param limit most rows returned
 */
public record QueueQuery(
    String service,
    Set<CallbackState> states,
    Instant desiredFrom,
    Instant desiredTo,
    Map<String, String> filters,
    int limit) {

  public QueueQuery {
    Objects.requireNonNull(service);
    Objects.requireNonNull(desiredFrom);
    Objects.requireNonNull(desiredTo);
    states = Set.copyOf(states);
    filters = new LinkedHashMap<>(filters);
  }
}
