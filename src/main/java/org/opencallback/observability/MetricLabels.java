package org.opencallback.observability;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.opencallback.config.Configuration;
import org.opencallback.config.ServiceConfig;
import org.opencallback.domain.CompletionReason;

/**
 * Metric label values that come from request data, bounded (issue 15): a label is one of a set the
 * configuration or the code fixes, else one catch-all value. So 1,000 client-chosen reasons or queue
 * names make one series, not 1,000. Stateless and thread-safe.
 */
public final class MetricLabels {
  /** The label of a completion reason outside {@link CompletionReason} (the value itself is stored as given). */
  public static final String OTHER_REASON = "OTHER";
  /** The label of a virtual queue no service configures (a request's own {@code _urs_virtual_queue}). */
  public static final String OTHER_QUEUE = "other";
  /** The label of a service that is not configured. */
  public static final String UNKNOWN_SERVICE = "unknown";
  /** {@code AGENT_PREVIEW_CANCEL_AFTER_<n>REJECTS} with n below 100 (the only open-ended known reason). */
  private static final Pattern AFTER_REJECTS = Pattern.compile("AGENT_PREVIEW_CANCEL_AFTER_[1-9]?[0-9]REJECTS");
  private static final Set<String> REASONS =
      Stream.of(CompletionReason.values()).map(Enum::name).collect(Collectors.toUnmodifiableSet());

  private MetricLabels() {}

  /** A completion reason as a label: a known reason, {@code ""} for none, else {@value #OTHER_REASON}. */
  public static String reason(String reason) {
    if (reason == null || reason.isEmpty()) {
      return "";
    }
    return REASONS.contains(reason) || AFTER_REJECTS.matcher(reason).matches() ? reason : OTHER_REASON;
  }

  /** A service as a label: a configured service, else {@value #UNKNOWN_SERVICE}. */
  public static String service(Configuration configuration, String service) {
    return service != null && configuration.service(service).isPresent() ? service : UNKNOWN_SERVICE;
  }

  /**
   * A virtual queue as a label: one a service configures ({@code _urs_virtual_queue}, or the service's
   * own queue, named after it), else {@value #OTHER_QUEUE}.
   */
  public static String queue(Configuration configuration, String queue) {
    for (ServiceConfig service : configuration.services().values()) {
      String configured = service.options().get("_urs_virtual_queue").map(String::trim).orElse("");
      if (queue.equals(service.name()) || queue.equals(configured)) {
        return queue;
      }
    }
    return OTHER_QUEUE;
  }

  /** Queue sizes by label: the sizes of queues no service configures are added up under {@value #OTHER_QUEUE}. */
  public static Map<String, Integer> queueSizes(Configuration configuration, Map<String, Integer> sizes) {
    Map<String, Integer> bounded = new TreeMap<>();
    sizes.forEach((queue, size) -> bounded.merge(queue(configuration, queue), size, Integer::sum));
    return bounded;
  }
}
