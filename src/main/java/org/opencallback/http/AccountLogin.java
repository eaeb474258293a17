package org.opencallback.http;

import at.favre.lib.crypto.bcrypt.BCrypt;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.javalin.http.Context;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.opencallback.config.Account;
import org.opencallback.config.Configuration;
import org.opencallback.domain.CallbackException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks a user name and password against the {@code users} section, for HTTP Basic and the UI's
 * login form alike, under the login throttle ({@link LoginThrottle}) and a cap on concurrent bcrypt
 * checks: at most {@code [server] max-concurrent-password-checks} run at once; a check that finds
 * them all busy for {@link #PERMIT_WAIT} is refused with 503 before any bcrypt work, so a flood of
 * logins cannot take every CPU. A successful check is remembered for {@link #CACHE_TIME} under a
 * SHA-256 of user, password and hash (at most {@link #CACHE_MAX} entries, Caffeine). No password or
 * hash is ever logged. Thread-safe.
 */
final class AccountLogin {
  private static final Logger LOG = LoggerFactory.getLogger(Authentication.class);
  static final Duration CACHE_TIME = Duration.ofSeconds(60);
  static final int CACHE_MAX = 1_000;
  static final Duration PERMIT_WAIT = Duration.ofSeconds(1);
  static final int DEFAULT_MAX_CHECKS = 4;
  /** Headers a reverse proxy adds: with any of them a loopback peer is not this machine's user. */
  private static final List<String> FORWARDED = List.of("Forwarded", "X-Forwarded-For", "X-Real-IP");

  private final Supplier<Configuration> config;
  private final LoginThrottle throttle;
  private final Semaphore bcryptPermits;
  private final int maxChecks;
  private final Cache<String, Boolean> verified;
  private final LoginMetrics metrics;
  private final Counter hashChecks;

  AccountLogin(Supplier<Configuration> config, Clock clock, MeterRegistry registry, LoginMetrics metrics) {
    this.config = config;
    this.throttle = new LoginThrottle(clock);
    this.maxChecks = Math.max(1, config.get().server().integer("max-concurrent-password-checks", DEFAULT_MAX_CHECKS));
    this.bcryptPermits = new Semaphore(maxChecks);
    this.metrics = metrics;
    this.verified = Caffeine.newBuilder().maximumSize(CACHE_MAX).expireAfterWrite(CACHE_TIME)
        .ticker(() -> clock.millis() * 1_000_000L).build();
    this.hashChecks = Counter.builder(Authentication.HASH_CHECKS)
        .description("bcrypt verifications of users' passwords (the expensive part of a login)")
        .register(registry);
  }

  LoginThrottle throttle() {
    return throttle;
  }

  /** Refuses (429) a client whose failures used up its allowance, before its credentials are read. */
  void refuseIfThrottled(Context ctx, String realm) {
    Duration wait = throttle.waitFor(ctx.ip());
    if (!wait.isZero()) {
      throw throttled(ctx, realm, wait);
    }
  }

  /**
   * The account these credentials open.
   *
   * @throws CallbackException 401 for a wrong user or password, 429 when throttled, 503 when too many
   *     password checks run
   */
  Account check(Context ctx, Credentials given, String realm, Runnable challenge) {
    Map<String, Account> accounts = config.get().accounts();
    Account account = given.isMalformed() ? null : accounts.get(given.user());
    String key = account == null ? null
        : sha256(given.user() + '\u0000' + given.password() + '\u0000' + account.passwordHash());
    if (key != null && verified.getIfPresent(key) != null && fromAllowedPlace(ctx, account)) {
      metrics.outcome(realm, "accepted");
      return account;
    }
    begin(ctx, realm);
    boolean ok;
    if (!bcryptPermit(ctx, realm)) {
      throttle.succeeded(ctx.ip()); // not a failure: nothing was checked
      throw busy(ctx, realm);
    }
    try {
      ok = account == null ? refuseUnknownUser(given, accounts) : bcrypt(given, account.passwordHash());
    } finally {
      bcryptPermits.release();
    }
    if (!ok || !fromAllowedPlace(ctx, account)) {
      if (key != null) {
        verified.invalidate(key);
      }
      metrics.outcome(realm, "refused");
      LOG.warn("{} login refused for user '{}' from {}", realm.equals(Authentication.ADMIN) ? "Admin" : "UI",
          Authentication.printable(given.user()), ctx.ip());
      challenge.run();
      throw Authentication.unauthorized("Invalid user name or password");
    }
    throttle.succeeded(ctx.ip());
    verified.put(key, Boolean.TRUE);
    metrics.outcome(realm, "accepted");
    return account;
  }

  /**
   * Checks a password against one bcrypt hash that is not an account's (the engine's credentials):
   * throttled, capped and cached like an account login.
   *
   * @throws CallbackException 401 for a wrong password, 429 when throttled, 503 when too many checks run
   */
  void checkHash(Context ctx, Credentials given, String hash, String realm, Runnable challenge) {
    String key = sha256(realm + '\u0000' + given.user() + '\u0000' + given.password() + '\u0000' + hash);
    if (verified.getIfPresent(key) != null) {
      metrics.outcome(realm, "accepted");
      return;
    }
    begin(ctx, realm);
    if (!bcryptPermit(ctx, realm)) {
      throttle.succeeded(ctx.ip()); // not a failure: nothing was checked
      throw busy(ctx, realm);
    }
    boolean ok;
    try {
      ok = bcrypt(given, hash);
    } finally {
      bcryptPermits.release();
    }
    if (!ok) {
      verified.invalidate(key);
      metrics.outcome(realm, "refused");
      LOG.warn("{} login refused for user '{}' from {}", realm, Authentication.printable(given.user()), ctx.ip());
      challenge.run();
      throw Authentication.unauthorized("Invalid user name or password");
    }
    throttle.succeeded(ctx.ip());
    verified.put(key, Boolean.TRUE);
    metrics.outcome(realm, "accepted");
  }

  /** Reserves one attempt of the client's allowance before a password is checked, or refuses (429). */
  void begin(Context ctx, String realm) {
    if (!throttle.begin(ctx.ip())) {
      Duration wait = throttle.waitFor(ctx.ip());
      throw throttled(ctx, realm, wait.isZero() ? Duration.ofSeconds(1) : wait);
    }
  }

  /** A loopback-only account (the demo) works from this machine only, never through a proxy. */
  static boolean fromAllowedPlace(Context ctx, Account account) {
    if (!account.loopbackOnly()) {
      return true;
    }
    for (String header : FORWARDED) {
      if (ctx.header(header) != null) {
        return false;
      }
    }
    String peer = ctx.req().getRemoteAddr();
    try {
      return peer != null && InetAddress.getByName(peer).isLoopbackAddress(); // a literal: no lookup
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private boolean bcryptPermit(Context ctx, String realm) {
    try {
      return bcryptPermits.tryAcquire(PERMIT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private CallbackException busy(Context ctx, String realm) {
    metrics.outcome(realm, "busy");
    ctx.header("Retry-After", "1");
    return ErrorBodies.forStatus(503, "Too many logins at once (" + maxChecks
        + " password checks running, [server] max-concurrent-password-checks): try again in 1 s");
  }

  CallbackException throttled(Context ctx, String realm, Duration wait) {
    metrics.outcome(realm, "throttled");
    long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
    ctx.header("Retry-After", String.valueOf(seconds));
    return new HttpRefusal(429,
        org.opencallback.domain.ErrorCode.INVALID_PARAMETER,
        "Too many failed logins from " + ctx.ip() + ". Try again in " + seconds + " s.",
        Map.of("retry-after", seconds));
  }

  /**
   * A user name the users section does not know is refused after the same bcrypt work as a known one
   * (against another user's hash, the result ignored), so that answer times do not tell which names
   * exist. Always false: the login fails.
   */
  private boolean refuseUnknownUser(Credentials credentials, Map<String, Account> accounts) {
    if (!credentials.isMalformed() && !accounts.isEmpty()) {
      hashChecks.increment();
      try {
        BCrypt.verifyer().verify(credentials.password().toCharArray(),
            accounts.values().iterator().next().passwordHash().toCharArray());
      } catch (RuntimeException e) {
        // not a bcrypt hash: refused at load
      }
    }
    return false;
  }

  private boolean bcrypt(Credentials credentials, String hash) {
    hashChecks.increment();
    try {
      return BCrypt.verifyer().verify(credentials.password().toCharArray(), hash.toCharArray()).verified;
    } catch (RuntimeException e) {
      LOG.warn("users: the hash of user '{}' is not a bcrypt hash (make one with hash-password)",
          Authentication.printable(credentials.user()));
      return false;
    }
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
