package org.opencallback.config;

import java.util.Locale;
import java.util.Optional;

/**
 * One login of the {@code users} section: a user name, its bcrypt hash, its role and, for agents,
 * the built-in engine agent it acts as. Never logged: {@link #toString} leaves the hash out.
 *
 * @param agentId the agent id this account acts as on the agent API (agents only; the user name
 *     unless {@code agent} is set); null for supervisors and admins, who may act as any agent
 * @param loopbackOnly the account works only from this machine (the demo account)
 */
public record Account(String name, String passwordHash, Role role, String agentId, boolean loopbackOnly) {

  /** What an account may do; each role includes the ones below it. docs/security.md has the route table. */
  public enum Role {
    /** The agent API and event stream of its own agent only. */
    AGENT,
    /** The management UI, queries, exports, single cancels, any agent. */
    SUPERVISOR,
    /** Also configuration-level operations: pause / resume, forget-me, bulk cancel. */
    ADMIN;

    /** Whether this role may do what {@code needed} may. */
    public boolean includes(Role needed) {
      return compareTo(needed) >= 0;
    }

    public String word() {
      return name().toLowerCase(Locale.ROOT);
    }

    static Optional<Role> parse(String text) {
      for (Role role : values()) {
        if (role.word().equals(text.trim().toLowerCase(Locale.ROOT))) {
          return Optional.of(role);
        }
      }
      return Optional.empty();
    }
  }

  @Override
  public String toString() {
    return "Account[name=" + name + ", role=" + role.word() + (agentId == null ? "" : ", agent=" + agentId) + "]";
  }
}
