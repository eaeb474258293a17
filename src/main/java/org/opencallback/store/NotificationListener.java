package org.opencallback.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code LISTEN} on one PostgreSQL channel, on a connection of its own (outside the pool: it is held
 * for ever), on a thread of its own, handing every notification's payload to a consumer. When the
 * connection is lost it connects again (after a second) and tells {@code onReconnect}: notifications
 * sent meanwhile are lost ({@code NOTIFY} is not durable). Thread-safe.
 */
public final class NotificationListener implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(NotificationListener.class);
  private static final int WAIT_MILLIS = 500;
  private static final long RECONNECT_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final String url;
  private final Properties credentials = new Properties();
  private final String channel;
  private final Consumer<String> onMessage;
  private final Runnable onReconnect;
  private final Thread thread;
  private volatile boolean running = true;
  private volatile Connection connection;

  public NotificationListener(String url, String user, String password, String channel, Consumer<String> onMessage,
      Runnable onReconnect) {
    if (!channel.matches("[a-z_][a-z0-9_]*")) {
      throw new IllegalArgumentException("invalid channel name " + channel);
    }
    this.url = url;
    if (user != null) {
      credentials.setProperty("user", user);
    }
    if (password != null) {
      credentials.setProperty("password", password);
    }
    this.channel = channel;
    this.onMessage = onMessage;
    this.onReconnect = onReconnect;
    this.thread = new Thread(this::run, "listen-" + channel);
    this.thread.setDaemon(true);
  }

  /** Starts listening; returns once the first {@code LISTEN} is in place, or failed (it retries). */
  public NotificationListener start() {
    listen(false);
    thread.start();
    return this;
  }

  private void run() {
    while (running) {
      Connection current = connection;
      if (current == null) {
        LockSupport.parkNanos(RECONNECT_NANOS);
        if (running) {
          listen(true);
        }
        continue;
      }
      try {
        PGNotification[] notifications = current.unwrap(PGConnection.class).getNotifications(WAIT_MILLIS);
        if (notifications != null) {
          for (PGNotification notification : notifications) {
            deliver(notification.getParameter());
          }
        }
      } catch (SQLException e) {
        if (running) {
          LOG.warn("Listening on {} failed; connecting again: {}", channel, e.getMessage());
        }
        closeQuietly(current);
        connection = null;
      }
    }
  }

  private void deliver(String payload) {
    try {
      onMessage.accept(payload);
    } catch (RuntimeException e) {
      LOG.error("Handling notification {} failed", payload, e);
    }
  }

  private void listen(boolean again) {
    try {
      Connection opened = DriverManager.getConnection(url, credentials);
      try (Statement statement = opened.createStatement()) {
        statement.execute("LISTEN " + channel);
      }
      connection = opened;
      if (again) {
        LOG.info("Listening on {} again", channel);
        onReconnect.run();
      }
    } catch (SQLException | RuntimeException e) {
      LOG.warn("Cannot listen on {}; trying again: {}", channel, e.getMessage());
    }
  }

  private static void closeQuietly(Connection connection) {
    try {
      connection.close();
    } catch (SQLException e) {
      // lost anyway
    }
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
    try {
      thread.join(2_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Connection current = connection;
    if (current != null) {
      closeQuietly(current);
    }
  }
}
