package org.opencallback.store;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.opencallback.domain.CallbackState;

/**
 * A query by lookup properties.
 *
 * @param service only this service, or null for all
 * @param keys property name → value, all compared for equality
 * @param anyKey true for OR between the keys, false for AND
 * @param state only this state (or every other one when {@code negateState}), or null
 * @param negateState whether the state filter is negated ({@code !COMPLETED})
 * @param desiredFrom only callbacks whose desired time is at or after this, or null
 * @param desiredTo only callbacks whose desired time is at or before this, or null
 * @param limit most rows returned
 */
public record LookupQuery(
    String service,
    Map<String, String> keys,
    boolean anyKey,
    CallbackState state,
    boolean negateState,
    Instant desiredFrom,
    Instant desiredTo,
    int limit) {

  public LookupQuery {
    keys = new LinkedHashMap<>(keys);
  }
}
