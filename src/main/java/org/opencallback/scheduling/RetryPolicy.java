package org.opencallback.scheduling;

import java.time.Duration;

/**
 * Exponential back-off between the attempts of a hand-off or a delivery: {@code base}, then twice
 * as long after each failure, never more than {@code cap}.
 *
 * @param base the delay after the first failed attempt ({@code [callback] _submit_retry_delay})
 * @param cap the longest delay
 */
public record RetryPolicy(Duration base, Duration cap) {
  /** The default: 1 s, 2 s, 4 s … up to one minute. */
  public static final RetryPolicy DEFAULT = new RetryPolicy(Duration.ofSeconds(1), Duration.ofMinutes(1));

  public RetryPolicy {
    if (base.isNegative() || cap.isNegative()) {
      throw new IllegalArgumentException("negative retry delay");
    }
  }

  /** The delay after {@code failed} attempts failed (1 for the first). */
  public Duration delayAfter(int failed) {
    Duration delay = base;
    for (int i = 1; i < failed && delay.compareTo(cap) < 0; i++) {
      delay = delay.multipliedBy(2);
    }
    return delay.compareTo(cap) > 0 ? cap : delay;
  }
}
