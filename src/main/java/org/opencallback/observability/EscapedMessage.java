package org.opencallback.observability;

import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/**
 * The {@code %msg} of the text log (logback.xml's {@code conversionRule}): the message with control
 * characters escaped, so text from a request (a service name, a user name, a property value) can
 * never start a log line of its own nor send terminal escapes. The one place log lines are escaped;
 * the JSON log ({@code [server] log-format: json}) escapes the same characters as JSON does.
 * Stateless and thread-safe.
 */
public final class EscapedMessage extends MessageConverter {
  @Override
  public String convert(ILoggingEvent event) {
    return escape(super.convert(event));
  }

  /**
   * {@code text} with CR, LF and every other control character (C0 but tab, DEL, C1, and the Unicode
   * line and paragraph separators) written as {@code \r}, {@code \n} or {@code \}{@code uXXXX}.
   */
  public static String escape(String text) {
    if (text == null) {
      return null;
    }
    int first = 0;
    while (first < text.length() && !escaped(text.charAt(first))) {
      first++;
    }
    if (first == text.length()) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length() + 16).append(text, 0, first);
    for (int i = first; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!escaped(c)) {
        out.append(c);
      } else if (c == '\r') {
        out.append("\\r");
      } else if (c == '\n') {
        out.append("\\n");
      } else {
        out.append(String.format("\\u%04X", (int) c));
      }
    }
    return out.toString();
  }

  private static boolean escaped(char c) {
    return c < 0x20 && c != '\t' || c >= 0x7f && c <= 0x9f || c == '\u2028' || c == '\u2029';
  }
}
