package org.opencallback.http.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.opencallback.http.security.SecurityHttp.basic;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opencallback.testing.Gms;
import org.opencallback.testing.TestServer;
import org.opencallback.testing.TestServer.Response;

/**
 * The routes that name no service ({@code ?_id=}, the lookup across services, check-queue-position)
 * check each callback's own service's password: before, only {@code [server]}'s was checked there,
 * so a service's own password was bypassed.
 */
class OwnServicePasswordTest {
  private static final String NUMBER = "+16175550177";
  private static TestServer server;
  private static String guarded;
  private static String open;

  @BeforeAll
  static void start() {
    server = TestServer.start(String.join("\n",
        "service.Guarded:", "  _type: ors", "  password: own-pass",
        "service.Open:", "  _type: ors",
        "engine:", "  agents: 0", ""));
    guarded = id(Gms.send(server, "POST", Gms.path("Guarded"), Map.of("Authorization", basic("any", "own-pass")),
        Gms.write(Map.of("_customer_number", NUMBER))));
    open = id(Gms.send(server, "POST", Gms.path("Open"), Map.of(), Gms.write(Map.of("_customer_number", NUMBER))));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void a_lookup_by_id_shows_a_callback_only_with_its_service_password() {
    assertThat(get(Gms.BASE + "?_id=" + guarded, null).list()).isEmpty();
    assertThat(get(Gms.BASE + "?_id=" + guarded, basic("any", "wrong")).list()).isEmpty();
    assertThat(get(Gms.BASE + "?_id=" + guarded, basic("any", "own-pass")).list())
        .extracting(c -> c.get("_id")).containsExactly(guarded);
    assertThat(get(Gms.BASE + "?_id=" + open, null).list()).extracting(c -> c.get("_id")).containsExactly(open);
  }

  @Test
  void a_lookup_across_services_leaves_out_the_callbacks_of_services_whose_password_is_missing() {
    List<Map<String, Object>> anonymous = get(Gms.BASE + "?_customer_number=" + Gms.encode(NUMBER), null).list();
    assertThat(anonymous).extracting(c -> c.get("_id")).contains(open).doesNotContain(guarded);
    List<Map<String, Object>> withPassword =
        get(Gms.BASE + "?_customer_number=" + Gms.encode(NUMBER), basic("any", "own-pass")).list();
    assertThat(withPassword).extracting(c -> c.get("_id")).contains(open, guarded);
  }

  @Test
  void the_queue_position_of_a_callback_needs_its_service_password() {
    String path = "/genesys/1/service/" + guarded + "/check-queue-position";
    Response anonymous = get(path, null);
    Gms.assertError(anonymous, 401, 40010);
    assertThat(Gms.header(anonymous, "WWW-Authenticate")).startsWith("Basic");
    Gms.assertError(get(path, basic("any", "wrong")), 401, 40010);
    assertThat(get(path, basic("any", "own-pass")).status()).isNotIn(401, 403);
    assertThat(get("/genesys/1/service/" + open + "/check-queue-position", null).status()).isNotIn(401, 403);
  }

  @Test
  void the_event_stream_of_a_callback_needs_its_service_password() throws Exception {
    String path = "/genesys/1/notification/callback/" + guarded + "/events";
    Gms.assertError(get(path, null), 401, 40010);
    Gms.assertError(get(path, basic("any", "wrong")), 401, 40010);
    assertThat(streamStatus(path, basic("any", "own-pass"))).isEqualTo(200);
    assertThat(streamStatus("/genesys/1/notification/callback/" + open + "/events", null)).isEqualTo(200);
  }

  /** The status of an event stream's answer; the stream itself is closed unread. */
  private static int streamStatus(String path, String authorization) throws Exception {
    java.net.http.HttpRequest.Builder request = java.net.http.HttpRequest.newBuilder(
        java.net.URI.create("http://127.0.0.1:" + server.server().port() + path))
        .header("Accept", "text/event-stream").timeout(java.time.Duration.ofSeconds(10));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    java.net.http.HttpResponse<java.io.InputStream> response = java.net.http.HttpClient.newHttpClient()
        .send(request.build(), java.net.http.HttpResponse.BodyHandlers.ofInputStream()); // Java 17: no close()
    response.body().close();
    return response.statusCode();
  }

  private static Response get(String path, String authorization) {
    return Gms.send(server, "GET", path, authorization == null ? Map.of() : Map.of("Authorization", authorization), null);
  }

  private static String id(Response response) {
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return String.valueOf(response.map().get("_id"));
  }
}
