package org.opencallback.http;

import static org.assertj.core.api.Assertions.assertThat;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opencallback.testing.TestServer;
import org.opencallback.testing.TestServer.Response;

/**
 * Who may report execution states ({@code _callback_state} in a PUT): anyone by default (GMS), only
 * the engine's credentials when the operator says engine-only, per service or for all
 * (docs/security.md, "Server-owned state").
 */
class StateReportsTest {
  private static final String BASE = "/genesys/1/service/callback/";
  private static final String ENGINE_PASSWORD = "engine-secret";
  private static TestServer server;

  @BeforeAll
  static void start() {
    String hash = BCrypt.withDefaults().hashToString(4, ENGINE_PASSWORD.toCharArray());
    // engine-only for all services ([server]); Open says otherwise for itself
    server = TestServer.start("server:\n  engine-password-hash: '" + hash + "'\n  state-reports: engine-only\n"
        + "service.Open:\n  _type: ors\n  _state_reports: any\n"
        + "service.Closed:\n  _type: ors\n"
        + "engine:\n  agents: 0\n");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static String callback(String service, String number) {
    server.withCredentials(null, null);
    Response response = server.postJson(BASE + service, Map.of("_customer_number", number));
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return String.valueOf(response.map().get("_id"));
  }

  private static Response report(String service, String id, String user, String password) {
    server.withCredentials(user, password);
    try {
      return server.putJson(BASE + service + "/" + id,
          Map.of("_callback_state", "COMPLETED", "_callback_reason", "PERSON_REACHED"));
    } finally {
      server.withCredentials(null, null);
    }
  }

  private static Object state(String service, String id) {
    return server.get(BASE + service + "/" + id).map().get("_callback_state");
  }

  @Test
  void a_service_set_to_any_lets_anyone_report_states_as_with_gms() {
    String id = callback("Open", "+15556660001");
    assertThat(report("Open", id, null, null).status()).isEqualTo(200);
    assertThat(state("Open", id)).isEqualTo("COMPLETED");
  }

  @Test
  void under_server_wide_engine_only_a_service_refuses_a_state_report_without_the_engine_credentials() {
    String id = callback("Closed", "+15556660002");
    Response refused = report("Closed", id, null, null);
    assertThat(refused.status()).as(refused.body()).isEqualTo(403);
    assertThat(state("Closed", id)).isEqualTo("QUEUED");

    assertThat(report("Closed", id, "engine", "wrong").status()).isEqualTo(401);
    assertThat(state("Closed", id)).isEqualTo("QUEUED");

    Response accepted = report("Closed", id, "engine", ENGINE_PASSWORD);
    assertThat(accepted.status()).as(accepted.body()).isEqualTo(200);
    assertThat(state("Closed", id)).isEqualTo("COMPLETED");
  }

  @Test
  void an_engine_only_service_still_takes_other_updates_from_its_clients() {
    String id = callback("Closed", "+15556660003");
    Response update = server.putJson(BASE + "Closed/" + id, Map.of("note", "call after 5"));
    assertThat(update.status()).as(update.body()).isEqualTo(200);
    assertThat(server.get(BASE + "Closed/" + id).map()).containsEntry("note", "call after 5");
  }
}
