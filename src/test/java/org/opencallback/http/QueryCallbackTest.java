package org.opencallback.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.opencallback.http.Api.assertError;
import static org.opencallback.http.Api.body;
import static org.opencallback.http.Api.instant;
import static org.opencallback.http.Api.number;
import static org.opencallback.http.Api.path;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opencallback.testing.TestServer;
import org.opencallback.testing.TestServer.Response;

/** GET /genesys/1/service/callback/{svc}/{id}, its history, and the older ?_id= form. */
class QueryCallbackTest {
  private static final String UNKNOWN_ID = "1-00000000-0000-0000-0000-000000000000";
  private static TestServer server;

  @BeforeAll
  static void startServer() {
    server = TestServer.start(Api.CONFIG);
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @Test
  void get_answers_the_gms_fields_of_one_callback() {
    String number = number();
    String id = Api.startScheduled(server, "Basic", number);

    Map<String, Object> body = Api.get(server, "Basic", id);

    assertThat(body)
        .containsKeys("_id", "_service_name", "_callback_state", "_customer_number", "_desired_time",
            "_expiration_time", "_time_scheduled", "_url")
        .containsEntry("_id", id)
        .containsEntry("_service_name", "Basic")
        .containsEntry("_callback_state", "SCHEDULED")
        .containsEntry("_customer_number", number)
        .doesNotContainKey("_callback_reason");
    instant(body.get("_desired_time"));
    instant(body.get("_expiration_time"));
    instant(body.get("_time_scheduled"));
    assertThat((String) body.get("_url")).startsWith("http").endsWith(path("Basic", id));
  }

  @Test
  void url_of_a_callback_answers_that_callback() {
    String id = Api.startQueued(server, "Basic", number());
    String url = (String) Api.get(server, "Basic", id).get("_url");

    Response response = server.get(url.substring(url.indexOf("/genesys/")));

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.map()).containsEntry("_id", id);
  }

  @Test
  void unknown_id_is_refused_with_400_and_40030() {
    Response response = server.get(path("Basic", UNKNOWN_ID));

    assertError(response, 400, 40030);
    assertThat(response.message()).contains(UNKNOWN_ID);
  }

  @Test
  void id_of_another_service_is_refused_with_40030() {
    String id = Api.startQueued(server, "Buffer15", number());

    assertError(server.get(path("Basic", id)), 400, 40030);
    assertThat(Api.get(server, "Buffer15", id)).containsEntry("_id", id);
  }

  @Test
  void get_in_an_unknown_service_is_refused() {
    Response response = server.get(path("NoSuchService", UNKNOWN_ID));

    assertThat(response.status()).isBetween(400, 499);
    Api.assertClientError(response);
  }

  @Test
  void older_form_with_id_parameter_answers_an_array_of_one() {
    String number = number();
    String id = Api.startScheduled(server, "Basic", number);

    Response response = server.get(Api.BASE + "?_id=" + id);

    assertThat(response.status()).isEqualTo(200);
    List<Map<String, Object>> body = response.list();
    assertThat(body).hasSize(1);
    assertThat(body.get(0))
        .containsEntry("_id", id)
        .containsEntry("_service_name", "Basic")
        .containsEntry("_callback_state", "SCHEDULED")
        .containsEntry("_customer_number", number)
        .containsKeys("_desired_time", "_expiration_time", "_time_scheduled", "_url");
  }

  @Test
  void older_form_with_an_unknown_id_answers_an_empty_array() {
    Response response = server.get(Api.BASE + "?_id=" + UNKNOWN_ID);

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.list()).isEmpty();
  }

  @Test
  void history_lists_every_state_with_its_time_in_order() {
    Instant before = Api.now();
    String id = Api.startQueued(server, "Basic", number());
    Api.put(server, "Basic", id, body("_callback_state", "ROUTING", "_reason", ""));
    Api.put(server, "Basic", id, body("_callback_state", "PROCESSING", "_reason", ""));
    Api.put(server, "Basic", id, body("_callback_state", "COMPLETED", "_callback_reason", "AGENT_CONNECTED"));
    Instant after = Api.now();

    Response response = server.get(path("Basic", id) + "/history");

    assertThat(response.status()).isEqualTo(200);
    List<Map<String, Object>> history = response.list();
    assertThat(history).extracting(h -> h.get("_callback_state"))
        .containsExactly("QUEUED", "ROUTING", "PROCESSING", "COMPLETED");
    assertThat(history.get(3)).containsEntry("_callback_reason", "AGENT_CONNECTED");
    Instant previous = before;
    for (Map<String, Object> change : history) {
      Instant time = instant(change.get("time"));
      assertThat(time).isAfterOrEqualTo(previous).isBeforeOrEqualTo(after);
      previous = time;
    }
  }

  @Test
  void history_of_a_cancelled_scheduled_callback_ends_cancelled() {
    String id = Api.startScheduled(server, "Basic", number());
    assertThat(server.delete(path("Basic", id)).status()).isEqualTo(200);

    List<Map<String, Object>> history = server.get(path("Basic", id) + "/history").list();

    assertThat(history).extracting(h -> h.get("_callback_state")).containsExactly("SCHEDULED", "COMPLETED");
    assertThat(history.get(1)).containsEntry("_callback_reason", "CANCELLED");
  }

  @Test
  void history_of_an_unknown_id_is_refused_with_40030() {
    assertError(server.get(path("Basic", UNKNOWN_ID) + "/history"), 400, 40030);
  }

  @Test
  void history_of_an_id_of_another_service_is_refused_with_40030() {
    String id = Api.startQueued(server, "Buffer15", number());

    assertError(server.get(path("Basic", id) + "/history"), 400, 40030);
  }

  @Test
  void overlong_or_odd_ids_are_unknown_ids() {
    String longId = "1-" + "a".repeat(200);

    assertError(server.get(path("Basic", longId)), 400, 40030);
    assertError(server.delete(path("Basic", longId)), 400, 40030);
    assertError(server.putJson(path("Basic", longId), body("color", "red")), 400, 40030);
    assertError(server.get(path("Basic", "%27%20OR%201%3D1")), 400, 40030);
  }
}
