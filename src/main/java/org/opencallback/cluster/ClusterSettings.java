package org.opencallback.cluster;

import java.time.Duration;
import org.opencallback.config.ConfigException;
import org.opencallback.config.ConfigValidator;
import org.opencallback.config.Configuration;
import org.opencallback.config.OptionValues;

/**
 * The {@code cluster} and {@code database} sections as a node uses them at start (docs/cluster.md).
 * Defaults are the values the cluster mode was built and tested with.
 *
 * @param lease how old a node's heartbeat may get before another node takes its callbacks over
 * @param heartbeat how often a node renews its lease and looks for dead nodes
 * @param poolSize most database connections of the pool
 */
public record ClusterSettings(Duration lease, Duration heartbeat, int poolSize) {
  public static final String LEASE = "lease";
  public static final String HEARTBEAT = "heartbeat";
  public static final String POOL_SIZE = "pool-size";
  public static final Duration DEFAULT_LEASE = Duration.ofSeconds(15);
  public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(3);
  public static final int DEFAULT_POOL_SIZE = 10;
  static final Duration MIN_HEARTBEAT = Duration.ofMillis(100);

  public static final ClusterSettings DEFAULTS = new ClusterSettings(DEFAULT_LEASE, DEFAULT_HEARTBEAT, DEFAULT_POOL_SIZE);

  /** The settings of a configuration (validated by {@link #CHECK}). */
  public static ClusterSettings of(Configuration configuration) {
    OptionValues cluster = configuration.cluster();
    return new ClusterSettings(
        cluster.duration(LEASE, DEFAULT_LEASE),
        cluster.duration(HEARTBEAT, DEFAULT_HEARTBEAT),
        configuration.database().integer(POOL_SIZE, DEFAULT_POOL_SIZE));
  }

  /**
   * What the option catalogue cannot check alone: a heartbeat of at least 100 ms and a lease of at
   * least two heartbeats (a node must be able to miss one heartbeat without being declared dead).
   */
  public static final ConfigValidator CHECK = configuration -> {
    ClusterSettings settings = of(configuration);
    if (settings.heartbeat().compareTo(MIN_HEARTBEAT) < 0) {
      throw ConfigException.invalidOption(Configuration.CLUSTER_SECTION, HEARTBEAT,
          configuration.cluster().get(HEARTBEAT).orElse(""), "expected at least 100ms");
    }
    if (settings.lease().compareTo(settings.heartbeat().multipliedBy(2)) < 0) {
      throw ConfigException.invalidOption(Configuration.CLUSTER_SECTION, LEASE,
          configuration.cluster().get(LEASE).orElse(DEFAULT_LEASE.toSeconds() + "s"),
          "expected at least twice the heartbeat (" + settings.heartbeat().toMillis() + " ms)");
    }
  };
}
