package org.opencallback.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.opencallback.config.Account;
import org.opencallback.config.Account.Role;
import org.opencallback.config.Configuration;
import org.opencallback.domain.CallbackException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may call what (docs/security.md, "Who may call what"). Before every matched route:
 *
 * <ul>
 *   <li>account routes (admin API, the UI's JSON, the agent API): {@link CrossSiteGuard} first, then
 *       the caller is a {@code users} account, by the UI's session cookie (with its CSRF token on
 *       anything but GET) or by HTTP Basic (the admin API also takes GMS's {@code username} /
 *       {@code password} parameters), and its role must include the route's owner ({@link
 *       RouteOwners}); an agent account may act as, and listen to, its own agent only (403);
 *   <li>service routes: the GMS service credentials ({@link ServiceLogin}), or a supervisor's session;
 *       the routes that name no service get a {@link ServiceAccess} to check each callback's own
 *       service;
 *   <li>the UI's main page: a session, else a redirect to the login page.
 * </ul>
 *
 * Password checks go through {@link AccountLogin} (throttle, bcrypt cap). Health, metrics, API
 * documents and the UI's static files are never checked. Thread-safe.
 */
public final class Authentication implements Routes {
  private static final Logger LOG = LoggerFactory.getLogger(Authentication.class);
  static final String ADMIN_PREFIX = "/genesys/1/admin/";
  /** Counter of credential checks, tagged {@code realm} and {@code outcome}. */
  public static final String LOGINS = "opencallback.logins";
  /** Counter of bcrypt verifications. */
  public static final String HASH_CHECKS = "opencallback.password.hash.checks";
  static final String ADMIN = "admin";
  static final String UI = "ui";
  static final String SESSION_COOKIE = "oc_session";
  static final String CSRF_HEADER = "X-CSRF-Token";
  /** The UI's fetches say so: a 401 then carries no Basic challenge (no browser login dialog). */
  static final String UI_HEADER = "X-Requested-With";
  static final String ENGINE = "engine";
  /** Context attribute set (true) on a request that carried the engine's credentials. */
  static final String ENGINE_ATTRIBUTE = "opencallback.engine";
  static final String ENGINE_USER_OPTION = "engine-username";
  static final String ENGINE_HASH_OPTION = "engine-password-hash";
  private static final String ADMIN_REALM = "Basic realm=\"OpenCallback admin\", charset=\"UTF-8\"";

  private final Supplier<Configuration> config;
  private final ObjectMapper json;
  private final AccountLogin accounts;
  private final ServiceLogin services;
  private final Sessions sessions;
  private final SessionRoutes sessionRoutes;

  /**
   * @param registry where the meters {@value #LOGINS} and {@value #HASH_CHECKS} go
   */
  public Authentication(Supplier<Configuration> config, ObjectMapper json, Clock clock, MeterRegistry registry) {
    this.config = config;
    this.json = json;
    LoginMetrics metrics = new LoginMetrics(registry);
    this.accounts = new AccountLogin(config, clock, registry, metrics);
    this.services = new ServiceLogin(config, accounts, metrics);
    this.sessions = new Sessions(config, clock);
    this.sessionRoutes = new SessionRoutes(config, json, accounts, sessions);
    if (config.get().isBundledDemo() && config.get().accounts().containsKey("demo")) {
      LOG.info("Bundled demo configuration: log in to /ui/ as demo / demo (from this machine only)");
    }
  }

  @Override
  public void register(RoutesConfig routes) {
    routes.beforeMatched(this::check);
    sessionRoutes.register(routes);
  }

  private void check(Context ctx) {
    String template = RequestLog.route(ctx);
    switch (RouteOwners.area(template)) {
      case ACCOUNT -> account(ctx, template);
      case SERVICE -> {
        if (ctx.method() != HandlerType.OPTIONS) {
          service(ctx, template);
        }
      }
      case UI_PAGE -> page(ctx);
      case SESSION -> CrossSiteGuard.check(ctx);
      case PUBLIC -> { }
    }
  }

  /** The GMS service endpoints: {@code /genesys/1/service…}, {@code /genesys/2/…}, the number service. */
  static boolean isService(String path) {
    return path.startsWith("/genesys/1/service") || path.startsWith("/genesys/2/")
        || path.startsWith("/genesys/1/phonenumber");
  }

  private void account(Context ctx, String template) {
    CrossSiteGuard.check(ctx);
    Caller caller = identify(ctx, template.startsWith(ADMIN_PREFIX));
    Role owner = RouteOwners.owner(ctx.method(), template);
    if (!caller.role().includes(owner)) {
      throw forbidden("User " + printable(caller.user()) + " (" + caller.role().word() + ") may not "
          + ctx.method() + " " + template + ": it needs the role " + owner.word());
    }
    String agent = ctx.pathParamMap().get("agent");
    if (template.startsWith(AgentRoutes.BASE + "/") && agent != null && !caller.mayActAs(agent)) {
      throw forbidden("User " + printable(caller.user()) + " may act as agent " + caller.agentId() + " only, not "
          + printable(agent));
    }
    caller.attach(ctx);
  }

