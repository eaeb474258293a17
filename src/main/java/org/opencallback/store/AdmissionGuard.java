package org.opencallback.store;

import java.util.List;

/**
 * A check run inside the storing transaction. It throws to refuse (nothing is stored), or returns
 * the throttled parameter values to count for the day.
 */
@FunctionalInterface
public interface AdmissionGuard {
  AdmissionGuard NONE = query -> List.of();

  List<ParameterValue> check(AdmissionQuery query);

  /** A throttled request parameter's value, counted per service and UTC day. */
  record ParameterValue(String name, String value) {}
}
