package org.opencallback.http;

import io.javalin.http.HandlerType;
import java.util.Map;
import org.opencallback.config.Account.Role;

/**
 * Who may call what: the least role each account-guarded route needs (docs/security.md has the whole
 * table, public and service routes included). A route under an account-guarded prefix that is not
 * listed here needs {@link Role#ADMIN}: a new route is closed until someone decides its owner.
 */
final class RouteOwners {
  /** Where a route belongs, which says how it is authenticated. */
  enum Area {
    /** No credentials: health, metrics, API documents, the UI's static files and login page. */
    PUBLIC,
    /** The UI's main page: a session (or HTTP Basic) of a supervisor or admin, else the login page. */
    UI_PAGE,
    /** The UI's login, session and logout endpoints: they check credentials themselves. */
    SESSION,
    /** Accounts of the {@code users} section: admin API, the UI's JSON, the agent API. */
    ACCOUNT,
    /** GMS service credentials ({@code [server]} and the service's own). */
    SERVICE
  }

  private static final String AGENTS = AgentRoutes.BASE;
  private static final String ADMIN = AdminRoutes.BASE;
  private static final Map<String, Role> OWNERS = Map.ofEntries(
      Map.entry("GET " + ADMIN + "/queues", Role.SUPERVISOR),
      Map.entry("GET " + ADMIN + "/watermarks", Role.SUPERVISOR),
      Map.entry("POST " + ADMIN + "/reportcancelled", Role.SUPERVISOR),
      Map.entry("POST " + ADMIN + "/cancel", Role.ADMIN),
      Map.entry("POST " + ADMIN + "/ops/delete", Role.ADMIN),
      Map.entry("GET " + PauseRoutes.BASE + "/pause", Role.SUPERVISOR),
      Map.entry("POST " + PauseRoutes.BASE + "/pause", Role.ADMIN),
      Map.entry("POST " + PauseRoutes.BASE + "/resume", Role.ADMIN),
      Map.entry("GET " + UiRoutes.ROOT + "/api/config", Role.SUPERVISOR),
      Map.entry("GET " + UiRoutes.ROOT + "/api/callbacks", Role.SUPERVISOR),
      Map.entry("GET " + UiRoutes.ROOT + "/api/overview", Role.SUPERVISOR),
      // agents: only as themselves (Authentication checks {agent}); the list shows an agent itself only
      Map.entry("GET " + AGENTS, Role.AGENT),
      Map.entry("GET " + AGENTS + "/{agent}", Role.AGENT),
      Map.entry("POST " + AGENTS + "/{agent}/login", Role.AGENT),
      Map.entry("POST " + AGENTS + "/{agent}/ready", Role.AGENT),
      Map.entry("POST " + AGENTS + "/{agent}/notready", Role.AGENT),
      Map.entry("POST " + AGENTS + "/{agent}/logout", Role.AGENT),
      Map.entry("POST " + AGENTS + "/{agent}/preview", Role.AGENT),
      Map.entry("POST " + AGENTS + "/{agent}/disposition", Role.AGENT),
      Map.entry("POST " + AGENTS + "/{agent}/hangup", Role.AGENT),
      Map.entry("GET " + AGENTS + "/{agent}/events", Role.AGENT));

  private RouteOwners() {}

  static Area area(String template) {
    if (template.equals(SessionRoutes.PATH)) {
      return Area.SESSION;
    }
    if (template.startsWith("/genesys/1/admin/") || template.equals("/genesys/1/admin")
        || template.startsWith(UiRoutes.ROOT + "/api/") || template.equals(AGENTS) || template.startsWith(AGENTS + "/")) {
      return Area.ACCOUNT;
    }
    if (template.equals(UiRoutes.ROOT) || template.equals(UiRoutes.ROOT + "/")) {
      return Area.UI_PAGE;
    }
    if (Authentication.isService(template) || template.equals(NotificationRoutes.EVENTS)) {
      // a callback's event stream is its service's: it opens with that service's credentials
      return Area.SERVICE;
    }
    return Area.PUBLIC;
  }

  /** The least role for an account-guarded route; {@link Role#ADMIN} when the route is not listed. */
  static Role owner(HandlerType method, String template) {
    String key = (method == HandlerType.HEAD ? HandlerType.GET : method) + " " + template;
    return OWNERS.getOrDefault(key, Role.ADMIN);
  }
}
