package org.opencallback.callback.admission;


import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.opencallback.domain.Callback;
import org.opencallback.domain.CallbackException;
import org.opencallback.domain.CallbackState;
import org.opencallback.domain.ErrorCode;
import org.opencallback.store.CallbackStore;

/**
 * Redial (GMS 8.5.2): a start request naming a COMPLETED callback in {@value #FIELD} gets that
 * callback's properties and user data, its own fields winning. Internal fields are not copied, and
 * server-owned state ({@code Callback#serverState()}) never is: it is not among the properties.
 */
final class Redial {
  /** The request field naming the callback to copy (GMS's own name is lost). */
  static final String FIELD = "_copy_from_id";

  /** Never copied: state and time fields (server-owned keys are dropped by the caller as well). */
  static final Set<String> INTERNAL =
      Set.of(
          FIELD, "_callback_state", "_callback_reason", "_reason", "_desired_time",
          "_new_desired_time", "_id", "_expiration_time", "_time_scheduled", "_url", "_service_name");

  private Redial() {}

  static Map<String, Object> merge(CallbackStore store, Map<String, Object> request) {
    Object field = request.get(FIELD);
    if (Requests.isBlank(field)) {
      return request;
    }
    String id = String.valueOf(field).trim();
    Callback source =
        store.find(id)
            .orElseThrow(() -> new CallbackException(
                ErrorCode.NOT_FOUND,
                CallbackException.Fault.NOT_FOUND,
                "Callback " + id + " to copy from cannot be found",
                Map.of("id", id),
                Map.of()));
    if (source.state() != CallbackState.COMPLETED) {
      throw new CallbackException(
          ErrorCode.INVALID_OPERATION,
          CallbackException.Fault.NOT_ALLOWED,
          "Callback " + id + " to copy from is not COMPLETED. State=" + source.state().name(),
          Map.of("id", id, "state", source.state().name()),
          Map.of());
    }
    Map<String, Object> merged = new LinkedHashMap<>();
    source.properties().forEach((key, value) -> {
      if (!INTERNAL.contains(key)) {
        merged.put(key, value);
      }
    });
    if (source.customerNumber() != null) {
      merged.put("_customer_number", source.customerNumber());
    }
    merged.putAll(request);
    return merged;
  }
}
