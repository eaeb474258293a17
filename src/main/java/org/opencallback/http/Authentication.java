package org.opencallback.http;

import at.favre.lib.crypto.bcrypt.BCrypt;
import com.fasterxml.jackson.databind.ObjectMapper;
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
 * <p>Failed attempts are limited per client address ({@link LoginThrottle}); a successful bcrypt
 * check is remembered for {@link #CACHE_TIME} under a SHA-256 of user, password and hash, so that
 * admin calls stay fast. No password or hash is ever logged. Thread-safe.
 */
public final class Authentication implements Routes {
  private static final Logger LOG = LoggerFactory.getLogger(Authentication.class);
  static final String ADMIN_PREFIX = "/genesys/1/admin/";
  static final Duration CACHE_TIME = Duration.ofSeconds(60);
  private static final int CACHE_MAX = 1_000;
  private static final String ADMIN_REALM = "Basic realm=\"OpenCallback admin\", charset=\"UTF-8\"";
  private static final String SERVICE_REALM = "Basic realm=\"OpenCallback\", charset=\"UTF-8\"";

  private final Supplier<Configuration> config;
  private final ObjectMapper json;
  private final Clock clock;
  private final LoginThrottle throttle;
  private final Map<String, Instant> verified = new ConcurrentHashMap<>();

  public Authentication(Supplier<Configuration> config, ObjectMapper json, Clock clock) {
    this.config = config;
    this.json = json;
    this.clock = clock;
    this.throttle = new LoginThrottle(clock);
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
    refuseIfThrottled(ctx);
    Optional<Credentials> credentials = Credentials.fromHeaderOrParams(ctx, json);
    if (credentials.isEmpty()) {
      ctx.header("WWW-Authenticate", ADMIN_REALM);
      throw unauthorized("Authentication required");
    }
    if (!verify(users, credentials.get())) {
      fail(ctx, "Admin", credentials.get(), ADMIN_REALM);
    }
  }

  private void service(Context ctx) {
    Configuration configuration = config.get();
    Map<String, String> server = configuration.section(Configuration.SERVER_SECTION);
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
    refuseIfThrottled(ctx);
    Optional<Credentials> credentials = Credentials.fromHeader(ctx);
    if (credentials.isEmpty()) {
      ctx.header("WWW-Authenticate", SERVICE_REALM);
      throw unauthorized("Authentication required");
    }
    Credentials given = credentials.get();
    boolean userMatches = user == null || same(user, given.user());
    if (given.isMalformed() || !userMatches || !same(password, given.password())) {
      fail(ctx, "Service", given, SERVICE_REALM);
    }
  }

  private void refuseIfThrottled(Context ctx) {
    Duration wait = throttle.waitFor(ctx.ip());
    if (!wait.isZero()) {
      long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
      ctx.header("Retry-After", String.valueOf(seconds));
      throw new CallbackException(
          ErrorCode.INVALID_PARAMETER,
          CallbackException.GENERIC,
          "Too many failed logins from " + ctx.ip() + ". Try again in " + seconds + " s.",
          Map.of("retry-after", seconds),
          Map.of(),
          429);
    }
  }

  private void fail(Context ctx, String what, Credentials given, String realm) {
    throttle.failed(ctx.ip());
    LOG.warn("{} login refused for user '{}' from {}", what, printable(given.user()), ctx.ip());
    ctx.header("WWW-Authenticate", realm);
    throw unauthorized("Invalid user name or password");
  }

  private boolean verify(Map<String, String> users, Credentials credentials) {
    if (credentials.isMalformed()) {
      return false;
    }
    String hash = users.get(credentials.user());
    if (hash == null) {
      return false;
    }
    Instant now = clock.instant();
    String key = sha256(credentials.user() + '\u0000' + credentials.password() + '\u0000' + hash);
    Instant until = verified.get(key);
    if (until != null && now.isBefore(until)) {
      return true;
    }
    boolean ok;
    try {
      ok = BCrypt.verifyer().verify(credentials.password().toCharArray(), hash.toCharArray()).verified;
    } catch (RuntimeException e) {
      LOG.warn("users: the hash of user '{}' is not a bcrypt hash (make one with hash-password)",
          printable(credentials.user()));
      ok = false;
    }
    if (ok) {
      if (verified.size() >= CACHE_MAX) {
        verified.clear();
      }
      verified.put(key, now.plus(CACHE_TIME));
    } else {
      verified.remove(key);
    }
    return ok;
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
    return new CallbackException(
        ErrorCode.INVALID_PARAMETER, CallbackException.GENERIC, message, Map.of(), Map.of(), 401);
  }
}
