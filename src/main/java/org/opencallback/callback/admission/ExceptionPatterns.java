package org.opencallback.callback.admission;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.Map;
import java.util.regex.Pattern;
import org.opencallback.config.Configuration;
import org.opencallback.config.ServiceConfig;
import org.opencallback.domain.CallbackException;
import org.opencallback.domain.ErrorCode;

/**
 * GMS exception patterns: {@code _exceptions} names a section of {@code LABEL: REGEX}, or a
 * comma-separated list of such sections, checked in order; a request
 * any of whose values contains a match (Java regular expressions, searched with {@code find}) is
 * refused with 40040 naming the label. Values are checked as stored, so {@code _customer_number} is
 * already normalised (with its leading {@code +}). Thread-safe.
 */
final class ExceptionPatterns {
  /** Most compiled patterns kept: far more than a configuration has; reloads add new ones. */
  static final int MAX_PATTERNS = 1024;

  /** Compiled patterns by their text. Bound: {@link #MAX_PATTERNS}, least used evicted (patterns of old reloads). */
  private final Cache<String, Pattern> compiled = Caffeine.newBuilder().maximumSize(MAX_PATTERNS).build();

  /** How many compiled patterns are kept now (tests). */
  long kept() {
    compiled.cleanUp();
    return compiled.estimatedSize();
  }

  void check(Configuration configuration, ServiceConfig service, Map<String, Object> request) {
    for (String section : service.options().list("_exceptions")) {
      check(configuration.section(section), section, request);
    }
  }

  private void check(Map<String, String> patterns, String section, Map<String, Object> request) {
    for (Map.Entry<String, String> entry : patterns.entrySet()) {
      Pattern pattern = compiled.get(entry.getValue(), Pattern::compile);
      for (Map.Entry<String, Object> field : request.entrySet()) {
        Object value = field.getValue();
        if (value == null || value instanceof Map || value instanceof Iterable) {
          continue;
        }
        if (pattern.matcher(String.valueOf(value)).find()) {
          throw new CallbackException(
              ErrorCode.REQUEST_REJECTED,
              CallbackException.Fault.NOT_ALLOWED,
              "Callback request rejected: " + field.getKey() + " matches exception pattern '"
                  + entry.getKey() + "' of " + section + " (option _exceptions)",
              Map.of("label", entry.getKey(), "parameter", field.getKey(), "exceptions", section),
              Map.of());
        }
      }
    }
  }
}
