package org.opencallback.engine.builtin;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.opencallback.config.OptionValues;
import org.opencallback.config.ServiceConfig;

/**
 * How one callback runs, read from its service's options when it reaches the engine (and, for the
 * queue and its priority, from the request's own properties first, as GMS lets a request choose its
 * virtual queue).
 */
record Scenario(
    String queue,
    boolean waitForAgent,
    int priority,
    int priorityIncrement,
    Duration priorityInterval,
    Duration queuedTtl,
    Duration maxWaitOnCall,
    int maxDialAttempts,
    Duration dialRetry,
    boolean preview,
    Duration previewTimeout,
    int allowReject,
    Duration rejectRetry,
    boolean previewTimeoutSetsNotReady,
    String notReadyReason,
    List<String> previewData,
    boolean disposition,
    Duration dispositionTimeout) {

  static final String VIRTUAL_QUEUE = "_urs_virtual_queue";

  static Scenario of(ServiceConfig service, Map<String, Object> properties) {
    OptionValues options = service.options();
    return new Scenario(
        queueName(service, properties),
        options.bool("_wait_for_agent", true),
        integer(properties, options, "_urs_vq_priority", 0),
        integer(properties, options, "_urs_vq_priority_increment", 0),
        time(options, "_urs_vq_priority_increment_interval", Duration.ZERO),
        time(options, "_urs_queued_ttl", Duration.ofSeconds(14400)),
        time(options, "_max_time_to_wait_for_agent_on_the_call", Duration.ofSeconds(3600)),
        Math.max(1, options.integer("_max_dial_attempts", 3)),
        time(options, "_dial_retry_timeout", Duration.ofSeconds(300)),
        options.bool("_agent_preview", false),
        time(options, "_agent_preview_timeout", Duration.ofSeconds(30)),
        Math.max(0, options.integer("_agent_preview_allow_reject", 0)),
        time(options, "_agent_reject_retry_timeout", Duration.ZERO),
        options.bool("_agent_preview_timeout_set_notready", false),
        options.get("_agent_preview_set_notready_reason").filter(v -> !v.isBlank()).orElse(null),
        previewData(options),
        options.bool("_enable_disposition_dialog", false),
        time(options, "_agent_disposition_timeout", Duration.ofSeconds(45)));
  }

  /**
   * The virtual queue: the request's {@code _urs_virtual_queue}, else the service's; the template
   * placeholder ({@code {…}}) or nothing means a queue of the service's own, named after it.
   */
  static String queueName(ServiceConfig service, Map<String, Object> properties) {
    Object requested = properties.get(VIRTUAL_QUEUE);
    String name = requested == null ? null : String.valueOf(requested).trim();
    if (name == null || name.isEmpty() || name.startsWith("{")) {
      name = service.options().get(VIRTUAL_QUEUE).map(String::trim).orElse("");
    }
    return name.isEmpty() || name.startsWith("{") ? service.name() : name;
  }

  /** The keys shown in a preview; null when {@code _agent_preview_data} is not set: all user data. */
  private static List<String> previewData(OptionValues options) {
    boolean set = options.own().containsKey("_agent_preview_data")
        || (options.parent() != null && options.parent().own().containsKey("_agent_preview_data"));
    return set ? options.list("_agent_preview_data") : null;
  }

  private static int integer(Map<String, Object> properties, OptionValues options, String name, int fallback) {
    Object own = properties.get(name);
    if (own != null) {
      try {
        return Integer.parseInt(String.valueOf(own).trim());
      } catch (NumberFormatException e) {
        // not a number: the service's value applies
      }
    }
    return options.integer(name, fallback);
  }

  /** A time option: seconds, or a duration such as {@code 100ms} (handy in tests); never negative. */
  private static Duration time(OptionValues options, String name, Duration fallback) {
    Duration value = options.duration(name, fallback);
    return value.isNegative() ? fallback : value;
  }
}
