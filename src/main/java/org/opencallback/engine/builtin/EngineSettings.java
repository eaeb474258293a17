package org.opencallback.engine.builtin;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.opencallback.config.Configuration;
import org.opencallback.config.OptionValues;

/**
 * The {@code engine} section as the engine uses it, read from the configuration in force (hot
 * reload): a new configuration object is read again, the same one is not.
 *
 * @param simulated whether the {@code engine} section asks for simulation (it sets any option): only
 *     then are there simulated agents and a simulated dialer; without it nothing is dialed by the
 *     engine and only real agents (agent API) take callbacks, calling customers from their own phones
 * @param agents number of simulated agents (0 unless simulated)
 * @param talkTime how long a call between an agent and a customer lasts when nobody hangs up first
 * @param ringTime how long the simulated dialer takes to know the outcome
 * @param customerPatience how long a customer on the line waits for an agent before hanging up;
 *     empty: for ever
 * @param outcomes the dial outcomes by customer number
 */
record EngineSettings(
    boolean simulated,
    int agents, Duration talkTime, Duration ringTime, Optional<Duration> customerPatience, DialOutcomes outcomes,
    int maxAgents) {
  static final String AGENTS = "agents";
  static final String MAX_AGENTS = "max-agents";
  static final String TALK_TIME = "talk_time";
  static final String RING_TIME = "ring_time";
  static final String DIAL_OUTCOMES = "dial_outcomes";
  static final String CUSTOMER_PATIENCE = "customer_patience";
  private static final Pattern DURATION = Pattern.compile("\\d{1,9}(ms|s|m|h)?");

  static EngineSettings of(Configuration configuration) {
    OptionValues engine = configuration.engine();
    DialOutcomes outcomes;
    try {
      outcomes = DialOutcomes.parse(configuration.rawSection(Configuration.ENGINE_SECTION).get(DIAL_OUTCOMES));
    } catch (IllegalArgumentException e) {
      outcomes = DialOutcomes.NONE; // refused at load by BuiltinEngineConfigCheck
    }
    boolean simulated = configuration.simulation();
    return new EngineSettings(
        simulated,
        simulated ? Math.max(0, engine.integer(AGENTS, 0)) : 0,
        engine.duration(TALK_TIME, Duration.ofSeconds(2)),
        engine.duration(RING_TIME, Duration.ofSeconds(1)),
        Optional.ofNullable(engine.duration(CUSTOMER_PATIENCE, null)),
        outcomes,
        Math.max(1, engine.integer(MAX_AGENTS, 100)));
  }

  static boolean isDuration(String value) {
    return DURATION.matcher(value.trim().toLowerCase(java.util.Locale.ROOT)).matches();
  }

  /** Reads the settings of the configuration in force, once per configuration object. Thread-safe. */
  static final class Reader implements Supplier<EngineSettings> {
    private record Read(Configuration configuration, EngineSettings settings) {}

    private final Supplier<Configuration> config;
    private final AtomicReference<Read> last = new AtomicReference<>();

    Reader(Supplier<Configuration> config) {
      this.config = config;
    }

    @Override
    public EngineSettings get() {
      Configuration configuration = config.get();
      Read read = last.get();
      if (read == null || read.configuration() != configuration) {
        read = new Read(configuration, of(configuration));
        last.set(read);
      }
      return read.settings();
    }
  }
}
