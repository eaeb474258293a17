package org.opencallback.engine.builtin;

import java.util.Locale;
import java.util.Optional;

/** What dialing a customer number gives, as call progress detection reports it. */
public enum DialOutcome {
  ANSWER,
  BUSY,
  NO_ANSWER,
  ANSWERING_MACHINE,
  FAX;

  /** Parses {@code answer}, {@code busy}, {@code no_answer}, {@code answering_machine} or {@code fax}, any case. */
  public static Optional<DialOutcome> parse(String value) {
    if (value == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(valueOf(value.trim().toUpperCase(Locale.ROOT)));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** The configuration spelling, e.g. {@code no_answer}. */
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
