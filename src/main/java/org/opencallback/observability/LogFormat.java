package org.opencallback.observability;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import java.util.Locale;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/** {@code [server] log-format}: {@code json} switches the console log to one JSON object per line. */
public final class LogFormat {
  public static final String OPTION = "log-format";
  private static final String APPENDER = "STDOUT";

  private LogFormat() {}

  /**
   * Applies a log format: {@code json}, or {@code text} (the default pattern, left as configured).
   *
   * @return whether the console appender was switched to JSON
   */
  public static boolean apply(String format) {
    if (format == null || !format.trim().toLowerCase(Locale.ROOT).equals("json")) {
      return false;
    }
    ILoggerFactory factory = LoggerFactory.getILoggerFactory();
    return factory instanceof LoggerContext && apply(format, (LoggerContext) factory);
  }

  /** As {@link #apply(String)}, on one logging context's {@code STDOUT} console appender. */
  static boolean apply(String format, LoggerContext context) {
    if (format == null || !format.trim().toLowerCase(Locale.ROOT).equals("json")) {
      return false;
    }
    Appender<ILoggingEvent> appender =
        context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getAppender(APPENDER);
    if (!(appender instanceof OutputStreamAppender)) {
      return false;
    }
    OutputStreamAppender<ILoggingEvent> console = (OutputStreamAppender<ILoggingEvent>) appender;
    JsonEncoder encoder = new JsonEncoder();
    encoder.setContext(context);
    encoder.start();
    console.stop();
    console.setEncoder(encoder);
    console.start();
    return true;
  }
}
