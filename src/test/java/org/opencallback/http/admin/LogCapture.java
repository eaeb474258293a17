package org.opencallback.http.admin;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Collects what one logger (and its children) logs while open, at INFO and above (the test log
 * configuration, src/test/resources/logback-test.xml, shows only WARN: the level is raised while
 * open and put back on close).
 */
final class LogCapture implements AutoCloseable {
  private final Logger logger;
  private final Level before;
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

  LogCapture(String name) {
    logger = (Logger) LoggerFactory.getLogger(name);
    before = logger.getLevel();
    logger.setLevel(Level.INFO);
    appender.start();
    logger.addAppender(appender);
  }

  /** Formatted messages so far. */
  List<String> messages() {
    synchronized (appender) {
      List<String> messages = new ArrayList<>();
      for (ILoggingEvent event : appender.list) {
        messages.add(event.getFormattedMessage());
      }
      return messages;
    }
  }

  @Override
  public void close() {
    logger.detachAppender(appender);
    logger.setLevel(before);
    appender.stop();
  }
}
