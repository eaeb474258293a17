package org.opencallback.callback.admission;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Map;
import java.util.Optional;
import org.opencallback.config.ServiceConfig;
import org.opencallback.domain.CallbackException;
import org.opencallback.domain.ErrorCode;
import org.opencallback.domain.Times;

/**
 * How far ahead and how far back a desired time may lie: {@code _reject_future_desired_time}
 * ({@code 1M}: one month; units y, M, w, d, h, m) and {@code _reject_past_desired_time} (seconds;
 * unset: no limit). A time outside is refused with 40050.
 */
public final class DesiredTimeRules {
  private DesiredTimeRules() {}

  public static void check(ServiceConfig service, Instant desired, Instant now) {
    Optional<String> future = service.options().get("_reject_future_desired_time");
    if (future.isPresent() && !future.get().isBlank()) {
      Instant latest = plus(now, future.get().trim());
      if (latest != null && desired.isAfter(latest)) {
        throw refused(
            "Desired time " + Times.format(desired) + " is too far in the future: the latest allowed is "
                + Times.format(latest) + " (option _reject_future_desired_time=" + future.get().trim() + ")",
            "_reject_future_desired_time", desired);
      }
    }
    Optional<String> past = service.options().get("_reject_past_desired_time");
    if (past.isPresent() && !past.get().isBlank()) {
      try {
        long seconds = Long.parseLong(past.get().trim());
        if (seconds >= 0 && desired.isBefore(now.minusSeconds(seconds))) {
          throw refused(
              "Desired time " + Times.format(desired) + " is too far in the past (option"
                  + " _reject_past_desired_time=" + seconds + ")",
              "_reject_past_desired_time", desired);
        }
      } catch (NumberFormatException e) {
        // validated at load time; a token that filled in garbage is ignored
      }
    }
  }

  /** now + {@code <n><unit>}, or null when the text is not such a period. */
  static Instant plus(Instant now, String period) {
    if (period.length() < 2) {
      return null;
    }
    long amount;
    try {
      amount = Long.parseLong(period.substring(0, period.length() - 1));
    } catch (NumberFormatException e) {
      return null;
    }
    ZonedDateTime utc = now.atZone(ZoneOffset.UTC);
    switch (period.charAt(period.length() - 1)) {
      case 'y':
        return utc.plusYears(amount).toInstant();
      case 'M':
        return utc.plusMonths(amount).toInstant();
      case 'w':
        return utc.plusWeeks(amount).toInstant();
      case 'd':
        return utc.plusDays(amount).toInstant();
      case 'h':
        return utc.plusHours(amount).toInstant();
      case 'm':
        return utc.plusMinutes(amount).toInstant();
      default:
        return null;
    }
  }

  private static CallbackException refused(String message, String option, Instant desired) {
    return new CallbackException(
        ErrorCode.TIME_NOT_AVAILABLE,
        CallbackException.Fault.TIME_NOT_AVAILABLE,
        message,
        Map.of("option", option, "_desired_time", Times.format(desired)),
        Map.of());
  }
}
