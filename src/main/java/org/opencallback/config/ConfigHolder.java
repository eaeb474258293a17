package org.opencallback.config;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The configuration in force. Thread-safe: readers take the current snapshot with {@link #get()} once
 * per request and use it throughout, so a reload never mixes two configurations in one request.
 */
public final class ConfigHolder implements Supplier<Configuration> {
  private final AtomicReference<Configuration> current;

  public ConfigHolder(Configuration initial) {
    this.current = new AtomicReference<>(Objects.requireNonNull(initial));
  }

  @Override
  public Configuration get() {
    return current.get();
  }

  public void set(Configuration configuration) {
    current.set(Objects.requireNonNull(configuration));
  }
}
