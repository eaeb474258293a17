package org.opencallback.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.opencallback.http.Api.assertClientError;
import static org.opencallback.http.Api.assertError;
import static org.opencallback.http.Api.number;
import static org.opencallback.http.Api.path;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.opencallback.testing.TestServer;
import org.opencallback.testing.TestServer.Response;

/**
 * Bodies the server cannot read, paths and methods it does not serve: always a 4xx GMS error body
 * {code, phrase, message, exception, properties}, never a 500, and nothing stored.
 */
class ErrorBodyTest {
  private static TestServer server;

  @BeforeAll
  static void startServer() {
    server = TestServer.start(Api.CONFIG);
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  private static Response post(String contentType, byte[] body) {
    return server.send("POST", path("Basic"), contentType, body);
  }

  private static Response postJsonText(String text) {
    return post("application/json", text.getBytes(StandardCharsets.UTF_8));
  }

  private static String nested(int depth, String inner) {
    return "[".repeat(depth) + inner + "]".repeat(depth);
  }

  @Test
  void malformed_json_is_refused_with_40010_and_nothing_is_stored() {
    String number = number();

    Response response = postJsonText("{\"_customer_number\":\"" + number + "\", \"color\": ");

    assertError(response, 400, 40010);
    assertThat(Api.lookupAll(server, number)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"a\" 1}", "{'_customer_number':'1'}", "{\"_customer_number\":\"1\",}", "{\"a\":tru}"})
  void malformed_json_variants_are_refused_with_40010(String text) {
    assertError(postJsonText(text), 400, 40010);
  }

  @Test
  void json_array_body_is_refused_with_40010_and_nothing_is_stored() {
    String number = number();

    Response response = postJsonText("[{\"_customer_number\":\"" + number + "\"}]");

    assertError(response, 400, 40010);
    assertThat(Api.lookupAll(server, number)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"42", "\"text\"", "null", "true"})
  void json_scalar_body_is_refused_with_40010(String text) {
    assertError(postJsonText(text), 400, 40010);
  }

  @Test
  void invalid_utf8_is_refused_with_40010_and_nothing_is_stored() {
    String number = number();
    byte[] prefix = ("{\"_customer_number\":\"" + number + "\",\"name\":\"").getBytes(StandardCharsets.UTF_8);
    byte[] suffix = "\"}".getBytes(StandardCharsets.UTF_8);
    byte[] body = new byte[prefix.length + 3 + suffix.length];
    System.arraycopy(prefix, 0, body, 0, prefix.length);
    body[prefix.length] = (byte) 0xC3;
    body[prefix.length + 1] = (byte) 0x28;
    body[prefix.length + 2] = (byte) 0xFF;
    System.arraycopy(suffix, 0, body, prefix.length + 3, suffix.length);

    Response response = post("application/json", body);

    assertError(response, 400, 40010);
    assertThat(Api.lookupAll(server, number)).isEmpty();
  }

  @Test
  void invalid_utf8_in_a_form_body_is_refused_with_40010() {
    byte[] body = {'_', 'c', '=', (byte) 0xFE, (byte) 0xFF};

    assertError(post("application/x-www-form-urlencoded", body), 400, 40010);
  }

  @Test
  void body_over_one_megabyte_is_refused_with_a_4xx_and_nothing_is_stored() {
    String number = number();
    String text = "{\"_customer_number\":\"" + number + "\",\"pad\":\"" + "x".repeat(1_100_000) + "\"}";

    Response response = postJsonText(text);

    Map<String, Object> body = assertClientError(response);
    assertThat(response.status()).isEqualTo(413);
    assertThat(body.get("message").toString()).isNotBlank();
    assertThat(Api.lookupAll(server, number)).isEmpty();
  }

  @Test
  void body_just_under_the_limit_is_accepted() {
    String number = number();
    String text = "{\"_customer_number\":\"" + number + "\",\"pad\":\"" + "x".repeat(900_000) + "\"}";

    Response response = postJsonText(text);

    assertThat(response.status()).as(response.body()).isEqualTo(200);
    assertThat(Api.lookupAll(server, number)).hasSize(1);
  }

  @Test
  void deeply_nested_json_is_refused_with_a_4xx_and_nothing_is_stored() {
    String number = number();
    String text = "{\"_customer_number\":\"" + number + "\",\"deep\":" + nested(1000, "1") + "}";

    Response response = postJsonText(text);

    assertError(response, 400, 40010);
    assertThat(Api.lookupAll(server, number)).isEmpty();
  }

  @Test
  void extremely_deep_nesting_is_refused_without_a_500() {
    assertClientError(postJsonText("{\"deep\":" + nested(100_000, "1") + "}"));
  }

  @Test
  void moderately_nested_json_is_stored_and_returned_intact() {
    String number = number();
    String text = "{\"_customer_number\":\"" + number + "\",\"deep\":" + nested(10, "\"core\"") + "}";
    Response response = postJsonText(text);
    assertThat(response.status()).as(response.body()).isEqualTo(200);

    Response stored = server.get(path("Basic", (String) response.map().get("_id")));

    assertThat(stored.body()).contains("\"deep\":" + nested(10, "\"core\""));
  }

  @Test
  void malformed_form_encoding_is_refused_with_40010() {
    assertError(server.postForm(path("Basic"), "_customer_number=%zz1"), 400, 40010);
  }

  @Test
  void json_body_without_a_json_content_type_is_still_read_as_json() {
    String number = number();

    Response response =
        post("text/plain", ("{\"_customer_number\":\"" + number + "\"}").getBytes(StandardCharsets.UTF_8));

    assertThat(response.status()).as(response.body()).isEqualTo(200);
    assertThat(Api.lookupAll(server, number)).hasSize(1);
  }

  @Test
  void unknown_path_under_genesys_answers_404_with_a_gms_body() {
    assertError(server.get("/genesys/1/service/nothing-here/at/all/really"), 404, 40010);
    assertError(server.get("/genesys/2/service/callback"), 404, 40010);
  }

  @Test
  void unknown_path_outside_genesys_answers_404_with_a_gms_body() {
    Response response = server.get("/no/such/path");

    assertError(response, 404, 40010);
    assertThat(response.message()).contains("/no/such/path");
  }

  @Test
  void wrong_method_on_a_callback_answers_a_4xx_gms_body() {
    String id = Api.startQueued(server, "Basic", number());

    assertClientError(server.send("PATCH", path("Basic", id), "application/json", "{}".getBytes(StandardCharsets.UTF_8)));
    assertClientError(server.send("POST", path("Basic", id), "application/json", "{}".getBytes(StandardCharsets.UTF_8)));
    assertThat(Api.state(server, "Basic", id)).isEqualTo("QUEUED");
  }

  @Test
  void wrong_method_on_the_service_path_answers_a_4xx_gms_body() {
    assertClientError(server.send("PUT", path("Basic"), "application/json", "{}".getBytes(StandardCharsets.UTF_8)));
    assertClientError(server.delete(path("Basic")));
  }

  @Test
  void wrong_method_on_health_answers_a_4xx_gms_body() {
    assertClientError(server.send("POST", "/health/live", null, new byte[0]));
  }

  @Test
  void refusal_bodies_carry_the_gms_exception_class() {
    Map<String, Object> notFound =
        assertError(server.get(path("Basic", "1-00000000-0000-0000-0000-000000000000")), 400, 40030);
    assertThat(notFound.get("exception")).asString().startsWith("com.genesyslab.gsg.");

    String id = Api.startQueued(server, "Basic", number());
    assertThat(server.delete(path("Basic", id)).status()).isEqualTo(200);
    Map<String, Object> invalid = assertError(server.delete(path("Basic", id)), 400, 40020);
    assertThat(invalid.get("exception"))
        .isEqualTo("com.genesyslab.gsg.services.callback.exceptions.CallbackExceptionInvalidOperation");
    assertThat(invalid.get("properties")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
        .containsEntry("id", id);
  }

  @Test
  void body_under_the_limit_that_grows_when_stored_is_never_a_500() {
    String number = number();
    StringBuilder text = new StringBuilder("{\"_customer_number\":\"" + number + "\",\"numbers\":[1E9");
    while (text.length() < 990_000) {
      text.append(",1E9");
    }
    text.append("]}");

    Response response = postJsonText(text.toString());

    assertThat(response.status()).as(response.body()).isLessThan(500);
  }
}
