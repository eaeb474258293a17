package org.opencallback.http.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.opencallback.http.admin.AdminHttp.ADMIN;
import static org.opencallback.http.admin.AdminHttp.SERVICE;
import static org.opencallback.http.admin.AdminHttp.USER;
import static org.opencallback.http.admin.AdminHttp.assertError;
import static org.opencallback.http.admin.AdminHttp.basic;
import static org.opencallback.http.admin.AdminHttp.get;
import static org.opencallback.http.admin.AdminHttp.header;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.opencallback.testing.MutableClock;
import org.opencallback.testing.TestServer;
import org.opencallback.testing.TestServer.Response;

/**
 * Issue 10, security 1: a concurrent burst of wrong passwords at the admin API and the management UI,
 * and at a password-protected service. The address gets {@code 10} password checks in all (not one per
 * request that arrived before the first failure was recorded), every other answer is a 429 with the
 * GMS body, the right password is refused as well until the window has passed, and another address is
 * not affected.
 */
class BruteForceTest {
  private static final int BURST = 200;
  private static final int THREADS = 40;
  private static final String WATERMARKS = ADMIN + "/watermarks";
  private static final String UI_CONFIG = "/ui/api/config";
  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  record Answer(int status, String body, String retryAfter) {}

  /** Fires {@code paths.size()} requests at once from many threads, each with its own Authorization. */
  private static List<Answer> burst(TestServer server, List<String> paths, List<String> authorizations)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Answer>> futures = new ArrayList<>();
      for (int i = 0; i < paths.size(); i++) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(server.base() + paths.get(i)))
            .timeout(Duration.ofSeconds(60))
            .header("Authorization", authorizations.get(i))
            .GET()
            .build();
        futures.add(pool.submit(() -> {
          go.await();
          HttpResponse<String> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
          return new Answer(response.statusCode(), response.body(),
              response.headers().firstValue("Retry-After").orElse(null));
        }));
      }
      go.countDown();
      List<Answer> answers = new ArrayList<>();
      for (Future<Answer> future : futures) {
        answers.add(future.get(2, TimeUnit.MINUTES));
      }
      return answers;
    } finally {
      pool.shutdownNow();
    }
  }

  private static List<String> repeat(int times, String... values) {
    List<String> list = new ArrayList<>();
    for (int i = 0; i < times; i++) {
      list.add(values[i % values.length]);
    }
    return list;
  }

  private static List<String> wrongPasswords(String user) {
    List<String> list = new ArrayList<>();
    for (int i = 0; i < BURST; i++) {
      list.add(basic(user, "guess-" + i));
    }
    return list;
  }

  private static void assertGmsError(Answer answer, int code) throws IOException {
    JsonNode body = TestServer.JSON.readTree(answer.body());
    assertThat(body.path("code").asInt()).as(answer.body()).isEqualTo(code);
    assertThat(body.path("phrase").asText()).isEqualTo("INVALID_PARAMETER");
    assertThat(body.path("message").asText()).isNotBlank();
    assertThat(body.has("exception") && body.has("properties")).as(answer.body()).isTrue();
  }

  /** A counter's value in the /metrics scrape (0 when the series does not exist yet). */
  private static double metric(TestServer server, String series) {
    String scrape = server.get("/metrics").body();
    Matcher matcher = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(scrape);
    return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
  }

  @Test
  void a_burst_of_wrong_admin_passwords_gets_ten_checks_then_429s_until_the_window_has_passed() throws Exception {
    MutableClock clock = new MutableClock(Instant.parse("2026-03-02T10:00:00Z"));
    try (TestServer server = TestServer.start(AdminAuthenticationTest.CONFIG, clock)) {
      List<Answer> answers = burst(server, repeat(BURST, WATERMARKS, UI_CONFIG), wrongPasswords(USER));

      assertThat(answers).extracting(Answer::status).containsOnly(401, 429);
      assertThat(answers).filteredOn(a -> a.status() == 401).hasSize(10);
      for (Answer answer : answers) {
        assertGmsError(answer, 40010);
        if (answer.status() == 429) {
          assertThat(Integer.parseInt(answer.retryAfter())).isBetween(1, 60);
        }
      }
      // blocked attempts never reach bcrypt: one hash check per allowed attempt
      assertThat(metric(server, "opencallback_password_hash_checks_total")).isEqualTo(10);
      assertThat(metric(server, "opencallback_logins_total{outcome=\"refused\",realm=\"admin\"}")).isEqualTo(10);
      assertThat(metric(server, "opencallback_logins_total{outcome=\"throttled\",realm=\"admin\"}"))
          .isEqualTo(BURST - 10);

      // the right password is refused too while the address is blocked, on the API and the UI
      assertError(get(server, WATERMARKS, AdminHttp.admin()), 429, 40010);
      assertError(get(server, UI_CONFIG, AdminHttp.admin()), 429, 40010);
      assertThat(metric(server, "opencallback_password_hash_checks_total")).isEqualTo(10);

      clock.advance(Duration.ofSeconds(59));
      assertError(get(server, WATERMARKS, AdminHttp.admin()), 429, 40010);

      clock.advance(Duration.ofSeconds(2));
      Response lifted = get(server, WATERMARKS, AdminHttp.admin());
      assertThat(lifted.status()).as(lifted.body()).isEqualTo(200);
      assertThat(get(server, UI_CONFIG, AdminHttp.admin()).status()).isEqualTo(200);
    }
  }

  @Test
  void an_unknown_user_costs_the_same_bcrypt_check_as_a_known_one() {
    try (TestServer server = TestServer.start(AdminAuthenticationTest.CONFIG)) {
      assertError(get(server, WATERMARKS, Map.of("Authorization", basic(USER, "wrong"))), 401, 40010);
      assertThat(metric(server, "opencallback_password_hash_checks_total")).isEqualTo(1);

      assertError(get(server, WATERMARKS, Map.of("Authorization", basic("nobody", "wrong"))), 401, 40010);

      // timing-free evidence that answer times do not tell which user names exist
      assertThat(metric(server, "opencallback_password_hash_checks_total")).isEqualTo(2);
    }
  }

  @Test
  void a_blocked_address_does_not_block_another_address() throws Exception {
    try (TestServer server = TestServer.start(AdminAuthenticationTest.CONFIG)) {
      List<Answer> answers = burst(server, repeat(30, WATERMARKS), wrongPasswords(USER).subList(0, 30));
      assertThat(answers).filteredOn(a -> a.status() == 429).hasSize(20);
      assertError(get(server, WATERMARKS, AdminHttp.admin()), 429, 40010);

      // the same server seen from 127.0.0.2 (the whole of 127/8 is the loopback interface)
      assertThat(statusFrom("127.0.0.2", server, WATERMARKS, basic(USER, AdminHttp.PASSWORD))).isEqualTo(200);
      assertThat(statusFrom("127.0.0.2", server, WATERMARKS, basic(USER, "wrong"))).isEqualTo(401);
    }
  }

  @Test
  void a_burst_of_wrong_service_passwords_is_limited_the_same_way() throws Exception {
    String config = "server:\n  username: gms\n  password: server-pass\nservice.Guarded:\n  _type: ors\n"
        + "engine:\n  agents: 0\n";
    try (TestServer server = TestServer.start(config)) {
      String path = SERVICE + "/Guarded/availability";
      List<Answer> answers = burst(server, repeat(BURST, path), wrongPasswords("gms"));

      assertThat(answers).extracting(Answer::status).containsOnly(401, 429);
      assertThat(answers).filteredOn(a -> a.status() == 401).hasSize(10);
      for (Answer answer : answers) {
        assertGmsError(answer, 40010);
      }
      assertThat(metric(server, "opencallback_logins_total{outcome=\"refused\",realm=\"service\"}")).isEqualTo(10);
      Response right = get(server, path, Map.of("Authorization", basic("gms", "server-pass")));
      assertError(right, 429, 40010);
      assertThat(header(right, "Retry-After")).isNotNull();
      // health is never checked, so a blocked address still sees it
      assertThat(server.get("/health/ready").status()).isEqualTo(200);
    }
  }

  @Test
  void missing_service_credentials_answer_401_and_do_not_count() {
    String config = "server:\n  username: gms\n  password: server-pass\nservice.Guarded:\n  _type: ors\n"
        + "engine:\n  agents: 0\n";
    try (TestServer server = TestServer.start(config)) {
      String path = SERVICE + "/Guarded/availability";
      for (int i = 0; i < 12; i++) {
        Response none = get(server, path, Map.of());
        assertError(none, 401, 40010);
        assertThat(header(none, "WWW-Authenticate")).startsWith("Basic realm=");
      }
      assertError(get(server, path, Map.of("Authorization", "Basic Z21z")), 401, 40010);
      assertError(get(server, path, Map.of("Authorization", "Bearer abc")), 401, 40010);

      assertThat(get(server, path, Map.of("Authorization", basic("gms", "server-pass"))).status()).isEqualTo(200);
    }
  }

  /** A GET over a socket whose local address is {@code from}; the status code. */
  private static int statusFrom(String from, TestServer server, String path, String authorization) {
    try (Socket socket = new Socket(InetAddress.getByName("127.0.0.1"), server.server().port(),
        InetAddress.getByName(from), 0)) {
      socket.setSoTimeout(30_000);
      String request = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nAuthorization: "
          + authorization + "\r\n\r\n";
      socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      ByteArrayOutputStream reply = new ByteArrayOutputStream();
      socket.getInputStream().transferTo(reply);
      String statusLine = reply.toString(StandardCharsets.ISO_8859_1).lines().findFirst().orElse("");
      return Integer.parseInt(statusLine.split(" ")[1]);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
