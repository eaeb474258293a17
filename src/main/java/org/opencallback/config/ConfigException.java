package org.opencallback.config;

/** A configuration that cannot be used; the message names the file, section, option and problem. */
public final class ConfigException extends Exception {
  private static final long serialVersionUID = 1L;

  public ConfigException(String message) {
    super(message);
  }

  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }

  public static ConfigException invalidOption(String section, String option, String value, String problem) {
    return new ConfigException(
        "section ["
            + section
            + "] option "
            + option
            + ": value \""
            + value
            + "\" is invalid: "
            + problem);
  }
}
