package org.opencallback.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.opencallback.testing.TestServer;

/**
 * Regressions found by {@link HostileInputProperties}: requests Jetty refuses before Javalin sees them
 * were answered with Jetty's HTML error page (ambiguous URI such as an encoded {@code /} or NUL in a
 * path segment), or with an empty body for methods other than GET, POST and HEAD (invalid UTF-8 in the
 * path of a PATCH or PUT, or any method with an {@code Accept} header naming no type Jetty writes). They now get the GMS error body.
 */
class JettyErrorBodyTest {
  private static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start("service.S:\n  _type: ors\n");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @ParameterizedTest
  @CsvSource({
      "POST, /genesys/1/service/callback/a%2Fb,",
      "GET, /genesys/1/service/callback/S/%00,",
      "PATCH, /genesys/2/service/callback/%C3%28/availability,",
      "PUT, /genesys/1/service/callback/S/%C3%28,",
      "DELETE, /genesys/1/service/callback/S/%FF%FE,",
      "GET, /genesys/1/service/callback/%FF%FE/availability, 'text/html;q=0, ÿ'",
  })
  void jetty_refusals_carry_a_gms_error_body(String method, String path, String accept) throws Exception {
    Map<String, String> headers = new java.util.LinkedHashMap<>();
    headers.put("Content-Type", "application/json");
    if (accept != null) {
      // an Accept header naming nothing Jetty can write: it used to send an empty body
      headers.put("Accept", accept);
    }
    RawHttp.Reply reply = RawHttp.send(server.server().port(), method, path.getBytes(StandardCharsets.US_ASCII),
        headers, "{}".getBytes(StandardCharsets.US_ASCII));
    assertThat(reply).isNotNull();
    assertThat(reply.status()).isBetween(400, 499);
    assertThat(reply.headers().get("content-type")).startsWith("application/json");
    JsonNode body = TestServer.JSON.readTree(reply.body());
    assertThat(body.path("code").asInt()).as(reply.body()).isEqualTo(40010);
    assertThat(body.path("phrase").asText()).isEqualTo("INVALID_PARAMETER");
    assertThat(body.path("exception").isTextual()).isTrue();
    assertThat(reply.body()).doesNotContain("<html", "\tat ");
  }
}
