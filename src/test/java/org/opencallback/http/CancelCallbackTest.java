package org.opencallback.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.opencallback.http.Api.assertError;
import static org.opencallback.http.Api.body;
import static org.opencallback.http.Api.number;
import static org.opencallback.http.Api.path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opencallback.testing.TestServer;
import org.opencallback.testing.TestServer.Response;

/** DELETE /genesys/1/service/callback/{svc}/{id}[?discard_ors_failure=true]. */
class CancelCallbackTest {
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

  private static void assertCancelled(String service, String id) {
    assertThat(Api.get(server, service, id))
        .containsEntry("_callback_state", "COMPLETED")
        .containsEntry("_callback_reason", "CANCELLED");
  }

  @Test
  void cancel_of_a_scheduled_callback_answers_200_and_completes_it_as_cancelled() {
    String id = Api.startScheduled(server, "Basic", number());

    Response response = server.delete(path("Basic", id));

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.body()).isEmpty();
    assertCancelled("Basic", id);
  }

  @Test
  void cancel_of_a_queued_callback_completes_it_as_cancelled() {
    String id = Api.startQueued(server, "Basic", number());

    assertThat(server.delete(path("Basic", id)).status()).isEqualTo(200);

    assertCancelled("Basic", id);
  }

  @Test
  void cancel_of_a_routing_callback_completes_it_as_cancelled() {
    String id = Api.startQueued(server, "Basic", number());
    Api.put(server, "Basic", id, body("_callback_state", "ROUTING", "_reason", ""));

    assertThat(server.delete(path("Basic", id)).status()).isEqualTo(200);

    assertCancelled("Basic", id);
  }

  @Test
  void second_cancel_is_refused_as_already_cancelled() {
    String id = Api.startScheduled(server, "Basic", number());
    assertThat(server.delete(path("Basic", id)).status()).isEqualTo(200);

    Response again = server.delete(path("Basic", id));

    assertError(again, 400, 40020);
    assertThat(again.message()).isEqualTo("Request already cancelled or completed : [" + id + "]");
    assertCancelled("Basic", id);
  }

  @Test
  void cancel_of_a_completed_callback_is_refused_and_keeps_its_reason() {
    String id = Api.startQueued(server, "Basic", number());
    Api.put(server, "Basic", id, body("_callback_state", "COMPLETED", "_callback_reason", "AGENT_CONNECTED"));

    Response response = server.delete(path("Basic", id));

    assertError(response, 400, 40020);
    assertThat(response.message()).isEqualTo("Request already cancelled or completed : [" + id + "]");
    assertThat(Api.get(server, "Basic", id)).containsEntry("_callback_reason", "AGENT_CONNECTED");
  }

  @Test
  void cancel_of_an_unknown_id_is_refused_with_40030() {
    Response response = server.delete(path("Basic", UNKNOWN_ID));

    assertError(response, 400, 40030);
    assertThat(response.message()).isEqualTo("No such request to cancel : [" + UNKNOWN_ID + "]");
  }

  @Test
  void cancel_of_an_id_of_another_service_is_refused_with_40030() {
    String id = Api.startScheduled(server, "Buffer15", number());

    Response response = server.delete(path("Basic", id));

    assertError(response, 400, 40030);
    assertThat(response.message()).isEqualTo("No such request to cancel : [" + id + "]");
    assertThat(Api.state(server, "Buffer15", id)).isEqualTo("SCHEDULED");
  }

  @Test
  void discard_ors_failure_is_accepted() {
    String id = Api.startQueued(server, "Basic", number());

    Response response = server.delete(path("Basic", id) + "?discard_ors_failure=true");

    assertThat(response.status()).isEqualTo(200);
    assertCancelled("Basic", id);
  }

  @Test
  void discard_ors_failure_false_is_accepted() {
    String id = Api.startScheduled(server, "Basic", number());

    assertThat(server.delete(path("Basic", id) + "?discard_ors_failure=false").status()).isEqualTo(200);

    assertCancelled("Basic", id);
  }

  @Test
  void cancelled_callback_is_still_found_by_lookup() {
    String number = number();
    String id = Api.startScheduled(server, "Basic", number);
    assertThat(server.delete(path("Basic", id)).status()).isEqualTo(200);

    assertThat(Api.lookupAll(server, number))
        .singleElement()
        .satisfies(c -> assertThat(c).containsEntry("_id", id).containsEntry("_callback_state", "COMPLETED"));
  }
}
