package org.opencallback.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.opencallback.outbound.OutboundGuard;
import org.opencallback.outbound.OutboundHttp;
import org.opencallback.outbound.OutboundPolicy;
import org.opencallback.testing.ConnectionCounter;
import org.opencallback.testing.FakeReceiver;
import org.opencallback.testing.TestServer;

/**
 * Issue 15's residual: a {@code _notification_message_file} a request chose is fetched through the
 * outbound policy's client, which judges every address its host resolves to when it connects, so an
 * allowed host name that resolves to a private address is refused then, and nothing is contacted.
 * The operator's file (the configuration's) keeps the plain client. Only loopback listeners; private
 * addresses appear only in the resolver stub, after a loopback address that counts connections: a
 * broken check would connect there first (and fail the test), never to the private address.
 */
class RequestedMessageFileTest {
  private static final String MESSAGES = "{\"ACCEPTED\":\"accepted <id>\",\"REMINDER\":\"soon\"}";
  private final FakeReceiver receiver = FakeReceiver.start();
  private final ConnectionCounter counter = ConnectionCounter.start();
  private OutboundHttp outbound;
  private TestServer server;

  @AfterEach
  void close() {
    if (server != null) {
      server.close();
    }
    if (outbound != null) {
      outbound.close();
    }
    receiver.close();
    counter.close();
  }

  private static InetAddress[] stub(String host) throws UnknownHostException {
    Map<String, InetAddress[]> names = Map.of(
        "files.test", new InetAddress[] {InetAddress.getByAddress(new byte[] {127, 0, 0, 1})},
        "rebind.test", new InetAddress[] {InetAddress.getByAddress(new byte[] {127, 0, 0, 1}),
            InetAddress.getByAddress(new byte[] {10, 0, 0, 7})});
    InetAddress[] found = names.get(host);
    if (found == null) {
      throw new UnknownHostException(host);
    }
    return found;
  }

  /** Both names on the allow-list; loopback allowed as a range, 10.0.0.0/8 not. */
  private MessageFiles files() {
    OutboundPolicy policy = OutboundPolicy.of(List.of("http://files.test", "http://rebind.test"), List.of("127.0.0.1"));
    outbound = new OutboundHttp(new OutboundGuard(() -> policy, RequestedMessageFileTest::stub));
    return new MessageFiles(new ObjectMapper(), outbound);
  }

  @Test
  void an_allowed_name_resolving_to_a_private_address_is_refused_at_fetch_and_nothing_is_contacted() {
    MessageFiles files = files();

    assertThatThrownBy(() -> files.loadRequested("http://rebind.test:" + counter.port() + "/messages.json"))
        .isInstanceOf(MessageFileException.class)
        .hasMessageContaining("refused").hasMessageContaining("10.0.0.7");
    assertThat(counter.connections()).isZero();
  }

  @Test
  void an_allowed_name_resolving_to_an_allowed_address_is_read_through_the_checked_client() {
    receiver.respond(request -> FakeReceiver.Reply.ok(MESSAGES));
    MessageFiles files = files();

    assertThat(files.loadRequested("http://files.test:" + port(receiver) + "/messages.json"))
        .containsEntry("REMINDER", "soon");
    assertThat(receiver.requests("/messages.json")).singleElement()
        .satisfies(request -> assertThat(request.method()).isEqualTo("GET"))
        .satisfies(request -> assertThat(request.header("user-agent")).isEqualTo("OpenCallback"));
  }

  @Test
  void a_path_or_a_file_url_chosen_by_a_request_is_never_read() {
    MessageFiles files = files();
    for (String location : List.of("/etc/passwd", "file:///etc/passwd", "C:\\secrets.json")) {
      assertThatThrownBy(() -> files.loadRequested(location)).as(location)
          .isInstanceOf(MessageFileException.class).hasMessageContaining("http(s) URL only");
    }
  }

  @Test
  void an_answer_above_the_bound_fails_instead_of_filling_the_memory() {
    receiver.respond(request -> FakeReceiver.Reply.ok("{\"REMINDER\":\"" + "x".repeat(300 * 1024) + "\"}"));
    MessageFiles files = files();

    assertThatThrownBy(() -> files.loadRequested("http://files.test:" + port(receiver) + "/big.json"))
        .isInstanceOf(MessageFileException.class).hasMessageContaining("cannot be fetched");
  }

  /**
   * Through the running server: the file a request filled in ({@code $messages$}) is fetched by the
   * checked client (its user agent), the operator's by the plain one. Before the fix both were
   * fetched by the JDK client, which looks the name up and connects without any check.
   */
  @Test
  void the_server_fetches_a_request_chosen_file_through_the_policy_and_the_operators_without_it() {
    receiver.respond(request -> FakeReceiver.Reply.ok(MESSAGES));
    server = TestServer.start("server:\n"
        + "  outbound-allowed-urls: http://127.0.0.1\n"
        + "  outbound-allowed-ranges: 127.0.0.1\n"
        + "service.Chosen:\n  _type: ors\n  _enable_in_queue_checking: false\n"
        + "  _notification_message_file: $messages$\n"
        + "service.Operator:\n  _type: ors\n  _enable_in_queue_checking: false\n"
        + "  _notification_message_file: " + receiver.url() + "/operator.json\n"
        + "engine:\n  agents: 0\n");
    String tomorrow = java.time.Instant.now().plus(Duration.ofDays(1)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
        .toString();

    TestServer.Response chosen = server.postJson("/genesys/1/service/callback/Chosen", Map.of("_customer_number",
        "+15554443001", "_device_os", "comet", "messages", receiver.url() + "/chosen.json", "_desired_time", tomorrow));
    TestServer.Response operator = server.postJson("/genesys/1/service/callback/Operator", Map.of(
        "_customer_number", "+15554443002", "_device_os", "comet", "_desired_time", tomorrow));

    assertThat(chosen.status()).as(chosen.body()).isEqualTo(200);
    assertThat(operator.status()).as(operator.body()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(10)).until(() -> receiver.requests().size() >= 2);
    assertThat(receiver.requests("/chosen.json")).singleElement()
        .satisfies(request -> assertThat(request.header("user-agent")).isEqualTo("OpenCallback"));
    assertThat(receiver.requests("/operator.json")).singleElement()
        .satisfies(request -> assertThat(request.header("user-agent")).startsWith("Java-http-client"));
  }

  private static int port(FakeReceiver receiver) {
    return Integer.parseInt(receiver.url().substring(receiver.url().lastIndexOf(':') + 1));
  }
}
