package org.opencallback.calendar;

/**
 * A malformed option of an office-hours or capacity section. The message names the option, its
 * value and what was expected, e.g. {@code Option _bh_regular1="Mon-Fry 9:00-17:00" is invalid:
 * unknown day "Fry"; expected <days> <HH:mm-HH:mm>, e.g. "Mon-Fri 9:00-17:00"}.
 */
public final class CalendarConfigException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String option;
  private final String value;

  public CalendarConfigException(String option, String value, String problem) {
    super("Option " + option + "=\"" + value + "\" is invalid: " + problem);
    this.option = option;
    this.value = value;
  }

  /** The option name, e.g. {@code _bh_regular1} or {@code _capacity_3}. */
  public String option() {
    return option;
  }

  /** The offending value as configured. */
  public String value() {
    return value;
  }
}
