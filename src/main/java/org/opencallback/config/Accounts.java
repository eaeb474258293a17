package org.opencallback.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the {@code users} section into {@link Account}s. Two forms, mixed freely:
 *
 * <pre>
 * users:
 *   root: '$2a$12$…'              # the old form: an admin
 *   alice:                          # role admin, supervisor or agent
 *     password: '$2a$12$…'
 *     role: supervisor
 *   bob:
 *     password: '$2a$12$…'
 *     role: agent
 *     agent: desk-7                 # the agent id bob acts as; default: bob
 * </pre>
 *
 * Refusals name the section, user and option, never the hash.
 */
final class Accounts {
  static final String PASSWORD = "password";
  static final String ROLE = "role";
  static final String AGENT = "agent";
  private static final Set<String> KEYS = Set.of(PASSWORD, ROLE, AGENT);
  /** A bcrypt hash as {@code hash-password} makes it (and other bcrypt tools: 2a, 2b, 2y). */
  private static final Pattern BCRYPT = Pattern.compile("\\$2[aby]?\\$\\d{2}\\$[./A-Za-z0-9]{53}");
  private static final Pattern AGENT_ID = Pattern.compile("[A-Za-z0-9._@-]{1,64}");

  /** The demo account of the bundled demo configuration: {@value #DEMO_USER} / demo, from this machine only. */
  static final String DEMO_USER = "demo";
  /** bcrypt (cost 10) of "demo". */
  private static final String DEMO_HASH = "$2a$10$/NXw27JnIIUT010JTdJ75OTrrxLMaa9rr71rK2QLKVs/Ch6ZFNXZW";

  private Accounts() {}

  /**
   * The first-run account: with the bundled demo configuration (no configuration file) and no
   * user, {@code demo} / {@code demo} is an admin that works from loopback only (docs/security.md,
   * "First run"). Any configuration file, even a copy of the demo, has no such account.
   */
  static Map<String, Account> demo() {
    return Map.of(DEMO_USER, new Account(DEMO_USER, DEMO_HASH, Account.Role.ADMIN, null, true));
  }

  static Map<String, Account> parse(Map<String, Object> section) throws ConfigException {
    Map<String, Account> accounts = new LinkedHashMap<>();
    for (Map.Entry<String, Object> entry : section.entrySet()) {
      String name = entry.getKey();
      Object value = entry.getValue();
      if (value == null || (value instanceof String text && text.isBlank())) {
        continue; // an empty value means "not set", as everywhere
      }
      Account account = value instanceof Map<?, ?> options ? detailed(name, options) : legacy(name, value);
      accounts.put(name, account);
    }
    return Collections.unmodifiableMap(accounts);
  }

  private static Account legacy(String name, Object value) throws ConfigException {
    if (value instanceof List) {
      throw problem(name, null, "must be a bcrypt hash or a mapping with password, role and agent");
    }
    return new Account(name, hash(name, String.valueOf(value).trim()), Account.Role.ADMIN, null, false);
  }

  private static Account detailed(String name, Map<?, ?> options) throws ConfigException {
    for (Object key : options.keySet()) {
      if (!KEYS.contains(String.valueOf(key))) {
        throw problem(name, String.valueOf(key), "is not an option of a user: expected password, role, agent");
      }
    }
    Object password = options.get(PASSWORD);
    if (password == null || String.valueOf(password).isBlank()) {
      throw problem(name, PASSWORD, "is missing: a bcrypt hash made with hash-password");
    }
    Object roleText = options.get(ROLE);
    Account.Role role = Account.Role.ADMIN;
    if (roleText != null) {
      role = Account.Role.parse(String.valueOf(roleText)).orElseThrow(() -> new ConfigException(
          "section [" + Configuration.USERS_SECTION + "] user " + name + " option role: value \"" + roleText
              + "\" is invalid: expected admin, supervisor or agent"));
    }
    Object agent = options.get(AGENT);
    if (agent != null && role != Account.Role.AGENT) {
      throw problem(name, AGENT, "applies to role agent only (supervisors and admins may act as any agent)");
    }
    String agentId = role != Account.Role.AGENT ? null : agent == null ? name : String.valueOf(agent).trim();
    if (agentId != null && !AGENT_ID.matcher(agentId).matches()) {
      throw new ConfigException("section [" + Configuration.USERS_SECTION + "] user " + name + " option agent: value \""
          + agentId + "\" is invalid: an agent id is 1 to 64 letters, digits, '.', '_', '@' or '-'"
          + (agent == null ? " (set agent: when the user name is not one)" : ""));
    }
    return new Account(name, hash(name, String.valueOf(password).trim()), role, agentId, false);
  }

  private static String hash(String name, String value) throws ConfigException {
    if (!BCRYPT.matcher(value).matches()) {
      throw problem(name, PASSWORD, "is not a bcrypt hash (make one with: java -jar opencallback.jar hash-password)");
    }
    return value;
  }

  /** The value is left out: it is a password hash, or a password pasted in by mistake. */
  private static ConfigException problem(String name, String option, String problem) {
    return new ConfigException("section [" + Configuration.USERS_SECTION + "] user " + name
        + (option == null ? "" : " option " + option) + " " + problem);
  }
}
