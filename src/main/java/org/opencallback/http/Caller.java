package org.opencallback.http;

import io.javalin.http.Context;
import java.util.Optional;
import org.opencallback.config.Account;

/**
 * Who a request comes from, once {@link Authentication} has checked it: a {@code users} account,
 * through HTTP Basic (scripts) or a UI session. Kept on the request as an attribute.
 *
 * @param agentId the agent an agent account acts as; null for supervisors and admins (any agent)
 * @param session the UI session the request came with, or null for HTTP Basic
 */
record Caller(String user, Account.Role role, String agentId, Sessions.Session session) {
  private static final String ATTRIBUTE = "opencallback.caller";

  static Caller of(Account account) {
    return new Caller(account.name(), account.role(), account.agentId(), null);
  }

  static Caller of(Sessions.Session session) {
    return new Caller(session.user(), session.role(), session.agentId(), session);
  }

  void attach(Context ctx) {
    ctx.attribute(ATTRIBUTE, this);
  }

  /** The caller {@link Authentication} attached, if any (none on public routes). */
  static Optional<Caller> of(Context ctx) {
    return Optional.ofNullable(ctx.attribute(ATTRIBUTE));
  }

  /** Whether this caller may act as, and listen to, the agent {@code agentId}. */
  boolean mayActAs(String agent) {
    return role.includes(Account.Role.SUPERVISOR) || (agentId != null && agentId.equals(agent));
  }
}
