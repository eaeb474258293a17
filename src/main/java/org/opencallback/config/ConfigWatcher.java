package org.opencallback.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the configuration file and applies valid changes without a restart, as GMS does. It polls
 * the file's content (robust against editors that replace the file and against network file
 * systems), and applies a change once two consecutive looks agree, so a file caught in the middle
 * of a write is never applied. A change that does not parse or validate is refused with a log
 * line; the configuration in force stays.
 */
public final class ConfigWatcher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ConfigWatcher.class);

  private final Path file;
  private final ConfigHolder holder;
  private final ConfigValidator validator;
  private final java.util.function.Consumer<Configuration> applied;
  private final ScheduledExecutorService executor;
  private byte[] lastDigest;
  private byte[] pendingDigest;

  public ConfigWatcher(Path file, ConfigHolder holder, Duration interval) {
    this(file, holder, interval, ConfigValidator.NONE);
  }

  public ConfigWatcher(Path file, ConfigHolder holder, Duration interval, ConfigValidator validator) {
    this(file, holder, interval, validator, configuration -> {});
  }

  /**
   * @param applied told each configuration once it is in force (to log what it means)
   */
  public ConfigWatcher(Path file, ConfigHolder holder, Duration interval, ConfigValidator validator,
      java.util.function.Consumer<Configuration> applied) {
    this.file = file;
    this.holder = holder;
    this.validator = validator;
    this.applied = applied;
    this.lastDigest = digest(readQuietly());
    // Bound: one periodic task (the file check)
    this.executor =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "config-watcher");
              thread.setDaemon(true);
              return thread;
            });
    long millis = Math.max(10, interval.toMillis());
    executor.scheduleWithFixedDelay(this::checkSafely, millis, millis, TimeUnit.MILLISECONDS);
  }

  private void checkSafely() {
    try {
      check();
    } catch (RuntimeException e) {
      LOG.error("Configuration watcher failed on {}; it keeps watching", file, e);
    }
  }

  /** Looks at the file once; applies it when it changed and is valid. */
  synchronized void check() {
    byte[] bytes = readQuietly();
    if (bytes == null) {
      return;
    }
    byte[] digest = digest(bytes);
    if (Arrays.equals(digest, lastDigest)) {
      pendingDigest = null;
      return;
    }
    if (!Arrays.equals(digest, pendingDigest)) {
      // a change is applied once two looks in a row agree, never in the middle of a write
      pendingDigest = digest;
      return;
    }
    pendingDigest = null;
    lastDigest = digest;
    try {
      Configuration next =
          Configuration.from(
              ConfigLoader.parse(bytes, file.getFileName().toString(), file.toString()),
              file.toString());
      validator.validate(next);
      holder.set(next);
      LOG.info(
          "Configuration reloaded from {}: {} callback service(s) {}",
          file, next.services().size(), next.services().keySet());
      IgnoredOptions.warn(next);
      applied.accept(next);
    } catch (ConfigException e) {
      LOG.error("Configuration change refused, the previous configuration stays in force: {}", e.getMessage());
    }
  }

  private byte[] readQuietly() {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      return null;
    }
  }

  private static byte[] digest(byte[] bytes) {
    if (bytes == null) {
      return null;
    }
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    // a reload in progress may be in the store (parking a removed service's callbacks): it ends
    // uninterrupted within 5 s (H2 closes its file on an interrupt; store.GracefulStop, which this
    // package may not use, does the same)
    executor.shutdown();
    try {
      if (executor.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS)) {
        return;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    executor.shutdownNow();
  }
}
