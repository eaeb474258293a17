package org.opencallback.config;

/** What becomes of an option's value: the status column of the option catalogue. */
public enum OptionStatus {
  /** OpenCallback itself reads the value and acts on it. */
  ACTED_ON("acted on by OpenCallback"),
  /**
   * OpenCallback does not act on it; it is sent to Orchestration Server with the service's other
   * options (the ORS callback application uses it). On the built-in engine or a webhook it has no
   * effect.
   */
  ENGINE("passed to the execution engine (ORS)"),
  /** Accepted so GMS configurations load, and not used by anything; the reason says why. */
  IGNORED("accepted and ignored");

  private final String label;

  OptionStatus(String label) {
    this.label = label;
  }

  /** The words the docs, the log and the UI use. */
  public String label() {
    return label;
  }
}
