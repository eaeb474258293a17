package org.opencallback.http;

import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.opencallback.config.Configuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GMS service credentials: {@code [server] username / password}, overridden option by option by a
 * service section's own, checked only when a password is in effect; HTTP Basic only. A logged-in UI
 * session of a supervisor or admin is accepted instead (its CSRF token checked by {@link
 * Authentication}). Failures count in the {@link LoginThrottle} like any other. Thread-safe.
 */
final class ServiceLogin {
  private static final Logger LOG = LoggerFactory.getLogger(Authentication.class);
  static final String REALM = "service";
  private static final String CHALLENGE = "Basic realm=\"OpenCallback\", charset=\"UTF-8\"";

  private final Supplier<Configuration> config;
  private final AccountLogin accounts;
  private final LoginMetrics metrics;

  ServiceLogin(Supplier<Configuration> config, AccountLogin accounts, LoginMetrics metrics) {
    this.config = config;
    this.accounts = accounts;
    this.metrics = metrics;
  }

  /** The user name and password in effect for a service (null name: the {@code [server]} ones only). */
  private record Expected(String user, String password) {}

  private Expected expected(String service) {
    Configuration configuration = config.get();
    Map<String, String> server = configuration.section(Configuration.SERVER_SECTION);
    Map<String, String> own = service == null ? Map.of() : configuration.section(Configuration.SERVICE_PREFIX + service);
    return new Expected(own.getOrDefault("username", server.get("username")), own.getOrDefault("password", server.get("password")));
  }

  /**
   * Checks the request against the service's credentials (null: {@code [server]}'s only).
   *
   * @param session whether a supervisor's or admin's UI session came with the request
   * @throws org.opencallback.domain.CallbackException 401 or 429 when refused
   */
  void check(Context ctx, String service, boolean session) {
    Expected expected = expected(service);
    if (expected.password() == null || session) {
      return;
    }
    accounts.refuseIfThrottled(ctx, REALM);
    Optional<Credentials> credentials = Credentials.fromHeader(ctx);
    if (credentials.isEmpty()) {
      challenge(ctx);
      throw Authentication.unauthorized("Authentication required");
    }
    accounts.begin(ctx, REALM);
    if (!matches(expected, credentials.get())) {
      metrics.outcome(REALM, "refused");
      LOG.warn("Service login refused for user '{}' from {}", Authentication.printable(credentials.get().user()), ctx.ip());
      challenge(ctx);
      throw Authentication.unauthorized("Invalid user name or password");
    }
    accounts.throttle().succeeded(ctx.ip());
    metrics.outcome(REALM, "accepted");
  }

  /**
   * For the routes that name no service (a lookup across services, {@code ?_id=}): which services'
   * callbacks the request may see, each by its own service's credentials. The first service whose
   * password the request's credentials miss counts as one failed login (a guessing oracle otherwise).
   */
  Predicate<String> visible(Context ctx, boolean session) {
    Optional<Credentials> credentials = Credentials.fromHeader(ctx);
    Map<String, Boolean> seen = new HashMap<>();
    boolean[] counted = {false};
    return service -> seen.computeIfAbsent(service, name -> {
      Expected expected = expected(name);
      if (expected.password() == null || session) {
        return true;
      }
      boolean ok = credentials.isPresent() && matches(expected, credentials.get());
      if (!ok && credentials.isPresent() && !counted[0]) {
        counted[0] = true;
        accounts.begin(ctx, REALM);
        metrics.outcome(REALM, "refused");
      }
      return ok;
    });
  }

  /** The Basic challenge, except to the UI's own calls (a browser would show its login dialog). */
  private static void challenge(Context ctx) {
    if (ctx.header(Authentication.UI_HEADER) == null) {
      ctx.header("WWW-Authenticate", CHALLENGE);
    }
  }

  private static boolean matches(Expected expected, Credentials given) {
    boolean userMatches = expected.user() == null || same(expected.user(), given.user());
    return !given.isMalformed() && userMatches && same(expected.password(), given.password());
  }

  private static boolean same(String expected, String given) {
    return given != null && MessageDigest.isEqual(
        expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
  }
}
