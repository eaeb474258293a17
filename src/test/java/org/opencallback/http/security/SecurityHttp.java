package org.opencallback.http.security;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.opencallback.testing.Gms;
import org.opencallback.testing.TestServer;
import org.opencallback.testing.TestServer.Response;

/** Accounts of every role and requests as each, for the security tests. */
final class SecurityHttp {
  static final String PASSWORD = "Corr3ct-horse";
  static final String HASH = BCrypt.withDefaults().hashToString(4, PASSWORD.toCharArray());
  static final String ADMIN = "/genesys/1/admin/callback";
  static final String AGENTS = "/genesys/1/engine/agents";
  /** root: admin (the old form), sue: supervisor, bob: agent bob, carol: agent desk-7. */
  static final String USERS = String.join("\n",
      "users:",
      "  root: '" + HASH + "'",
      "  sue:",
      "    password: '" + HASH + "'",
      "    role: supervisor",
      "  bob:",
      "    password: '" + HASH + "'",
      "    role: agent",
      "  carol:",
      "    password: '" + HASH + "'",
      "    role: agent",
      "    agent: desk-7",
      "");
  static final String CONFIG = String.join("\n",
      "service.Open:",
      "  _type: ors",
      "  _enable_in_queue_checking: false",
      "engine:",
      "  agents: 0",
      USERS);

  private SecurityHttp() {}

  static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  /** A POST with this {@code Authorization} header and an empty JSON body. */
  static Response send(TestServer server, String authorization, String method, String path) {
    return Gms.send(server, method, path, Map.of("Authorization", authorization), "{}");
  }

  /** A request as {@code user} (null: no credentials) by HTTP Basic, with more headers. */
  static Response as(TestServer server, String user, String method, String path, Object body, String... headers) {
    Map<String, String> all = new LinkedHashMap<>();
    if (user != null) {
      all.put("Authorization", basic(user, PASSWORD));
    }
    for (int i = 0; i < headers.length; i += 2) {
      all.put(headers[i], headers[i + 1]);
    }
    return Gms.send(server, method, path, all, body == null ? null : Gms.write(body));
  }
}
