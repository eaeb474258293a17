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
 * Thread-safe; memory is bounded by forgetting addresses whose failures all left the window.
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
      if (times.size() < MAX_FAILURES) {
        return Duration.ZERO;
      }
      Duration wait = Duration.between(now, times.peekFirst().plus(WINDOW));
      return wait.isNegative() || wait.isZero() ? Duration.ofSeconds(1) : wait;
    }
  }

  void failed(String address) {
    Instant now = clock.instant();
    if (failures.size() > MAX_TRACKED) {
      failures.entrySet().removeIf(entry -> {
        synchronized (entry.getValue()) {
          expire(entry.getValue(), now);
          return entry.getValue().isEmpty();
        }
      });
    }
    Deque<Instant> times = failures.computeIfAbsent(address, a -> new ArrayDeque<>());
    synchronized (times) {
      expire(times, now);
      times.addLast(now);
      while (times.size() > MAX_FAILURES) {
        times.removeFirst();
      }
    }
  }

  private static void expire(Deque<Instant> times, Instant now) {
    Instant since = now.minus(WINDOW);
    while (!times.isEmpty() && !times.peekFirst().isAfter(since)) {
      times.removeFirst();
    }
  }
}