  /** The session's caller, or HTTP Basic's (the admin API also reads GMS's parameters). */
  private Caller identify(Context ctx, boolean admin) {
    Optional<Caller> session = sessionCaller(ctx);
    if (session.isPresent()) {
      return session.get();
    }
    boolean fromUi = ctx.header(UI_HEADER) != null;
    if (ctx.cookie(SESSION_COOKIE) != null && ctx.header("Authorization") == null && fromUi) {
      throw unauthorized("Your session has ended: log in again");
    }
    Map<String, Account> known = config.get().accounts();
    Runnable challenge = () -> {
      if (!fromUi) {
        ctx.header("WWW-Authenticate", ADMIN_REALM);
      }
    };
    if (known.isEmpty()) {
      challenge.run();
      throw unauthorized("This server has no users: add accounts to the users section");
    }
    accounts.refuseIfThrottled(ctx, ADMIN);
    Optional<Credentials> credentials = admin ? Credentials.fromHeaderOrParams(ctx, json) : Credentials.fromHeader(ctx);
    if (credentials.isEmpty()) {
      challenge.run();
      throw unauthorized("Authentication required");
    }
    return Caller.of(accounts.check(ctx, credentials.get(), ADMIN, challenge));
  }

  /**
   * The caller of a live session cookie (an {@code Authorization} header wins over it), its CSRF token
   * checked on anything but GET and HEAD (403 when missing or wrong).
   */
  private Optional<Caller> sessionCaller(Context ctx) {
    String id = ctx.cookie(SESSION_COOKIE);
    if (id == null || ctx.header("Authorization") != null) {
      return Optional.empty();
    }
    Optional<Sessions.Session> session = sessions.find(id);
    if (session.isEmpty()) {
      return Optional.empty();
    }
    Account account = config.get().accounts().get(session.get().user());
    if (account == null || !AccountLogin.fromAllowedPlace(ctx, account)) {
      return Optional.empty();
    }
    if (ctx.method() != HandlerType.GET && ctx.method() != HandlerType.HEAD && ctx.method() != HandlerType.OPTIONS) {
      String token = ctx.header(CSRF_HEADER);
      if (token == null || !MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8),
          session.get().csrfToken().getBytes(StandardCharsets.UTF_8))) {
        throw forbidden("Missing or wrong CSRF token: send the session's token in the " + CSRF_HEADER + " header");
      }
    }
    return Optional.of(Caller.of(session.get()));
  }

  private void service(Context ctx, String template) {
    if (engine(ctx)) {
      return; // the engine's credentials stand for the service's (it reports states of every service)
    }
    String name = ctx.pathParamMap().containsKey("svc") ? ctx.pathParam("svc")
        : ctx.pathParamMap().containsKey("name") ? ctx.pathParam("name") : null;
    boolean session = sessionCaller(ctx).filter(caller -> caller.role().includes(Role.SUPERVISOR)).isPresent();
    services.check(ctx, name, session);
    if (name == null) {
      // no service in the path: each callback is checked against its own service's credentials
      Predicate<String> visible = services.visible(ctx, session);
      new ServiceAccess(visible, service -> {
        if (!visible.test(service)) {
          if (ctx.header(UI_HEADER) == null) {
            ctx.header("WWW-Authenticate", "Basic realm=\"OpenCallback\", charset=\"UTF-8\"");
          }
          throw unauthorized("Invalid user name or password for the callback's service");
        }
      }).attach(ctx);
    }
  }

  /**
   * The execution engine's credentials ({@code [server] engine-username} and bcrypt {@code
   * engine-password-hash}): when the request names that user, its password is checked (throttled,
   * capped and cached like an account's) and the request is marked {@value #ENGINE_ATTRIBUTE}. A wrong
   * password is refused (401); another user name leaves the request to the service password.
   */
  private boolean engine(Context ctx) {
    Map<String, String> server = config.get().section(Configuration.SERVER_SECTION);
    String hash = server.get(ENGINE_HASH_OPTION);
    String user = server.getOrDefault(ENGINE_USER_OPTION, ENGINE);
    if (hash == null || hash.isBlank()) {
      return false;
    }
    Optional<Credentials> credentials = Credentials.fromHeader(ctx);
    if (credentials.isEmpty() || credentials.get().isMalformed() || !user.equals(credentials.get().user())) {
      return false;
    }
    accounts.refuseIfThrottled(ctx, ENGINE);
    accounts.checkHash(ctx, credentials.get(), hash, ENGINE,
        () -> ctx.header("WWW-Authenticate", "Basic realm=\"OpenCallback\", charset=\"UTF-8\""));
    ctx.attribute(ENGINE_ATTRIBUTE, true);
    return true;
  }

  /** Whether this request carried the engine's credentials (checked in {@link #engine}). */
  static boolean isEngine(Context ctx) {
    return Boolean.TRUE.equals(ctx.attribute(ENGINE_ATTRIBUTE));
  }

  /** The UI's main page: with a live session (or valid HTTP Basic) served, else the login page. */
  private void page(Context ctx) {
    if (!ctx.path().endsWith("/")) {
      return; // /ui: redirected to /ui/ first
    }
    if (ctx.header("Authorization") != null) {
      identify(ctx, false);
      return;
    }
    if (sessionCaller(ctx).isEmpty()) {
      ctx.redirect(SessionRoutes.LOGIN_PAGE, io.javalin.http.HttpStatus.SEE_OTHER);
      ctx.skipRemainingHandlers();
    }
  }

  /** A user name fit for a log line or message: printable characters only, at most 64. */
  static String printable(String user) {
    String clean = String.valueOf(user).replaceAll("\\p{Cntrl}", "?");
    return clean.length() <= 64 ? clean : clean.substring(0, 64) + "…";
  }

  static CallbackException unauthorized(String message) {
    return ErrorBodies.forStatus(401, message);
  }

  static CallbackException forbidden(String message) {
    return ErrorBodies.forStatus(403, message);
  }
}
