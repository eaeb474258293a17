package org.opencallback.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.opencallback.config.Account;
import org.opencallback.config.Configuration;
import org.opencallback.domain.CallbackException;
import org.opencallback.domain.ErrorCode;

/**
 * The management UI's login, at {@value #PATH}: {@code POST} logs in (a JSON body {@code {username,
 * password}}; a form is refused by {@link CrossSiteGuard}) and sets the session cookie, {@code GET}
 * answers who is logged in and the CSRF token, {@code DELETE} logs out. Any role may log in (an
 * agent uses the agent console only). The cookie is {@code HttpOnly}, {@code SameSite=Strict},
 * {@code Path=/}, and {@code Secure} under TLS or with {@code [server] session-cookie-secure}.
 */
final class SessionRoutes {
  static final String PATH = UiRoutes.ROOT + "/api/session";
  static final String LOGIN_PAGE = UiRoutes.ROOT + "/login.html";

  private final Supplier<Configuration> config;
  private final ObjectMapper json;
  private final AccountLogin accounts;
  private final Sessions sessions;

  SessionRoutes(Supplier<Configuration> config, ObjectMapper json, AccountLogin accounts, Sessions sessions) {
    this.config = config;
    this.json = json;
    this.accounts = accounts;
    this.sessions = sessions;
  }

  void register(RoutesConfig routes) {
    routes.post(PATH, this::login);
    routes.get(PATH, this::current);
    routes.delete(PATH, this::logout);
  }

  private void login(Context ctx) {
    Map<String, Object> body = RequestParams.read(ctx, json);
    Object user = body.get("username");
    Object password = body.get("password");
    if (!(user instanceof String) || !(password instanceof String) || ((String) user).isEmpty()) {
      throw CallbackException.invalidParameter("Send {\"username\": \"…\", \"password\": \"…\"} as JSON");
    }
    if (config.get().accounts().isEmpty()) {
      throw Authentication.unauthorized("This server has no users: add accounts to the users section");
    }
    accounts.refuseIfThrottled(ctx, Authentication.UI);
    Account account = accounts.check(ctx, new Credentials((String) user, (String) password), Authentication.UI, () -> { });
    sessions.end(ctx.cookie(Authentication.SESSION_COOKIE));
    Sessions.Session session = sessions.create(account);
    ctx.header("Set-Cookie", cookie(ctx, session.id(), false));
    ctx.header("Cache-Control", "no-store");
    Responses.json(ctx, json, body(session));
  }

  private void current(Context ctx) {
    ctx.header("Cache-Control", "no-store");
    Optional<Sessions.Session> session = sessions.find(ctx.cookie(Authentication.SESSION_COOKIE))
        .filter(s -> Optional.ofNullable(config.get().accounts().get(s.user()))
            .map(account -> AccountLogin.fromAllowedPlace(ctx, account)).orElse(false));
    if (session.isEmpty()) {
      // the login page shows the demo account's hint when it works
      boolean demo = config.get().isBundledDemo() && config.get().accounts().values().stream()
          .anyMatch(account -> account.loopbackOnly() && AccountLogin.fromAllowedPlace(ctx, account));
      throw new HttpRefusal(401, ErrorCode.INVALID_PARAMETER, "Not logged in",
          demo ? Map.of("demo", "demo") : Map.of());
    }
    Responses.json(ctx, json, body(session.get()));
  }

  /** Ends the session (its CSRF token required) and clears the cookie; without a live session just the latter. */
  private void logout(Context ctx) {
    String id = ctx.cookie(Authentication.SESSION_COOKIE);
    Optional<Sessions.Session> session = sessions.find(id);
    if (session.isPresent()) {
      String token = ctx.header(Authentication.CSRF_HEADER);
      if (token == null || !java.security.MessageDigest.isEqual(token.getBytes(java.nio.charset.StandardCharsets.UTF_8),
          session.get().csrfToken().getBytes(java.nio.charset.StandardCharsets.UTF_8))) {
        throw Authentication.forbidden("Missing or wrong CSRF token: send the session's token in the "
            + Authentication.CSRF_HEADER + " header");
      }
      sessions.end(id);
    }
    ctx.header("Set-Cookie", cookie(ctx, "", true));
    Responses.json(ctx, json, Map.of("loggedOut", true));
  }

  private String cookie(Context ctx, String value, boolean expire) {
    boolean secure = ctx.req().isSecure() || config.get().server().bool("session-cookie-secure", false);
    return Authentication.SESSION_COOKIE + "=" + value + "; Path=/; HttpOnly; SameSite=Strict"
        + (secure ? "; Secure" : "") + (expire ? "; Max-Age=0" : "");
  }

  private static Map<String, Object> body(Sessions.Session session) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("user", session.user());
    body.put("role", session.role().word());
    body.put("agent", session.agentId());
    body.put("csrfToken", session.csrfToken());
    return body;
  }
}
