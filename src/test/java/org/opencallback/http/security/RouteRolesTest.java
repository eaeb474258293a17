package org.opencallback.http.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.opencallback.http.security.SecurityHttp.ADMIN;
import static org.opencallback.http.security.SecurityHttp.AGENTS;
import static org.opencallback.http.security.SecurityHttp.as;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.opencallback.testing.Gms;
import org.opencallback.testing.TestServer;
import org.opencallback.testing.TestServer.Response;
import org.opencallback.testing.UiSession;

/**
 * The route × role table of docs/security.md through HTTP: every account-guarded route as nobody, as
 * an agent acting as itself and as another agent, as a supervisor and as an admin; allowed where the
 * table says so (never 401 or 403), refused elsewhere (401 without credentials, 403 with the GMS
 * body when the role is short).
 */
class RouteRolesTest {
  private static TestServer server;

  /** One row of the table: method, path (its agent is bob), body, least role. */
  record Route(String method, String path, Object body, String owner) {
    @Override
    public String toString() {
      return method + " " + path;
    }
  }

  static final List<Route> ROUTES = List.of(
      new Route("GET", ADMIN + "/queues?service_name=Open", null, "supervisor"),
      new Route("GET", ADMIN + "/watermarks", null, "supervisor"),
      new Route("POST", ADMIN + "/reportcancelled", Map.of("callback_reason", "CANCELLED_BY_ADMIN"), "supervisor"),
      new Route("GET", ADMIN + "/services/Open/pause", null, "supervisor"),
      new Route("GET", "/ui/api/config", null, "supervisor"),
      new Route("GET", "/ui/api/callbacks", null, "supervisor"),
      new Route("GET", "/ui/api/overview", null, "supervisor"),
      new Route("POST", ADMIN + "/cancel", Map.of("ids", List.of("no-such-id")), "admin"),
      new Route("POST", ADMIN + "/ops/delete", Map.of("_id", List.of("no-such-id")), "admin"),
      new Route("POST", ADMIN + "/services/Open/pause", Map.of(), "admin"),
      new Route("POST", ADMIN + "/services/Open/resume", Map.of(), "admin"),
      new Route("GET", AGENTS, null, "agent"),
      new Route("POST", AGENTS + "/bob/login", Map.of("name", "Bob"), "agent"),
      new Route("GET", AGENTS + "/bob", null, "agent"),
      new Route("POST", AGENTS + "/bob/ready", Map.of(), "agent"),
      new Route("POST", AGENTS + "/bob/notready", Map.of("reason", "break"), "agent"),
      new Route("POST", AGENTS + "/bob/preview", Map.of("_id", "x", "action", "accept"), "agent"),
      new Route("POST", AGENTS + "/bob/disposition", Map.of("_id", "x", "disposition", "SALE"), "agent"),
      new Route("POST", AGENTS + "/bob/hangup", Map.of(), "agent"),
      new Route("POST", AGENTS + "/bob/logout", Map.of(), "agent"));

  /** Callers, weakest first: bob is the agent of the paths, carol another agent. */
  private static final List<String> ROLES = List.of("agent", "supervisor", "admin");

