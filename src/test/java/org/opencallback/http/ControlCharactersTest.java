package org.opencallback.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.opencallback.http.Api.number;
import static org.opencallback.http.Api.path;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.opencallback.testing.TestPostgres;
import org.opencallback.testing.TestServer;

/**
 * Issue 15, hardening: NUL and other control characters in a property key or value, a path segment or
 * a query parameter are refused with 400 and a 40010 body before anything is stored, on H2 and on
 * PostgreSQL (where a NUL used to answer 500). Tab, CR and LF stay allowed in values.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ControlCharactersTest {
  private final Map<String, TestServer> servers = new LinkedHashMap<>();

  @BeforeAll
  void start() {
    servers.put("h2", TestServer.start(Api.CONFIG));
    servers.put("postgresql", TestServer.start(Api.CONFIG, "--db-url", TestPostgres.newDatabaseUrl()));
  }

  @AfterAll
  void stop() {
    servers.values().forEach(TestServer::close);
  }

  private static void assertRefused(TestServer.Response response) {
    assertRefusedByJetty(response);
    assertThat(response.message()).containsIgnoringCase("control character");
  }

  /** Jetty's own URI checks refuse a NUL in a path before any route: the same 400 and body. */
  private static void assertRefusedByJetty(TestServer.Response response) {
    assertThat(response.status()).as(response.body()).isEqualTo(400);
    assertThat(response.code()).as(response.body()).isEqualTo(40010);
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgresql"})
  void a_control_character_in_a_start_request_is_refused_and_nothing_is_stored(String database) {
    TestServer server = servers.get(database);
    for (String bad : List.of("a\u0000b", "\u001b[31mred", "x\u0007", "\u007f", "\u000b")) {
      String number = number();
      assertRefused(server.unchecked().postJson(path("Basic"), Map.of("_customer_number", number, "note", bad)));
      assertRefused(server.unchecked().postJson(path("Basic"), Map.of("_customer_number", number, "k" + bad, "v")));
      assertRefused(server.unchecked().postJson(path("Basic"),
          Map.of("_customer_number", number, "nested", List.of(Map.of("deep", bad)))));
      assertRefused(server.unchecked().postForm(path("Basic"),
          "_customer_number=" + java.net.URLEncoder.encode(number, StandardCharsets.UTF_8) + "&note=a%00b"));
      assertRefused(server.unchecked().postJson(path("Basic") + "?note=a%00b", Map.of("_customer_number", number)));
      assertThat(Api.lookupAll(server, number)).as("nothing stored for %s", database).isEmpty();
    }
  }

  private static String scheduled(TestServer server, String note) {
    return Api.start(server, "Basic", Api.body("_customer_number", number(), "_desired_time",
        Api.iso(Api.now().plusSeconds(86_400)), "note", note));
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgresql"})
  void tab_cr_and_lf_stay_allowed_in_values(String database) {
    TestServer server = servers.get(database);
    String id = scheduled(server, "line one\r\nline\ttwo");
    assertThat(Api.get(server, "Basic", id)).containsEntry("note", "line one\r\nline\ttwo");
    assertRefused(server.unchecked().postJson(path("Basic"), Map.of("_customer_number", number(), "a\nb", "v")));
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgresql"})
  void an_update_with_a_control_character_changes_nothing(String database) {
    TestServer server = servers.get(database);
    String id = scheduled(server, "before");
    assertRefused(server.unchecked().putJson(path("Basic", id), Map.of("note", "after\u0000")));
    assertThat(Api.get(server, "Basic", id)).containsEntry("note", "before");
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgresql"})
  void a_control_character_in_a_path_or_query_parameter_is_refused(String database) {
    TestServer server = servers.get(database);
    assertRefusedByJetty(server.unchecked().postJson(path("Bas%00ic"), Map.of("_customer_number", number())));
    assertRefusedByJetty(server.unchecked().get(path("Basic") + "/1-a%00b"));
    assertRefused(server.unchecked().postJson(path("Bas%1Bic"), Map.of("_customer_number", number())));
    assertRefused(server.unchecked().get(path("Basic") + "/1-a%07b/history"));
    assertRefused(server.unchecked().get(Api.BASE + "?_customer_number=%2B1%00"));
    assertRefused(server.unchecked().get(Api.BASE + "?a%1Bb=1"));
    assertRefused(server.unchecked().delete(path("Basic", "1-x") + "?discard_ors_failure=%00"));
  }
}
