package org.opencallback.engine.builtin;

import java.time.Duration;
import java.util.List;
import org.opencallback.config.OptionValues;
import org.opencallback.config.ServiceConfig;

/**
 * How one callback runs, read from its service's options as they apply to it when it reaches the
 * engine ({@code engine.CallbackOptions}: tokens filled, and the request's own virtual queue and
 * priority only where {@code _overwritable_options} allowed them at admission). A request key that
 * was not allowed is user data here, never an option.
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

  static Scenario of(ServiceConfig service) {
    OptionValues options = service.options();
    return new Scenario(
        queueName(service),
        options.bool("_wait_for_agent", true),
        options.integer("_urs_vq_priority", 0),
        options.integer("_urs_vq_priority_increment", 0),
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
   * The virtual queue: {@code _urs_virtual_queue} as it applies to the callback; the template
   * placeholder ({@code {…}}) or nothing means a queue of the service's own, named after it.
   */
  static String queueName(ServiceConfig service) {
    String name = service.options().get(VIRTUAL_QUEUE).map(String::trim).orElse("");
    return name.isEmpty() || name.startsWith("{") ? service.name() : name;
  }

  /** The keys shown in a preview; null when {@code _agent_preview_data} is not set: all user data. */
  private static List<String> previewData(OptionValues options) {
    boolean set = options.own().containsKey("_agent_preview_data")
        || (options.parent() != null && options.parent().own().containsKey("_agent_preview_data"));
    return set ? options.list("_agent_preview_data") : null;
  }

  /** A time option: seconds, or a duration such as {@code 100ms} (handy in tests); never negative. */
  private static Duration time(OptionValues options, String name, Duration fallback) {
    Duration value = options.duration(name, fallback);
    return value.isNegative() ? fallback : value;
  }
}
