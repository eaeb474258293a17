package org.opencallback.config;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** How an option's value is checked. Every check takes the value as a trimmed, non-empty string. */
public enum OptionType {
  /** Any text. */
  STRING,
  /** {@code true} or {@code false}, any case. */
  BOOLEAN,
  /** A whole number, possibly negative (GMS treats some negatives as "use the default"). */
  INT,
  /** A whole number ≥ 0. */
  NON_NEGATIVE_INT,
  /** A whole number ≥ 1. */
  POSITIVE_INT,
  /** One of {@link OptionSpec#allowed()}, compared case-insensitively. */
  ENUM,
  /** A comma-separated list of keys. */
  LIST,
  /** {@code 1<unit>} with unit one of y, M, w, d, h, m (as {@code _reject_future_desired_time}). */
  PERIOD,
  /** A Java time-zone id such as {@code Europe/Paris}. */
  ZONE,
  /** Two whole numbers separated by a comma, e.g. {@code -120,120} (minutes relative to now). */
  RANGE,
  /** A duration such as {@code 2s}, {@code 500ms}, {@code 1m}; a bare number means seconds. */
  DURATION,
  /** A comma-separated list of {@code [http(s)://]host[:port]}, host possibly {@code *.domain}. */
  URL_PATTERNS,
  /** A comma-separated list of IP ranges, {@code 10.0.0.0/8}, {@code ::1}. */
  ADDRESS_RANGES;

  private static final Pattern INTEGER = Pattern.compile("[+-]?\\d{1,10}");
  private static final Pattern PERIOD_PATTERN = Pattern.compile("\\d{1,6}[yMwdhm]");
  private static final Pattern RANGE_PATTERN = Pattern.compile("\\s*[+-]?\\d{1,9}\\s*,\\s*[+-]?\\d{1,9}\\s*");
  private static final Pattern DURATION_PATTERN = Pattern.compile("\\d{1,9}(ms|s|m|h)?");

  /**
   * Checks a value.
   *
   * @return null when valid, else a short description of what is wrong
   */
  public String problem(String value, List<String> allowed) {
    switch (this) {
      case STRING:
      case LIST:
        return null;
      case BOOLEAN:
        String lower = value.toLowerCase(Locale.ROOT);
        return lower.equals("true") || lower.equals("false") ? null : "expected true or false";
      case INT:
        return INTEGER.matcher(value).matches() && fitsInt(value) ? null : "expected a whole number";
      case NON_NEGATIVE_INT:
        return INTEGER.matcher(value).matches() && fitsInt(value) && Long.parseLong(value) >= 0
            ? null
            : "expected a whole number of 0 or more";
      case POSITIVE_INT:
        return INTEGER.matcher(value).matches() && fitsInt(value) && Long.parseLong(value) >= 1
            ? null
            : "expected a whole number of 1 or more";
      case ENUM:
        for (String candidate : allowed) {
          if (candidate.equalsIgnoreCase(value)) {
            return null;
          }
        }
        return "expected one of " + String.join(", ", allowed);
      case PERIOD:
        return PERIOD_PATTERN.matcher(value).matches()
            ? null
            : "expected a number followed by a unit y, M, w, d, h or m (e.g. 1M)";
      case ZONE:
        try {
          ZoneId.of(value);
          return null;
        } catch (DateTimeException e) {
          return "expected a time-zone id such as Europe/Paris";
        }
      case RANGE:
        return RANGE_PATTERN.matcher(value).matches() ? null : "expected two numbers such as -120,120";
      case DURATION:
        return DURATION_PATTERN.matcher(value).matches()
            ? null
            : "expected a duration such as 2s, 500ms, 1m or 1h";
      case URL_PATTERNS:
        return firstProblem(value, org.opencallback.outbound.OutboundPolicy::urlEntryProblem);
      case ADDRESS_RANGES:
        return firstProblem(value, org.opencallback.outbound.OutboundPolicy::rangeEntryProblem);
      default:
        throw new IllegalStateException(name());
    }
  }

  private static String firstProblem(
      String value, java.util.function.Function<String, java.util.Optional<String>> check) {
    for (String entry : value.split(",")) {
      if (!entry.isBlank()) {
        java.util.Optional<String> problem = check.apply(entry.trim());
        if (problem.isPresent()) {
          return problem.get();
        }
      }
    }
    return null;
  }

  private static boolean fitsInt(String value) {
    long parsed = Long.parseLong(value);
    return parsed >= Integer.MIN_VALUE && parsed <= Integer.MAX_VALUE;
  }
}
