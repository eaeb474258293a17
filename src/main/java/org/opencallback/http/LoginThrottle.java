package org.opencallback.http;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Failed logins per client address in a sliding window: after {@link #MAX_FAILURES} failures within
 * {@link #WINDOW}, that address is refused (429) until the oldest failure leaves the window.
 *
 * <p>A check in progress counts as a failure until it succeeds ({@link #begin} / {@link #succeeded}):
 * a burst of concurrent guesses gets {@link #MAX_FAILURES} password checks in all, not one per request
 * that arrived before the first failure was recorded. Thread-safe; memory is bounded by forgetting
 * addresses whose failures all left the window.
 */
final class LoginThrottle {
  static final int MAX_FAILURES = 10;
  static final Duration WINDOW = Duration.ofMinutes(1);
  /** Above this many addresses tracked, those with no failure in the window are forgotten. */
  private static final int MAX_TRACKED = 10_000;

  private final Clock clock;
  private final Map<String, Deque<Instant>> failures = new ConcurrentHashMap<>();

  LoginThrottle(Clock clock) {
    this.clock = clock;
  }

  /** How long the address must wait, or {@link Duration#ZERO} when it may try now. */
  Duration waitFor(String address) {
    Deque<Instant> times = failures.get(address);
    if (times == null) {
      return Duration.ZERO;
    }
    Instant now = clock.instant();
    synchronized (times) {
      expire(times, now);
      return times.size() < MAX_FAILURES ? Duration.ZERO : wait(times, now);
    }
  }

  /**
   * Reserves one attempt for the address, counted as a failure from now on unless {@link #succeeded}
   * takes it back.
   *
   * @return the attempt's token for {@link #succeeded}, or null when the address must wait
   */
  Instant begin(String address) {
    Instant now = clock.instant();
    forgetIdle(now);
    Deque<Instant> times = failures.computeIfAbsent(address, a -> new ArrayDeque<>());
    synchronized (times) {
      expire(times, now);
      if (times.size() >= MAX_FAILURES) {
        return null;
      }
      times.addLast(now);
      return now;
    }
  }

  /** The attempt {@link #begin} returned succeeded: it is no failure. */
  void succeeded(String address, Instant attempt) {
    Deque<Instant> times = failures.get(address);
    if (times != null) {
      synchronized (times) {
        times.removeLastOccurrence(attempt);
      }
    }
  }

  private void forgetIdle(Instant now) {
    if (failures.size() > MAX_TRACKED) {
      failures.entrySet().removeIf(entry -> {
        synchronized (entry.getValue()) {
          expire(entry.getValue(), now);
          return entry.getValue().isEmpty();
        }
      });
    }
  }

  private static Duration wait(Deque<Instant> times, Instant now) {
    Duration wait = Duration.between(now, times.peekFirst().plus(WINDOW));
    return wait.isNegative() || wait.isZero() ? Duration.ofSeconds(1) : wait;
  }

  private static void expire(Deque<Instant> times, Instant now) {
    Instant since = now.minus(WINDOW);
    while (!times.isEmpty() && !times.peekFirst().isAfter(since)) {
      times.removeFirst();
    }
  }
}
