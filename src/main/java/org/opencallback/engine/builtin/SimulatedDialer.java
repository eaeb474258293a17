package org.opencallback.engine.builtin;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.opencallback.config.Configuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A dialer without a telephone: after {@code engine.ring_time} the outcome is the one {@code
 * engine.dial_outcomes} gives the number ({@code answer} when none matches). Thread-safe.
 */
public final class SimulatedDialer implements Dialer {
  private static final Logger LOG = LoggerFactory.getLogger(SimulatedDialer.class);

  private final Supplier<EngineSettings> settings;
  private final ScheduledExecutorService timers;

  /**
   * @param config the configuration in force (its {@code engine} section is read on every dial)
   * @param timers where the ring timers run
   */
  public SimulatedDialer(Supplier<Configuration> config, ScheduledExecutorService timers) {
    this.settings = new EngineSettings.Reader(config);
    this.timers = timers;
  }

  @Override
  public Attempt dial(String callbackId, String number, Consumer<DialOutcome> outcome) {
    EngineSettings now = settings.get();
    DialOutcome result = now.outcomes().outcomeFor(number);
    AtomicBoolean hungUp = new AtomicBoolean(false);
    ScheduledFuture<?> ring =
        timers.schedule(
            () -> {
              if (hungUp.compareAndSet(false, true)) {
                LOG.debug("Dial of {} for callback {}: {}", number, callbackId, result);
                outcome.accept(result);
              }
            },
            now.ringTime().toMillis(),
            TimeUnit.MILLISECONDS);
    return () -> {
      if (hungUp.compareAndSet(false, true)) {
        ring.cancel(false);
      }
    };
  }
}
