package org.opencallback.callback.admission;

import java.util.Map;
import java.util.Set;
import org.opencallback.config.Configuration;
import org.opencallback.config.ServiceConfig;
import org.opencallback.domain.CallbackException;
import org.opencallback.domain.ErrorCode;

/** What every callback request shares: the server's own keys, length limits, the named service. */
public final class Requests {
  /** Keys the server owns: never stored as given, always computed. */
  public static final Set<String> SYSTEM_KEYS =
      Set.of(
          "_id", "_service_name", "_callback_state", "_callback_reason", "_reason",
          "_desired_time", "_new_desired_time", "_expiration_time", "_time_scheduled", "_url",
          "_customer_number");
  /** Longest customer number accepted (the store keeps up to 128). */
  public static final int MAX_NUMBER_LENGTH = 64;
  /** Longest completion reason accepted (the store keeps up to 64). */
  public static final int MAX_REASON_LENGTH = 64;

  private Requests() {}

  /** The service's configuration, or 404 / 40010 when no such callback service is configured. */
  public static ServiceConfig service(Configuration configuration, String name) {
    return configuration
        .service(name)
        .orElseThrow(
            () ->
                new CallbackException(
                    ErrorCode.INVALID_PARAMETER,
                    CallbackException.Fault.UNKNOWN_SERVICE,
                    "Callback service '" + name + "' is not configured",
                    Map.of("service", name),
                    Map.of()));
  }

  public static boolean isBlank(Object value) {
    return value == null || String.valueOf(value).isBlank();
  }
}
