package org.opencallback.http.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opencallback.testing.Gms;
import org.opencallback.testing.TestServer;

/** engine max-agents bounds the real agents a node keeps, whatever agent ids clients log in with. */
class MaxAgentsTest {
  private static final String AGENTS = SecurityHttp.AGENTS;

  @Test
  void a_new_agent_beyond_max_agents_is_refused_until_one_logs_out() {
    try (TestServer server = TestServer.start("service.S:\n  _type: ors\nengine:\n  agents: 1\n  max-agents: 2\n")) {
      assertThat(server.postJson(AGENTS + "/a1/login", Map.of()).status()).isEqualTo(200);
      assertThat(server.postJson(AGENTS + "/a2/login", Map.of()).status()).isEqualTo(200);
      Gms.assertError(server.postJson(AGENTS + "/a3/login", Map.of()), 400, 40020);
      // an agent already known logs in again
      assertThat(server.postJson(AGENTS + "/a2/login", Map.of("name", "Again")).status()).isEqualTo(200);

      assertThat(server.postJson(AGENTS + "/a1/logout", Map.of()).status()).isEqualTo(200);
      assertThat(server.postJson(AGENTS + "/a3/login", Map.of()).status()).isEqualTo(200);
      // a1 made room and is forgotten; simulated agents never counted
      assertThat(server.get(AGENTS).list()).extracting(agent -> agent.get("id"))
          .contains("a2", "a3").doesNotContain("a1").hasSize(3);
    }
  }
}
