package org.opencallback.http;

import at.favre.lib.crypto.bcrypt.BCrypt;
import io.javalin.http.Context;
import io.javalin.security.BasicAuthCredentials;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.opencallback.config.Configuration;

/**
 * HTTP Basic authentication of the management UI against the {@code users} section (bcrypt hashes
 * from {@code hash-password}); without any user everyone is refused. Thread-safe.
 *
 * <p>A bcrypt check costs a quarter of a second by design, and a page makes many requests, so a
 * password once verified is remembered (as a SHA-256 digest, never in clear) for as long as the
 * user's hash stays the same. Failed attempts are limited per client address.
 */
final class UiAuth {
  /** The admin API's realm: a browser logged in to the UI calls the admin API without asking again. */
  static final String REALM = "OpenCallback admin";
  /** Failed attempts allowed per client address within {@link #FAILURE_WINDOW}. */
  static final int MAX_FAILURES = 10;
  static final Duration FAILURE_WINDOW = Duration.ofMinutes(1);
  private static final int MAX_REMEMBERED = 1000;

  private final Supplier<Configuration> config;
  private final Clock clock;
  /** digest of user and password → the hash it was verified against. */
  private final Map<String, String> verified = new ConcurrentHashMap<>();
  private final Map<String, Failures> failures = new ConcurrentHashMap<>();

  UiAuth(Supplier<Configuration> config, Clock clock) {
    this.config = config;
    this.clock = clock;
  }

  /** The user name when the request carries valid credentials, else null. */
  String user(Context ctx) {
    String header = ctx.header("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
      return null;
    }
    BasicAuthCredentials credentials;
    try {
      credentials = ctx.basicAuthCredentials();
    } catch (RuntimeException e) {
      return null;
    }
    if (credentials == null) {
      return null;
    }
    String hash = config.get().users().get(credentials.getUsername());
    String digest = digest(credentials.getUsername(), credentials.getPassword());
    if (hash != null && hash.equals(verified.get(digest))) {
      return credentials.getUsername();
    }
    if (hash != null && verify(credentials.getPassword(), hash)) {
      if (verified.size() >= MAX_REMEMBERED) {
        verified.clear();
      }
      verified.put(digest, hash);
      return credentials.getUsername();
    }
    return null;
  }

  /** Whether this client address has failed too often lately. */
  boolean blocked(String address) {
    Failures recent = failures.get(address);
    return recent != null && recent.count >= MAX_FAILURES && !recent.expired(clock.instant());
  }

  void failed(String address) {
    Instant now = clock.instant();
    failures.compute(address, (key, recent) ->
        recent == null || recent.expired(now) ? new Failures(now, 1) : new Failures(recent.since, recent.count + 1));
    if (failures.size() > MAX_REMEMBERED) {
      failures.values().removeIf(recent -> recent.expired(now));
    }
  }

  private static boolean verify(String password, String hash) {
    try {
      return BCrypt.verifyer().verify(password.toCharArray(), hash.toCharArray()).verified;
    } catch (RuntimeException e) {
      return false; // not a bcrypt hash
    }
  }

  private static String digest(String user, String password) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(user.getBytes(StandardCharsets.UTF_8));
      sha.update((byte) 0);
      return HexFormat.of().formatHex(sha.digest(password.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing", e);
    }
  }

  private record Failures(Instant since, int count) {
    boolean expired(Instant now) {
      return since.plus(FAILURE_WINDOW).isBefore(now);
    }
  }
}
