package org.opencallback.callback;

import org.opencallback.callback.admission.CustomerNumbers;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.opencallback.config.Configuration;
import org.opencallback.config.OptionScope;
import org.opencallback.config.OptionValues;
import org.opencallback.config.ServiceConfig;
import org.opencallback.domain.Callback;
import org.opencallback.domain.CallbackException;
import org.opencallback.domain.CallbackState;
import org.opencallback.domain.ErrorCode;
import org.opencallback.domain.Times;
import org.opencallback.store.CallbackStore;
import org.opencallback.store.LookupQuery;

/**
 * Query by lookup properties: {@code GET /genesys/1/service/callback[/{svc}]?KEY=VALUE…}. Thread-safe.
 *
 * <p>Besides the lookup keys it takes {@code operand} (AND, OR), {@code _callback_state} (a state, or
 * {@code !STATE}), {@code _scheduled_after} / {@code _scheduled_before} (ISO times, inclusive bounds on
 * the desired time — GMS's own names for these were not recovered) and {@code max}.
 */
public final class CallbackQueries {
  public static final String SCHEDULED_AFTER = "_scheduled_after";
  public static final String SCHEDULED_BEFORE = "_scheduled_before";
  public static final int DEFAULT_MAX = 1000;
  public static final int LIMIT_MAX = 10_000;

  private static final Set<String> CONTROL =
      Set.of("operand", "_callback_state", SCHEDULED_AFTER, SCHEDULED_BEFORE, "max");

  private final Supplier<Configuration> config;
  private final CallbackStore store;
  private final CustomerNumbers numbers;

  public CallbackQueries(Supplier<Configuration> config, CallbackStore store, CustomerNumbers numbers) {
    this.config = config;
    this.store = store;
    this.numbers = numbers;
  }

  /**
   * Runs a lookup.
   *
   * @param serviceName the service of the path, or null for every service
   * @param params the query parameters (first value of each)
   */
  public List<Callback> lookup(String serviceName, Map<String, String> params) {
    Configuration configuration = config.get();
    ServiceConfig service = null;
    Set<String> allowedKeys = new LinkedHashSet<>();
    if (serviceName != null) {
      service =
          configuration
              .service(serviceName)
              .orElseThrow(() -> new CallbackException(
                  ErrorCode.INVALID_PARAMETER, CallbackException.Fault.UNKNOWN_SERVICE,
                  "Callback service '" + serviceName + "' is not configured",
                  Map.of("service", serviceName), Map.of()));
      allowedKeys.addAll(service.lookupKeys());
    } else {
      configuration.services().values().forEach(s -> allowedKeys.addAll(s.lookupKeys()));
      allowedKeys.add("_customer_number");
    }

    Map<String, String> keys = new LinkedHashMap<>();
    for (Map.Entry<String, String> param : params.entrySet()) {
      String name = param.getKey();
      if (CONTROL.contains(name)) {
        continue;
      }
      if (!allowedKeys.contains(name)) {
        throw filterError(name + "=" + param.getValue());
      }
      String value = param.getValue();
      if (name.equals("_customer_number")) {
        // a service-less lookup reads numbers under the callback section's phone options (GMS)
        ServiceConfig numberService = service != null ? service : callbackSection(configuration);
        value = numbers.lookupForm(numberService, value);
      }
      keys.put(name, value);
    }
    if (keys.isEmpty()) {
      throw new CallbackException(
          ErrorCode.INVALID_PARAMETER,
          CallbackException.Fault.INVALID_REQUEST,
          "At least one lookup key is required: one of " + String.join(", ", allowedKeys),
          Map.of("keys", String.join(",", allowedKeys)),
          Map.of());
    }

    String operand = params.getOrDefault("operand", "AND").trim().toUpperCase(Locale.ROOT);
    if (!operand.equals("AND") && !operand.equals("OR")) {
      throw filterError("operand=" + params.get("operand"));
    }
    CallbackState state = null;
    boolean negate = false;
    String stateFilter = params.get("_callback_state");
    if (stateFilter != null && !stateFilter.isBlank()) {
      String text = stateFilter.trim();
      negate = text.startsWith("!");
      state =
          CallbackState.parse(negate ? text.substring(1) : text)
              .orElseThrow(() -> filterError("_callback_state=" + stateFilter));
    }
    Instant after = time(params, SCHEDULED_AFTER);
    Instant before = time(params, SCHEDULED_BEFORE);
    int max = DEFAULT_MAX;
    if (params.containsKey("max")) {
      try {
        max = Integer.parseInt(params.get("max").trim());
      } catch (NumberFormatException e) {
        throw filterError("max=" + params.get("max"));
      }
      if (max < 1 || max > LIMIT_MAX) {
        throw filterError("max=" + params.get("max"));
      }
    }
    return store.lookup(
        new LookupQuery(serviceName, keys, operand.equals("OR"), state, negate, after, before, max));
  }

  /**
   * The {@code callback} section as a service: its phone options ({@code _fix_plus_on_int_phone_numbers},
   * {@code _default_country}, …), else the GMS defaults — never the first service's.
   */
  static ServiceConfig callbackSection(Configuration configuration) {
    return new ServiceConfig("callback",
        new OptionValues("callback", OptionScope.SERVICE, Map.of(), configuration.callback()));
  }

  /** The keys to return for a callback found by a query: GMS's fixed set, lookup keys, returned-keys. */
  public List<String> returnedKeys(String serviceName) {
    Configuration configuration = config.get();
    Set<String> keys = new LinkedHashSet<>();
    Optional<ServiceConfig> service = configuration.service(serviceName);
    service.ifPresent(s -> keys.addAll(s.lookupKeys()));
    keys.addAll(configuration.callback().list("returned-keys"));
    return List.copyOf(keys);
  }

  private static Instant time(Map<String, String> params, String name) {
    String value = params.get(name);
    if (value == null || value.isBlank()) {
      return null;
    }
    return Times.parse(value).orElseThrow(() -> filterError(name + "=" + value));
  }

  static CallbackException filterError(String filter) {
    return new CallbackException(
        ErrorCode.INVALID_OPERATION,
        CallbackException.Fault.NOT_ALLOWED,
        "Cannot process 'filter' parameter correctly : " + filter,
        Map.of("filter", filter),
        Map.of());
  }
}
