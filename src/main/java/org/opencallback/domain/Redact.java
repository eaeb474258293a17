package org.opencallback.domain;

import java.util.regex.Pattern;

/**
 * Takes credentials out of text bound for a log line, an error message or a screen: the user-info part
 * of every URL ({@code https://user:password@host} becomes {@code https://***@host}) and the values
 * of query parameters named like a secret ({@code ?token=…}, {@code &password=…}, {@code &sig=…}).
 * Configured URLs (ORS, webhooks, notification targets) may carry such credentials.
 */
public final class Redact {
  /** What a removed secret is shown as. */
  public static final String MASK = "***";
  private static final Pattern USER_INFO = Pattern.compile("(?i)\\b([a-z][a-z0-9+.-]*://)[^/\\s@?#]*@");
  private static final Pattern SECRET_PARAMETER = Pattern.compile(
      "(?i)([?&;](?:password|passwd|pwd|pass|secret|client_secret|token|access_token|api[_-]?key|apikey|key"
          + "|sig|signature|auth|authorization)=)[^&;#\\s]*");

  private Redact() {}

  /** The text with every URL's user info and secret-looking query values replaced by {@value #MASK}. */
  public static String urls(String text) {
    if (text == null || text.indexOf(':') < 0) {
      return text;
    }
    String withoutUsers = USER_INFO.matcher(text).replaceAll("$1" + MASK + "@");
    return SECRET_PARAMETER.matcher(withoutUsers).replaceAll("$1" + MASK);
  }
}
