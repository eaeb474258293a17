package org.opencallback.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.opencallback.http.Api.assertError;
import static org.opencallback.http.Api.body;
import static org.opencallback.http.Api.encode;
import static org.opencallback.http.Api.number;
import static org.opencallback.http.Api.path;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opencallback.testing.TestServer;
import org.opencallback.testing.TestServer.Response;

/** Wire details checked against the GMS document (issue 17 item 4). */
class WireFidelityTest {
  private static final String DB = "jdbc:h2:mem:wire-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
  private static final String CONFIG = String.join("\n",
      "callback:",
      "  _fix_plus_on_int_phone_numbers: true",
      // listed first: a service-less lookup once read numbers under the first service's rules
      "service.NoPlusFix:",
      "  _type: ors",
      "  _fix_plus_on_int_phone_numbers: false",
      "service.Basic:",
      "  _type: ors",
      "  _enable_in_queue_checking: false",
      "  _exceptions: blocked_numbers, blocked_words",
      "blocked_numbers:",
      "  premium: '^\\+1900'",
      "blocked_words:",
      "  rude: 'idiot'",
      "engine:",
      "  agents: 0",
      "");
  private static TestServer server;

  @BeforeAll
  static void startServer() {
    server = TestServer.start(CONFIG, "--db-url", DB, "--db-user", "sa", "--db-password", "");
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @Test
  void query_by_id_and_lookup_carry_desired_time_and_url_in_both_spellings() {
    String number = number();
    String id = Api.startScheduled(server, "Basic", number);

    Map<String, Object> byId = Api.get(server, "Basic", id);
    assertThat(byId).containsKeys("_time_scheduled", "desired_time", "url", "_desired_time", "_url")
        .containsEntry("desired_time", byId.get("_desired_time")).containsEntry("url", byId.get("_url"));
    assertThat((String) byId.get("url")).endsWith("/genesys/1/service/callback/Basic/" + id);

    Response lookup = server.get(path("Basic") + "?_customer_number=" + encode(number));
    assertThat(lookup.status()).isEqualTo(200);
    Map<String, Object> found = lookup.list().get(0);
    assertThat(found).containsEntry("_id", id).containsEntry("desired_time", byId.get("_desired_time"))
        .containsEntry("url", byId.get("_url")).containsKeys("_service_name", "_expiration_time");
  }

  @Test
  void exceptions_takes_a_list_of_pattern_sections() {
    Response word = server.postJson(path("Basic"), body("_customer_number", number(), "note", "you idiot"));
    assertError(word, 400, 40040);
    assertThat(word.message()).contains("blocked_words");
    Response premium = server.postJson(path("Basic"), body("_customer_number", "+19005551234"));
    assertThat(premium.status()).isEqualTo(400);
    assertThat(server.postJson(path("Basic"), body("_customer_number", number(), "note", "kind")).status()).isEqualTo(200);
  }

  @Test
  void a_service_less_lookup_reads_numbers_under_the_callback_sections_phone_options() {
    String stored = number();
    String id = Api.start(server, "Basic", body("_customer_number", stored));
    // given without its +: the callback section fixes it (the first service, NoPlusFix, would not)
    Response lookup = server.get("/genesys/1/service/callback?_customer_number=" + encode(stored.substring(1)));
    assertThat(lookup.status()).as(lookup.body()).isEqualTo(200);
    assertThat(lookup.list()).extracting(entry -> entry.get("_id")).contains(id);
  }

  @Test
  void engine_state_reports_are_accepted_as_gms_accepts_them_except_leaving_completed_or_back_to_scheduled() {
    String id = Api.start(server, "Basic", body("_customer_number", number(), "_callback_state", "QUEUED"));
    put(id, "PROCESSING", 200);
    put(id, "ROUTING", 200); // refused with 40020 before: GMS does not forbid it
    put(id, "QUEUED", 200);
    assertError(report(id, "SCHEDULED"), 400, 40020);
    put(id, "COMPLETED", 200);
    assertError(report(id, "ROUTING"), 400, 40020);
    assertThat(Api.state(server, "Basic", id)).isEqualTo("COMPLETED");
  }

  @Test
  void a_storage_fault_answers_50020_and_the_service_recovers_with_the_database() throws Exception {
    String id = Api.start(server, "Basic", body("_customer_number", number()));
    try (Connection connection = DriverManager.getConnection(DB, "sa", "");
        Statement statement = connection.createStatement()) {
      statement.execute("ALTER TABLE callback RENAME TO callback_away");
      try {
        Response failed = server.get(path("Basic", id));
        assertError(failed, 500, 50020);
        assertThat(failed.body()).doesNotContain("Exception:").doesNotContain("at org.");
      } finally {
        statement.execute("ALTER TABLE callback_away RENAME TO callback");
      }
    }
    assertThat(server.get(path("Basic", id)).status()).isEqualTo(200);
  }

  private static Response report(String id, String state) {
    return server.putJson(path("Basic", id), Map.of("_callback_state", state));
  }

  private static void put(String id, String state, int status) {
    Response response = report(id, state);
    assertThat(response.status()).as(state + ": " + response.body()).isEqualTo(status);
  }
}
