package org.opencallback.callback.admission;


import static org.opencallback.callback.admission.Requests.isBlank;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.opencallback.config.ServiceConfig;
import org.opencallback.domain.CallbackException;
import org.opencallback.domain.ErrorCode;
import org.opencallback.domain.Times;

/**
 * When a callback is due and when it expires, and whether a desired time is immediate
 * (docs/calendars.md, "Immediate vs scheduled"): shared by start and reschedule. Thread-safe.
 */
public final class Timing {
  private final EwtEstimator ewt;

  public Timing(EwtEstimator ewt) {
    this.ewt = ewt;
  }

  /**
   * When a callback expires: {@code _ttl} after its desired time, or after now when the desired
   * time is already past (a callback asked for the past is due now, and kept {@code _ttl} from now).
   */
  public static Instant expiration(ServiceConfig service, Instant desired, Instant now) {
    return (desired.isBefore(now) ? now : desired).plusSeconds(service.ttlSeconds());
  }

  /** The immediate-versus-scheduled rule: desired &lt; now + buffer + EWT. */
  public boolean isImmediate(ServiceConfig service, Map<String, Object> request, Instant desired, Instant now) {
    Duration lead = Duration.ofSeconds(service.executionBufferSeconds()).plus(ewt.ewt(service, request));
    return desired.isBefore(now.plus(lead));
  }

  /** When a scheduled callback is handed to its engine: desired − buffer − EWT. */
  public Instant dueTime(ServiceConfig service, Map<String, Object> request, Instant desired) {
    return desired
        .minusSeconds(service.executionBufferSeconds())
        .minus(ewt.ewt(service, request));
  }

  /** A desired time parameter: empty when blank, 40010 when not an ISO-8601 UTC time. */
  public static Optional<Instant> desiredTime(Object value, String name) {
    if (isBlank(value)) {
      return Optional.empty();
    }
    String text = String.valueOf(value);
    Optional<Instant> parsed = Times.parse(text);
    if (parsed.isEmpty()) {
      throw new CallbackException(
          ErrorCode.INVALID_PARAMETER,
          CallbackException.Fault.INVALID_REQUEST,
          "Invalid " + name + " '" + text + "': expected an ISO-8601 UTC time such as 2026-01-31T14:30:00.000Z",
          Map.of("parameter", name, "value", text),
          Map.of());
    }
    return parsed;
  }
}
