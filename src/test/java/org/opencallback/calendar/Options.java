package org.opencallback.calendar;

import java.util.LinkedHashMap;
import java.util.Map;

/** Builds option maps for tests: {@code Options.of("_timezone", "UTC", "_bh_regular1", "…")}. */
final class Options {
  private Options() {}

  static Map<String, String> of(String... keysAndValues) {
    if (keysAndValues.length % 2 != 0) {
      throw new IllegalArgumentException("keys and values must pair up");
    }
    Map<String, String> options = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      options.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    return options;
  }
}