  @BeforeAll
  static void start() {
    server = TestServer.start(SecurityHttp.CONFIG);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static Stream<Arguments> routesAndCallers() {
    List<Arguments> cases = new ArrayList<>();
    for (Route route : ROUTES) {
      for (String caller : List.of("bob", "carol", "sue", "root")) {
        cases.add(Arguments.of(route, caller));
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0} as {1}")
  @MethodSource("routesAndCallers")
  void each_route_is_open_to_its_owner_and_above_and_refused_below(Route route, String caller) {
    Response response = as(server, caller, route.method(), route.path(), route.body());

    boolean allowed = switch (caller) {
      case "root" -> true;
      case "sue" -> !route.owner().equals("admin");
      case "bob" -> route.owner().equals("agent");
      default -> route.owner().equals("agent") && route.path().equals(AGENTS); // carol: the list, not bob
    };
    if (allowed) {
      assertThat(response.status()).as(response.body()).isNotIn(401, 403, 415, 429);
    } else {
      Gms.assertError(response, 403, 40010);
    }
  }

  @ParameterizedTest(name = "{0} without credentials")
  @MethodSource("routes")
  void every_account_route_refuses_a_caller_without_credentials(Route route) {
    Gms.assertError(as(server, null, route.method(), route.path(), route.body()), 401, 40010);
  }

  @Test
  void a_wrong_password_or_an_unknown_user_opens_no_agent() {
    // a few only: ten failures from one address block it for a minute (BruteForceTest)
    Gms.assertError(as(server, "nobody", "POST", AGENTS + "/nobody/login", Map.of()), 401, 40010);
    Gms.assertError(SecurityHttp.send(server, SecurityHttp.basic("bob", "wrong"), "POST", AGENTS + "/bob/login"), 401, 40010);
  }

  static Stream<Route> routes() {
    return ROUTES.stream();
  }

  @Test
  void an_agent_listens_to_its_own_events_only() throws Exception {
    assertThat(as(server, "bob", "POST", AGENTS + "/bob/login", Map.of()).status()).isEqualTo(200);
    assertThat(stream("bob", "bob")).isEqualTo(200);
    assertThat(stream("sue", "bob")).isEqualTo(200);
    assertThat(stream("carol", "bob")).isEqualTo(403);
    assertThat(stream(null, "bob")).isEqualTo(401);
  }

  @Test
  void an_agent_account_acts_as_its_configured_agent_id_and_sees_only_itself_in_the_list() {
    assertThat(as(server, "carol", "POST", AGENTS + "/desk-7/login", Map.of("name", "Carol")).status()).isEqualTo(200);
    assertThat(as(server, "bob", "POST", AGENTS + "/bob/login", Map.of("name", "Bob")).status()).isEqualTo(200);
    Gms.assertError(as(server, "carol", "POST", AGENTS + "/carol/login", Map.of()), 403, 40010);
    Gms.assertError(as(server, "bob", "POST", AGENTS + "/desk-7/logout", Map.of()), 403, 40010);

    List<Map<String, Object>> seenByCarol = as(server, "carol", "GET", AGENTS, null).list();
    assertThat(seenByCarol).extracting(agent -> agent.get("id")).containsExactly("desk-7");
    List<Map<String, Object>> seenBySue = as(server, "sue", "GET", AGENTS, null).list();
    assertThat(seenBySue).extracting(agent -> agent.get("id")).contains("desk-7", "bob");
  }

  @Test
  void a_session_carries_its_role_too() {
    UiSession sue = UiSession.login(server, "sue", SecurityHttp.PASSWORD);
    assertThat(sue.loginResponse().map()).containsEntry("user", "sue").containsEntry("role", "supervisor");
    assertThat(sue.get(ADMIN + "/watermarks").status()).isEqualTo(200);
    Gms.assertError(sue.send("POST", ADMIN + "/services/Open/pause", Map.of()), 403, 40010);

    UiSession root = UiSession.login(server, "root", SecurityHttp.PASSWORD);
    assertThat(root.send("POST", ADMIN + "/services/Open/pause", Map.of()).status()).isEqualTo(200);
    assertThat(root.send("POST", ADMIN + "/services/Open/resume", Map.of()).status()).isEqualTo(200);

    UiSession bob = UiSession.login(server, "bob", SecurityHttp.PASSWORD);
    assertThat(bob.loginResponse().map()).containsEntry("role", "agent").containsEntry("agent", "bob");
    Gms.assertError(bob.get("/ui/api/config"), 403, 40010);
    assertThat(bob.send("POST", AGENTS + "/bob/login", Map.of()).status()).isEqualTo(200);
    Gms.assertError(bob.send("POST", AGENTS + "/desk-7/ready", Map.of()), 403, 40010);
  }

  /** The status of the agent's event stream opened as {@code user}. */
  private static int stream(String user, String agent) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.base() + AGENTS + "/" + agent + "/events"))
        .timeout(Duration.ofSeconds(30)).header("Accept", "text/event-stream");
    if (user != null) {
      request.header("Authorization", SecurityHttp.basic(user, SecurityHttp.PASSWORD));
    }
    HttpResponse<java.io.InputStream> response =
        HttpClient.newHttpClient().send(request.GET().build(), HttpResponse.BodyHandlers.ofInputStream());
    response.body().close();
    return response.statusCode();
  }
}
