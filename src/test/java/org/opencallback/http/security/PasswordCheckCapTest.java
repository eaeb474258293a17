package org.opencallback.http.security;

import static org.assertj.core.api.Assertions.assertThat;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.opencallback.testing.Gms;
import org.opencallback.testing.TestServer;
import org.opencallback.testing.TestServer.Response;

/**
 * Concurrent bcrypt checks are capped ({@code [server] max-concurrent-password-checks}): a burst of
 * right passwords for different users, each check slow (cost 12), gets one check at a time; those
 * that find the check busy for a second are refused with 503, Retry-After and the GMS body, and run
 * no bcrypt at all.
 */
class PasswordCheckCapTest {
  private static final int USERS = 8;

  @Test
  void a_burst_of_logins_runs_one_bcrypt_check_at_a_time_and_refuses_the_rest_with_503() throws Exception {
    String hash = BCrypt.withDefaults().hashToString(12, SecurityHttp.PASSWORD.toCharArray());
    StringBuilder users = new StringBuilder("users:\n");
    for (int i = 0; i < USERS; i++) {
      users.append("  user").append(i).append(": '").append(hash).append("'\n");
    }
    String config = "service.Open:\n  _type: ors\nengine:\n  agents: 0\nserver:\n  max-concurrent-password-checks: 1\n" + users;
    try (TestServer server = TestServer.start(config)) {
      List<Callable<Response>> logins = new ArrayList<>();
      for (int i = 0; i < USERS; i++) {
        String user = "user" + i;
        logins.add(() -> Gms.send(server, "GET", SecurityHttp.ADMIN + "/watermarks",
            Map.of("Authorization", SecurityHttp.basic(user, SecurityHttp.PASSWORD)), null));
      }
      List<Response> answers = Gms.together(logins);

      assertThat(answers).extracting(Response::status).containsOnly(200, 503).contains(200, 503);
      long accepted = answers.stream().filter(a -> a.status() == 200).count();
      for (Response busy : answers.stream().filter(a -> a.status() == 503).toList()) {
        Gms.assertError(busy, 503, 50050);
        assertThat(Gms.header(busy, "Retry-After")).isEqualTo("1");
      }
      // the refused ones never reached bcrypt, and a refusal for load is no failed login
      assertThat(metric(server, "opencallback_password_hash_checks_total")).isEqualTo(accepted);
      assertThat(metric(server, "opencallback_logins_total{outcome=\"busy\",realm=\"admin\"}")).isEqualTo(USERS - accepted);
      assertThat(Gms.send(server, "GET", SecurityHttp.ADMIN + "/watermarks",
          Map.of("Authorization", SecurityHttp.basic("user0", SecurityHttp.PASSWORD)), null).status()).isEqualTo(200);
    }
  }

  private static double metric(TestServer server, String series) {
    Matcher matcher = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(server.get("/metrics").body());
    return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
  }
}
