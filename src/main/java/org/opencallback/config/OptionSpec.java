package org.opencallback.config;

import java.util.List;

/**
 * One known option: its GMS name, default (null when it has none), how its value is checked, and
 * where it is documented.
 *
 * @param scope the kind of section it belongs to
 * @param name the option name exactly as GMS spells it
 * @param defaultValue the value used when the option is absent or empty; null when none
 * @param type how a value is validated
 * @param allowed the valid values of an {@link OptionType#ENUM}, else empty
 * @param category the GMS category (General, Scheduled Call, Queue Management, …) or OpenCallback
 * @param description one or two sentences for the configuration reference
 * @param status what becomes of a value: acted on, passed to ORS, or ignored
 * @param statusReason why, when it is not acted on; empty otherwise
 */
public record OptionSpec(
    OptionScope scope,
    String name,
    String defaultValue,
    OptionType type,
    List<String> allowed,
    String category,
    String description,
    OptionStatus status,
    String statusReason) {

  public OptionSpec {
    allowed = List.copyOf(allowed);
  }

  /** The problem with a value, or null when it is valid. */
  public String problem(String value) {
    return type.problem(value.trim(), allowed);
  }
}
