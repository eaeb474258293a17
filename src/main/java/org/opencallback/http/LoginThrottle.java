package org.opencallback.http;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.TimeMeter;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Failed logins per client, a Bucket4j token bucket per key: {@link #MAX_FAILURES} failures, all
 * given back {@link #WINDOW} after the bucket's first use (and each window after). An IPv4 address
 * is its own key; an IPv6 address counts for its whole /64 (one host holds a /64 and can rotate
 * through it at will).
 *
 * <p>A check in progress counts as a failure until it succeeds ({@link #begin} takes a token, {@link
 * #succeeded} gives it back): a burst of concurrent guesses gets {@link #MAX_FAILURES} password
 * checks in all. Thread-safe. Bound: at most {@link #MAX_TRACKED} keys in a Caffeine cache, each
 * dropped {@link #IDLE} after its last use (by then its bucket would be full again); under a flood
 * of more keys than that the least recently used are dropped first.
 */
final class LoginThrottle {
  static final int MAX_FAILURES = 10;
  static final Duration WINDOW = Duration.ofMinutes(1);
  static final int MAX_TRACKED = 100_000;
  private static final Duration IDLE = WINDOW.multipliedBy(2);
  private static final Pattern IP_LITERAL = Pattern.compile("[0-9A-Fa-f:.]+(%[A-Za-z0-9._-]+)?");

  private final TimeMeter time;
  private final Cache<String, Bucket> buckets;

  LoginThrottle(Clock clock) {
    this.time = new TimeMeter() {
      @Override
      public long currentTimeNanos() {
        Instant now = clock.instant();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
      }

      @Override
      public boolean isWallClockBased() {
        return true;
      }
    };
    Ticker ticker = time::currentTimeNanos;
    this.buckets = Caffeine.newBuilder().maximumSize(MAX_TRACKED).expireAfterAccess(IDLE).ticker(ticker).build();
  }

  /** How long the client must wait, or {@link Duration#ZERO} when it may try now. Creates nothing. */
  Duration waitFor(String address) {
    Bucket bucket = buckets.getIfPresent(key(address));
    if (bucket == null || bucket.getAvailableTokens() > 0) {
      return Duration.ZERO;
    }
    long nanos = bucket.estimateAbilityToConsume(1).getNanosToWaitForRefill();
    return nanos <= 0 ? Duration.ofSeconds(1) : Duration.ofNanos(nanos);
  }

  /**
   * Reserves one attempt for the client, counted as a failure unless {@link #succeeded} gives it back.
   *
   * @return false when the client must wait
   */
  boolean begin(String address) {
    return buckets.get(key(address), k -> newBucket()).tryConsume(1);
  }

  /** The attempt {@link #begin} reserved succeeded: it is no failure. */
  void succeeded(String address) {
    Bucket bucket = buckets.getIfPresent(key(address));
    if (bucket != null) {
      bucket.addTokens(1);
    }
  }

  private Bucket newBucket() {
    return Bucket.builder()
        .addLimit(limit -> limit.capacity(MAX_FAILURES).refillIntervally(MAX_FAILURES, WINDOW))
        .withCustomTimePrecision(time)
        .build();
  }

  /** The throttle's key of a client address: IPv4 as is, IPv6 its /64 prefix. Never a DNS lookup. */
  static String key(String address) {
    if (address == null || !IP_LITERAL.matcher(address).matches() || address.indexOf(':') < 0) {
      return String.valueOf(address);
    }
    try {
      InetAddress parsed = InetAddress.getByName(address); // a literal: parsed, not resolved
      if (parsed instanceof Inet6Address) {
        byte[] prefix = java.util.Arrays.copyOf(parsed.getAddress(), 8);
        return HexFormat.of().formatHex(prefix) + "::/64";
      }
      return parsed.getHostAddress(); // an IPv4-mapped IPv6 address is the IPv4 address
    } catch (UnknownHostException e) {
      return address;
    }
  }
}
