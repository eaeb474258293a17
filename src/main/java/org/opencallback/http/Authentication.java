package org.opencallback.http;

import at.favre.lib.crypto.bcrypt.BCrypt;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.opencallback.config.Configuration;
import org.opencallback.domain.CallbackException;
import org.opencallback.domain.ErrorCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Basic authentication (gms-behaviour.md). The admin API ({@code /genesys/1/admin/…}) checks the
 * {@code users} section's bcrypt hashes, credentials in the {@code Authorization} header or as
 * {@code username} / {@code password} parameters; without any user it refuses everyone. Service
 * endpoints check {@code [server] username / password}, overridden option by option by the service
 * section's, and only when a password is in effect. Health and metrics are never checked.
 *
 * <p>Failed attempts are limited per client address ({@link LoginThrottle}): a blocked address is
 * answered 429 before its credentials are read, and every password check first reserves one attempt
 * of the address's allowance, so a concurrent burst gets no more guesses (nor bcrypt runs) than a
 * sequential one. A successful bcrypt check is remembered for {@link #CACHE_TIME} under a SHA-256 of
 * user, password and hash, so that admin calls stay fast. No password or hash is ever logged.
 * Thread-safe.
 */
public final class Authentication implements Routes {
  private static final Logger LOG = LoggerFactory.getLogger(Authentication.class);
  static final String ADMIN_PREFIX = "/genesys/1/admin/";
  static final Duration CACHE_TIME = Duration.ofSeconds(60);
  private static final int CACHE_MAX = 1_000;
  private static final String ADMIN_REALM = "Basic realm=\"OpenCallback admin\", charset=\"UTF-8\"";
  private static final String SERVICE_REALM = "Basic realm=\"OpenCallback\", charset=\"UTF-8\"";
  /** Counter of credential checks, tagged {@code realm} and {@code outcome}. */
  public static final String LOGINS = "opencallback.logins";
  /** Counter of bcrypt verifications. */
  public static final String HASH_CHECKS = "opencallback.password.hash.checks";
  private static final String ADMIN = "admin";
  private static final String SERVICE = "service";
  private static final String ENGINE = "engine";
  /** Context attribute set (true) on a request that carried the engine's credentials. */
  static final String ENGINE_ATTRIBUTE = "opencallback.engine";
  static final String ENGINE_USER_OPTION = "engine-username";
  static final String ENGINE_HASH_OPTION = "engine-password-hash";

  private final Supplier<Configuration> config;
  private final ObjectMapper json;
  private final Clock clock;
  private final LoginThrottle throttle;
  private final Map<String, Instant> verified = new ConcurrentHashMap<>();
  private final MeterRegistry registry;
  private final Counter hashChecks;

  /**
   * @param registry where the meters {@value #LOGINS} and {@value #HASH_CHECKS} go
   */
  public Authentication(Supplier<Configuration> config, ObjectMapper json, Clock clock, MeterRegistry registry) {
    this.config = config;
    this.json = json;
    this.clock = clock;
    this.throttle = new LoginThrottle(clock);
    this.registry = registry;
    this.hashChecks = Counter.builder(HASH_CHECKS)
        .description("bcrypt verifications of admin passwords (the expensive part of a login)")
        .register(registry);
  }

  @Override
  public void register(RoutesConfig routes) {
    routes.beforeMatched(this::check);
  }

  private void check(Context ctx) {
    String template = RequestLog.route(ctx);
    if (isAdmin(template)) {
      admin(ctx);
    } else if (isService(template) && ctx.method() != HandlerType.OPTIONS) {
      service(ctx);
    }
  }

  /** The admin API and the management UI (its pages and its JSON endpoints): the {@code users} login. */
  static boolean isAdmin(String path) {
    return path.startsWith(ADMIN_PREFIX) || path.equals("/genesys/1/admin")
        || path.equals(UiRoutes.ROOT) || path.startsWith(UiRoutes.ROOT + "/");
  }

  /** The GMS service endpoints: {@code /genesys/1/service…}, {@code /genesys/2/…}, the number service. */
  static boolean isService(String path) {
    return path.startsWith("/genesys/1/service") || path.startsWith("/genesys/2/")
        || path.startsWith("/genesys/1/phonenumber");
  }

  private void admin(Context ctx) {
    Map<String, String> users = config.get().users();
    if (users.isEmpty()) {
      ctx.header("WWW-Authenticate", ADMIN_REALM);
      throw unauthorized("The admin API has no users: add accounts to the users section");
    }
    refuseIfThrottled(ctx, ADMIN);
    Optional<Credentials> credentials = Credentials.fromHeaderOrParams(ctx, json);
    if (credentials.isEmpty()) {
      ctx.header("WWW-Authenticate", ADMIN_REALM);
      throw unauthorized("Authentication required");
    }
    Credentials given = credentials.get();
    String hash = given.isMalformed() ? null : users.get(given.user());
    String key = hash == null ? null : sha256(given.user() + '\u0000' + given.password() + '\u0000' + hash);
    Instant now = clock.instant();
    Instant until = key == null ? null : verified.get(key);
    if (until != null && now.isBefore(until)) {
      outcome(ADMIN, "accepted");
      return;
    }
    Instant attempt = begin(ctx, ADMIN);
    if (hash == null ? refuseUnknownUser(given, users) : !bcrypt(given, hash)) {
      if (key != null) {
        verified.remove(key);
      }
      fail(ctx, ADMIN, given, ADMIN_REALM);
    }
    throttle.succeeded(ctx.ip(), attempt);
    if (verified.size() >= CACHE_MAX) {
      verified.clear();
    }
    verified.put(key, now.plus(CACHE_TIME));
    outcome(ADMIN, "accepted");
  }

  private void service(Context ctx) {
    Configuration configuration = config.get();
    Map<String, String> server = configuration.section(Configuration.SERVER_SECTION);
    if (engine(ctx, server)) {
      return; // the engine's credentials stand for the service's (it reports states of every service)
    }
    Map<String, String> service = Map.of();
    String name = ctx.pathParamMap().containsKey("svc") ? ctx.pathParam("svc")
        : ctx.pathParamMap().containsKey("name") ? ctx.pathParam("name") : null;
    if (name != null) {
      service = configuration.section(Configuration.SERVICE_PREFIX + name);
    }
    String password = service.getOrDefault("password", server.get("password"));
    if (password == null) {
      return;
    }
    String user = service.getOrDefault("username", server.get("username"));
    refuseIfThrottled(ctx, SERVICE);
    Optional<Credentials> credentials = Credentials.fromHeader(ctx);
    if (credentials.isEmpty()) {
      ctx.header("WWW-Authenticate", SERVICE_REALM);
      throw unauthorized("Authentication required");
    }
    Credentials given = credentials.get();
    Instant attempt = begin(ctx, SERVICE);
    boolean userMatches = user == null || same(user, given.user());
    if (given.isMalformed() || !userMatches || !same(password, given.password())) {
      fail(ctx, SERVICE, given, SERVICE_REALM);
    }
    throttle.succeeded(ctx.ip(), attempt);
    outcome(SERVICE, "accepted");
  }

  /**
   * The execution engine's credentials ({@code [server] engine-username} and bcrypt {@code
   * engine-password-hash}): when the request names that user, its password is checked (throttled and
   * cached as an admin login) and the request is marked {@value #ENGINE_ATTRIBUTE}. A wrong password
   * is refused (401); another user name leaves the request to the service password.
   */
  private boolean engine(Context ctx, Map<String, String> server) {
    String hash = server.get(ENGINE_HASH_OPTION);
    String user = server.getOrDefault(ENGINE_USER_OPTION, "engine");
    if (hash == null || hash.isBlank()) {
      return false;
    }
    Optional<Credentials> credentials = Credentials.fromHeader(ctx);
    if (credentials.isEmpty() || credentials.get().isMalformed() || !same(user, credentials.get().user())) {
      return false;
    }
    refuseIfThrottled(ctx, ENGINE);
    Credentials given = credentials.get();
    String key = sha256(ENGINE + '\u0000' + given.user() + '\u0000' + given.password() + '\u0000' + hash);
    Instant now = clock.instant();
    Instant until = verified.get(key);
    if (until == null || !now.isBefore(until)) {
      Instant attempt = begin(ctx, ENGINE);
      if (!bcrypt(given, hash)) {
        verified.remove(key);
        fail(ctx, ENGINE, given, SERVICE_REALM);
      }
      throttle.succeeded(ctx.ip(), attempt);
      if (verified.size() >= CACHE_MAX) {
        verified.clear();
      }
      verified.put(key, now.plus(CACHE_TIME));
    }
    ctx.attribute(ENGINE_ATTRIBUTE, true);
    outcome(ENGINE, "accepted");
    return true;
  }

  /** Whether this request carried the engine's credentials (checked in {@link #engine}). */
  static boolean isEngine(Context ctx) {
    return Boolean.TRUE.equals(ctx.attribute(ENGINE_ATTRIBUTE));
  }

  /** A blocked address is refused before its credentials are even read. */
  private void refuseIfThrottled(Context ctx, String realm) {
    Duration wait = throttle.waitFor(ctx.ip());
    if (!wait.isZero()) {
      throw throttled(ctx, realm, wait);
    }
  }

  /** Reserves one attempt of the address's allowance before the password is checked, or refuses (429). */
  private Instant begin(Context ctx, String realm) {
    Instant attempt = throttle.begin(ctx.ip());
    if (attempt == null) {
      Duration wait = throttle.waitFor(ctx.ip());
      throw throttled(ctx, realm, wait.isZero() ? Duration.ofSeconds(1) : wait);
    }
    return attempt;
  }

  private CallbackException throttled(Context ctx, String realm, Duration wait) {
    outcome(realm, "throttled");
    long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
    ctx.header("Retry-After", String.valueOf(seconds));
    return new HttpRefusal(
        429,
        ErrorCode.INVALID_PARAMETER,
        "Too many failed logins from " + ctx.ip() + ". Try again in " + seconds + " s.",
        Map.of("retry-after", seconds));
  }

  private void fail(Context ctx, String realm, Credentials given, String challenge) {
    outcome(realm, "refused");
    LOG.warn("{} login refused for user '{}' from {}", realm.equals(ADMIN) ? "Admin" : "Service",
        printable(given.user()), ctx.ip());
    ctx.header("WWW-Authenticate", challenge);
    throw unauthorized("Invalid user name or password");
  }

  /**
   * A user name the users section does not know is refused after the same bcrypt work as a known one
   * (against another user's hash, the result ignored), so that answer times do not tell which names
   * exist. Always true: the login fails.
   */
  private boolean refuseUnknownUser(Credentials credentials, Map<String, String> users) {
    if (!credentials.isMalformed()) {
      hashChecks.increment();
      try {
        BCrypt.verifyer().verify(credentials.password().toCharArray(), users.values().iterator().next().toCharArray());
      } catch (RuntimeException e) {
        // not a bcrypt hash: reported when its own user logs in
      }
    }
    return true;
  }

  private boolean bcrypt(Credentials credentials, String hash) {
    hashChecks.increment();
    try {
      return BCrypt.verifyer().verify(credentials.password().toCharArray(), hash.toCharArray()).verified;
    } catch (RuntimeException e) {
      LOG.warn("users: the hash of user '{}' is not a bcrypt hash (make one with hash-password)",
          printable(credentials.user()));
      return false;
    }
  }

  private void outcome(String realm, String outcome) {
    Counter.builder(LOGINS)
        .description("Credential checks by realm (admin: users section, service: [server] / service password)"
            + " and outcome (accepted, refused, throttled)")
        .tag("realm", realm)
        .tag("outcome", outcome)
        .register(registry)
        .increment();
  }

  private static boolean same(String expected, String given) {
    return given != null && MessageDigest.isEqual(
        expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /** A user name fit for a log line: printable characters only, at most 64. */
  private static String printable(String user) {
    String clean = user.replaceAll("\\p{Cntrl}", "?");
    return clean.length() <= 64 ? clean : clean.substring(0, 64) + "…";
  }

  private static CallbackException unauthorized(String message) {
    return new HttpRefusal(401, ErrorCode.INVALID_PARAMETER, message, Map.of());
  }
}
