package org.opencallback.callback.admission;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.opencallback.config.Configuration;
import org.opencallback.config.OptionCatalog;
import org.opencallback.config.OptionScope;
import org.opencallback.config.OptionSpec;
import org.opencallback.config.ServiceConfig;
import org.opencallback.domain.CallbackException;
import org.opencallback.domain.CallbackState;
import org.opencallback.domain.ErrorCode;
import org.opencallback.store.AdmissionGuard;
import org.opencallback.store.AdmissionQuery;

/**
 * The limits a start request is checked against inside the storing transaction, in this order:
 * duplicates (40001), queued limit (40002), per-service rate limits (40003), per-parameter daily
 * limit (40004). Stateless; every count comes from the store.
 */
public final class QueueRules {
  private static final long DAY_MILLIS = 86_400_000L;

  private QueueRules() {}

  /**
   * The guard for one request.
   *
   * @param customerNumber the normalised number, or null
   * @param immediate whether the request was judged immediate (throttles and the queued limit apply
   *     only then)
   * @param throttled the values of the throttled parameters, as the request gave them
   */
  static AdmissionGuard guard(
      Configuration configuration,
      ServiceConfig service,
      String customerNumber,
      boolean immediate,
      Map<String, String> throttled,
      Instant now) {
    return query -> {
      duplicates(service, customerNumber, query);
      if (!immediate) {
        return List.of();
      }
      queuedLimit(configuration, service, query);
      rateLimits(service, query, now);
      return parameterLimit(service, throttled, query, now);
    };
  }

  /**
   * The guard of a reschedule: a callback rescheduled into the queue (immediate) takes a queue
   * place, so the queued limit applies; the rate and daily limits count new requests only.
   */
  public static void reschedule(Configuration configuration, ServiceConfig service, boolean immediate, AdmissionQuery query) {
    if (immediate) {
      queuedLimit(configuration, service, query);
    }
  }

  private static void duplicates(ServiceConfig service, String number, AdmissionQuery query) {
    String mode = service.options().get("_enable_in_queue_checking").orElse("true").trim().toLowerCase(Locale.ROOT);
    int max = mode.equals("strict") ? 1 : mode.equals("true") ? 2 : 0;
    if (max == 0 || number == null) {
      return;
    }
    if (query.activeForNumber(service.name(), number) >= max) {
      throw new CallbackException(
          ErrorCode.DUPLICATE_IN_QUEUE,
          CallbackException.Fault.NOT_ALLOWED,
          "There is already " + max + " or more Callbacks QUEUED for this number, please refer to"
              + " _enable_in_queue_checking for detail.",
          Map.of("max_queued", max),
          Map.of());
    }
  }

  private static void queuedLimit(Configuration configuration, ServiceConfig service, AdmissionQuery query) {
    Optional<Integer> limit = service.options().own().containsKey("_max_queued_callbacks_per_service")
        ? parse(service.options().own().get("_max_queued_callbacks_per_service"))
        : configuration.callback().get("max_queued_callbacks_per_service").flatMap(QueueRules::parse);
    if (limit.isEmpty() || limit.get() < 0) {
      return;
    }
    if (limit.get() == 0 || query.inState(service.name(), CallbackState.QUEUED, limit.get()) >= limit.get()) {
      throw new CallbackException(
          ErrorCode.QUEUE_LIMIT_REACHED,
          CallbackException.Fault.LIMIT_REACHED,
          "Limit of queued callbacks for " + service.name() + " is reached.",
          Map.of("service", service.name(), "limit", limit.get()),
          Map.of());
    }
  }

  private static void rateLimits(ServiceConfig service, AdmissionQuery query, Instant now) {
    for (int which = 1; which <= 2; which++) {
      int limit = throttleOption(service, "_throttle_callbacks_per_service_" + which);
      int ttl = throttleOption(service, "_throttle_ttl_" + which);
      if (ttl == 0) {
        continue;
      }
      if (limit == 0 || query.immediateSince(service.name(), now.minus(Duration.ofSeconds(ttl))) >= limit) {
        throw new CallbackException(
            ErrorCode.SERVICE_THROTTLED,
            CallbackException.Fault.LIMIT_REACHED,
            "Limit of queued callbacks for " + service.name() + " is reached for interval " + ttl + "s.",
            Map.of("service", service.name(), "interval", ttl, "limit", limit),
            Map.of());
      }
    }
  }

  private static List<AdmissionGuard.ParameterValue> parameterLimit(
      ServiceConfig service, Map<String, String> throttled, AdmissionQuery query, Instant now) {
    if (throttled.isEmpty()) {
      return List.of();
    }
    int limit = service.options().own().containsKey("_throttle_request_parameters_limit")
            || !service.options().own().containsKey("_throttle_customer_number_limit")
        ? throttleOption(service, "_throttle_request_parameters_limit")
        : throttleOption(service, "_throttle_customer_number_limit");
    Instant day = Instant.ofEpochMilli(Math.floorDiv(now.toEpochMilli(), DAY_MILLIS) * DAY_MILLIS);
    List<AdmissionGuard.ParameterValue> counted = new ArrayList<>();
    for (Map.Entry<String, String> parameter : throttled.entrySet()) {
      int attempts = query.parameterCount(service.name(), parameter.getKey(), parameter.getValue(), day);
      if (attempts >= limit) {
        throw new CallbackException(
            ErrorCode.PARAMETER_THROTTLED,
            CallbackException.Fault.LIMIT_REACHED,
            "Limit of queued callbacks for " + service.name() + " is reached for parameter "
                + parameter.getKey() + ". Reached " + attempts + " times today.",
            Map.of("service", service.name(), "parameter", parameter.getKey(), "attempts", attempts, "limit", limit),
            Map.of());
      }
      counted.add(new AdmissionGuard.ParameterValue(parameter.getKey(), parameter.getValue()));
    }
    return counted;
  }

  /**
   * A throttle option: the service's value, else the callback section's, else the default; a
   * negative value at either level means the default.
   */
  static int throttleOption(ServiceConfig service, String name) {
    int fallback = OptionCatalog.find(OptionScope.SERVICE, name)
        .or(() -> OptionCatalog.find(OptionScope.CALLBACK, name))
        .map(OptionSpec::defaultValue)
        .flatMap(QueueRules::parse)
        .orElse(0);
    int value = service.options().integer(name, fallback);
    return value < 0 ? fallback : value;
  }

  private static Optional<Integer> parse(String value) {
    try {
      return Optional.of(Integer.parseInt(value.trim()));
    } catch (NumberFormatException | NullPointerException e) {
      return Optional.empty();
    }
  }
}
