package org.opencallback.engine.builtin;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The {@code engine.dial_outcomes} mapping: regular expression on the customer number → outcome,
 * first match wins ({@link Pattern#matcher(CharSequence)}{@code .find()}), {@code answer} when none.
 * Immutable.
 */
final class DialOutcomes {
  static final DialOutcomes NONE = new DialOutcomes(List.of());

  private record Rule(Pattern pattern, DialOutcome outcome) {}

  private final List<Rule> rules;

  private DialOutcomes(List<Rule> rules) {
    this.rules = List.copyOf(rules);
  }

  /**
   * Reads the raw value of {@code dial_outcomes}.
   *
   * @throws IllegalArgumentException naming the entry that is wrong
   */
  static DialOutcomes parse(Object raw) {
    if (raw == null || (raw instanceof String && ((String) raw).isBlank())) {
      return NONE;
    }
    if (!(raw instanceof Map)) {
      throw new IllegalArgumentException("expected a mapping of regular expression to outcome");
    }
    List<Rule> rules = new ArrayList<>();
    for (Map.Entry<?, ?> entry : ((Map<?, ?>) raw).entrySet()) {
      String regex = String.valueOf(entry.getKey());
      Pattern pattern;
      try {
        pattern = Pattern.compile(regex);
      } catch (PatternSyntaxException e) {
        throw new IllegalArgumentException(
            "\"" + regex + "\" is not a regular expression: " + e.getDescription());
      }
      String value = entry.getValue() == null ? null : String.valueOf(entry.getValue());
      DialOutcome outcome =
          DialOutcome.parse(value)
              .orElseThrow(() -> new IllegalArgumentException(
                  "\"" + regex + "\" maps to \"" + value
                      + "\": expected answer, busy, no_answer, answering_machine or fax"));
      rules.add(new Rule(pattern, outcome));
    }
    return new DialOutcomes(rules);
  }

  DialOutcome outcomeFor(String number) {
    String text = number == null ? "" : number;
    for (Rule rule : rules) {
      if (rule.pattern().matcher(text).find()) {
        return rule.outcome();
      }
    }
    return DialOutcome.ANSWER;
  }
}
