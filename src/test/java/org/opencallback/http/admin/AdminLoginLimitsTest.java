package org.opencallback.http.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.opencallback.http.admin.AdminHttp.ADMIN;
import static org.opencallback.http.admin.AdminHttp.USER;
import static org.opencallback.http.admin.AdminHttp.assertError;
import static org.opencallback.http.admin.AdminHttp.basic;
import static org.opencallback.http.admin.AdminHttp.get;
import static org.opencallback.http.admin.AdminHttp.header;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opencallback.testing.TestServer;
import org.opencallback.testing.TestServer.Response;

/** Refusing everyone without users, and the limit on failed logins per client address. */
class AdminLoginLimitsTest {
  private static final String WATERMARKS = ADMIN + "/watermarks";

  @Test
  void without_users_the_admin_api_refuses_everyone() {
    try (TestServer server = TestServer.start("service.Basic:\n  _type: ors\nengine:\n  agents: 0\n")) {
      Response none = get(server, WATERMARKS, Map.of());
      Response some = get(server, WATERMARKS, Map.of("Authorization", basic("admin", "admin")));

      assertError(none, 401, 40010);
      assertThat(header(none, "WWW-Authenticate")).startsWith("Basic");
      assertError(some, 401, 40010);
      assertThat(server.get("/genesys/1/service/callback/Basic/availability").status()).isEqualTo(200);
    }
  }

  @Test
  void ten_failed_logins_in_a_minute_refuse_the_address_with_429_even_with_the_right_password() {
    try (TestServer server = TestServer.start(AdminAuthenticationTest.CONFIG)) {
      for (int i = 0; i < 10; i++) {
        assertError(get(server, WATERMARKS, Map.of("Authorization", basic(USER, "wrong" + i))), 401, 40010);
      }

      Response refused = get(server, WATERMARKS, AdminHttp.admin());

      assertError(refused, 429, 40010);
      assertThat(Integer.parseInt(header(refused, "Retry-After"))).isBetween(1, 60);
      // health stays open
      assertThat(server.get("/health/ready").status()).isEqualTo(200);
    }
  }

  @Test
  void missing_credentials_do_not_count_as_failures() {
    try (TestServer server = TestServer.start(AdminAuthenticationTest.CONFIG)) {
      for (int i = 0; i < 12; i++) {
        assertError(get(server, WATERMARKS, Map.of()), 401, 40010);
      }

      assertThat(get(server, WATERMARKS, AdminHttp.admin()).status()).isEqualTo(200);
    }
  }
}
