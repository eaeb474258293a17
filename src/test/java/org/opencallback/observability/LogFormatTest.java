package org.opencallback.observability;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

/** [server] log-format: json switches the console appender to Logback's JSON encoder. */
class LogFormatTest {

  private static ConsoleAppender<ILoggingEvent> console(LoggerContext context) {
    PatternLayoutEncoder pattern = new PatternLayoutEncoder();
    pattern.setContext(context);
    pattern.setPattern("%msg%n");
    pattern.start();
    ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
    appender.setName("STDOUT");
    appender.setContext(context);
    appender.setEncoder(pattern);
    appender.start();
    context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(appender);
    return appender;
  }

  @Test
  void json_switches_the_console_to_one_json_object_per_line() {
    LoggerContext context = new LoggerContext();
    ConsoleAppender<ILoggingEvent> appender = console(context);

    assertThat(LogFormat.apply("JSON", context)).isTrue();

    assertThat(appender.getEncoder()).isInstanceOf(JsonEncoder.class);
    assertThat(appender.isStarted()).isTrue();
  }

  @Test
  void text_or_nothing_leaves_the_pattern() {
    LoggerContext context = new LoggerContext();
    ConsoleAppender<ILoggingEvent> appender = console(context);

    assertThat(LogFormat.apply("text", context)).isFalse();
    assertThat(LogFormat.apply(null, context)).isFalse();

    assertThat(appender.getEncoder()).isInstanceOf(PatternLayoutEncoder.class);
  }
}
