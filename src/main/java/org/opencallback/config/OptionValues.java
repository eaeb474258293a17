package org.opencallback.config;

import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The options of one section, resolved GMS's way: a non-empty value in this section, else (where GMS
 * falls back to it) the non-empty value of a parent section, else the catalogue default. Immutable.
 */
public final class OptionValues {
  private final String section;
  private final OptionScope scope;
  private final Map<String, String> values;
  private final OptionValues parent;
  private final java.util.Set<String> blank;

  /**
   * @param section the section's name, for messages
   * @param scope the catalogue scope of its options
   * @param values the section's non-empty values
   * @param parent where an option of the same name is looked up next (the {@code callback} section
   *     for a service), or null
   */
  public OptionValues(String section, OptionScope scope, Map<String, String> values, OptionValues parent) {
    this(section, scope, values, parent, java.util.Set.of());
  }

  /**
   * @param blank options the section gives with an empty value (not set, but visibly so)
   */
  public OptionValues(
      String section, OptionScope scope, Map<String, String> values, OptionValues parent, java.util.Set<String> blank) {
    this.section = section;
    this.scope = scope;
    this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    this.parent = parent;
    this.blank = java.util.Set.copyOf(blank);
  }

  /**
   * A copy with some of this section's own values changed: each entry is put, a null value removes
   * the option (it then falls back to the parent section and the default). Empty changes: this.
   */
  public OptionValues with(Map<String, String> changes) {
    if (changes.isEmpty()) {
      return this;
    }
    Map<String, String> changed = new LinkedHashMap<>(values);
    changes.forEach((option, value) -> {
      if (value == null) {
        changed.remove(option);
      } else {
        changed.put(option, value);
      }
    });
    return new OptionValues(section, scope, changed, parent, blank);
  }

  /** Whether the section names this option with an empty value. */
  public boolean isBlank(String option) {
    return blank.contains(option);
  }

  public String section() {
    return section;
  }

  /** Where options not set here are looked up next, or null. */
  public OptionValues parent() {
    return parent;
  }

  /** The values set in this very section (no defaults, no fallback). */
  public Map<String, String> own() {
    return values;
  }

  /** The resolved value, or empty when neither set nor defaulted. */
  public Optional<String> get(String option) {
    String own = values.get(option);
    if (own != null) {
      return Optional.of(own);
    }
    if (parent != null) {
      String inherited = parent.values.get(option);
      if (inherited != null) {
        return Optional.of(inherited);
      }
    }
    Optional<OptionSpec> spec = OptionCatalog.find(scope, option);
    if (spec.isEmpty() && parent != null) {
      spec = OptionCatalog.find(parent.scope, option);
    }
    return spec.map(OptionSpec::defaultValue);
  }

  public String string(String option, String fallback) {
    return get(option).orElse(fallback);
  }

  public boolean bool(String option, boolean fallback) {
    return get(option).map(v -> v.trim().equalsIgnoreCase("true")).orElse(fallback);
  }

  /** An integer option; a value that does not parse gives the fallback. */
  public int integer(String option, int fallback) {
    return get(option).flatMap(OptionValues::parseInt).orElse(fallback);
  }

  /** A comma-separated list, trimmed, empty entries dropped, order kept. */
  public List<String> list(String option) {
    return get(option)
        .map(v -> Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList())
        .orElse(List.of());
  }

  /** A duration such as {@code 2s}, {@code 500ms}, {@code 1m}, {@code 1h}; a bare number is seconds. */
  public Duration duration(String option, Duration fallback) {
    return get(option).flatMap(OptionValues::parseDuration).orElse(fallback);
  }

  static Optional<Integer> parseInt(String value) {
    try {
      return Optional.of(Integer.parseInt(value.trim()));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  static Optional<Duration> parseDuration(String value) {
    String text = value.trim().toLowerCase(Locale.ROOT);
    try {
      if (text.endsWith("ms")) {
        return Optional.of(Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2))));
      }
      if (text.endsWith("s")) {
        return Optional.of(Duration.ofSeconds(Long.parseLong(text.substring(0, text.length() - 1))));
      }
      if (text.endsWith("m")) {
        return Optional.of(Duration.ofMinutes(Long.parseLong(text.substring(0, text.length() - 1))));
      }
      if (text.endsWith("h")) {
        return Optional.of(Duration.ofHours(Long.parseLong(text.substring(0, text.length() - 1))));
      }
      return Optional.of(Duration.ofSeconds(Long.parseLong(text)));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
