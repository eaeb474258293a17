package org.opencallback.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Collects what one logger (and its children) logs at INFO and above while open: the test log
 * configuration shows only WARN, so the logger's level is raised while open and put back on close.
 */
public final class LogLines implements AutoCloseable {
  private final Logger logger;
  private final Level before;
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

  public LogLines(Class<?> source) {
    logger = (Logger) LoggerFactory.getLogger(source);
    before = logger.getLevel();
    logger.setLevel(Level.INFO);
    appender.start();
    logger.addAppender(appender);
  }

  /** "LEVEL message" of every event so far. */
  public List<String> lines() {
    synchronized (appender) {
      List<String> lines = new ArrayList<>();
      for (ILoggingEvent event : appender.list) {
        lines.add(event.getLevel() + " " + event.getFormattedMessage());
      }
      return lines;
    }
  }

  /** Every event so far (with its time stamp and thread). */
  public List<ILoggingEvent> events() {
    synchronized (appender) {
      return new ArrayList<>(appender.list);
    }
  }

  @Override
  public void close() {
    logger.detachAppender(appender);
    logger.setLevel(before);
    appender.stop();
  }
}
