package org.opencallback.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.opencallback.testing.ConnectionCounter;
import org.opencallback.testing.FakeReceiver;

/**
 * The checked client against loopback listeners only. Private addresses appear only in the resolver
 * stub, always after a loopback listener that counts connections: a broken check would connect there
 * first (and fail the test), never to the private address.
 */
class OutboundHttpTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);
  private static final byte[] BODY = "{}".getBytes(StandardCharsets.UTF_8);
  private final FakeReceiver receiver = FakeReceiver.start();
  private final ConnectionCounter counter = ConnectionCounter.start();
  private final AtomicInteger lookups = new AtomicInteger();
  private OutboundHttp http;
  private HttpServer redirector;

  @AfterEach
  void close() {
    if (http != null) {
      http.close();
    }
    if (redirector != null) {
      redirector.stop(0);
    }
    receiver.close();
    counter.close();
  }

  private static InetAddress ip(String literal) {
    return IpLiterals.parse(literal).orElseThrow();
  }

  private InetAddress[] stub(String host) throws UnknownHostException {
    lookups.incrementAndGet();
    Map<String, InetAddress[]> names = Map.of(
        "receiver.test", new InetAddress[] {ip("127.0.0.1")},
        "rebind.test", new InetAddress[] {ip("127.0.0.1"), ip("10.0.0.7")},
        "metadata.test", new InetAddress[] {ip("127.0.0.1"), ip("169.254.169.254")});
    InetAddress[] found = names.get(host);
    if (found != null) {
      return found;
    }
    return IpLiterals.parse(host).map(address -> new InetAddress[] {address})
        .orElseThrow(() -> new UnknownHostException(host));
  }

  private OutboundHttp client(List<String> urls, List<String> ranges) {
    OutboundPolicy policy = OutboundPolicy.of(urls, ranges);
    http = new OutboundHttp(new OutboundGuard(() -> policy, this::stub));
    return http;
  }

  @Test
  void an_explicitly_allowed_loopback_target_is_called() {
    OutboundHttp client = client(List.of("http://127.0.0.1"), List.of("127.0.0.1"));
    OutboundHttp.Answer answer = client.postAndWait(receiver.url() + "/push", "application/json", BODY, TIMEOUT);
    assertThat(answer.status()).isEqualTo(200);
    assertThat(receiver.requests("/push")).hasSize(1);
  }

  @Test
  void the_connection_goes_to_the_checked_address_not_to_a_second_lookup() {
    OutboundHttp client = client(List.of("http://receiver.test"), List.of("127.0.0.1"));
    int port = Integer.parseInt(receiver.url().substring(receiver.url().lastIndexOf(':') + 1));
    // receiver.test exists only in the stub: the call can only reach the receiver through it
    OutboundHttp.Answer answer = client.postAndWait("http://receiver.test:" + port + "/push", "application/json",
        BODY, TIMEOUT);
    assertThat(answer.status()).isEqualTo(200);
    assertThat(receiver.requests("/push")).hasSize(1);
    assertThat(lookups.get()).isEqualTo(1);
  }

  @Test
  void loopback_is_refused_unless_its_range_is_allowed_and_is_never_contacted() {
    OutboundHttp client = client(List.of("http://127.0.0.1"), List.of());
    assertThatThrownBy(() -> client.postAndWait(counter.url() + "/x", "application/json", BODY, TIMEOUT))
        .isInstanceOf(OutboundRefused.class).hasMessageContaining("loopback");
    assertThat(counter.connections()).isZero();
  }

  @Test
  void a_host_not_on_the_allow_list_is_never_contacted() {
    OutboundHttp client = client(List.of("http://receiver.test"), List.of("127.0.0.0/8"));
    assertThatThrownBy(() -> client.postAndWait(counter.url() + "/x", "application/json", BODY, TIMEOUT))
        .isInstanceOf(OutboundRefused.class).hasMessageContaining("outbound-allowed-urls");
    assertThat(counter.connections()).isZero();
    assertThat(lookups.get()).isZero();
  }

  @Test
  void a_name_with_any_private_address_is_refused_as_a_whole() {
    OutboundHttp client = client(List.of("rebind.test", "metadata.test"), List.of("127.0.0.1"));
    for (String host : List.of("rebind.test", "metadata.test")) {
      assertThatThrownBy(() -> client.postAndWait("http://" + host + ":" + counter.port() + "/x", "application/json",
          BODY, TIMEOUT)).as(host).isInstanceOf(OutboundRefused.class).hasMessageContaining("outbound-allowed-ranges");
    }
    assertThat(counter.connections()).isZero();
  }

  @Test
  void a_redirect_to_another_host_is_not_followed() throws IOException {
    redirector = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    redirector.createContext("/", exchange -> {
      exchange.getResponseHeaders().add("Location", "http://localhost:" + counter.port() + "/stolen");
      exchange.sendResponseHeaders(302, -1);
      exchange.close();
    });
    redirector.start();
    OutboundHttp client = client(List.of("http://127.0.0.1", "http://localhost"), List.of("127.0.0.0/8", "::1"));
    OutboundHttp.Answer answer = client.postAndWait(
        "http://127.0.0.1:" + redirector.getAddress().getPort() + "/go", "application/json", BODY, TIMEOUT);
    assertThat(answer.status()).isEqualTo(302);
    assertThat(counter.connections()).isZero();
  }

  @Test
  void a_reload_that_withdraws_a_range_closes_the_connections_opened_under_it() {
    java.util.concurrent.atomic.AtomicReference<OutboundPolicy> policy = new java.util.concurrent.atomic.AtomicReference<>(
        OutboundPolicy.of(List.of("http://receiver.test"), List.of("127.0.0.1")));
    http = new OutboundHttp(new OutboundGuard(policy::get, this::stub));
    String url = "http://receiver.test:" + receiver.url().substring(receiver.url().lastIndexOf(':') + 1) + "/push";
    assertThat(http.postAndWait(url, "application/json", BODY, TIMEOUT).status()).isEqualTo(200);

    policy.set(OutboundPolicy.of(List.of("http://receiver.test"), List.of())); // the reload
    assertThatThrownBy(() -> http.postAndWait(url, "application/json", BODY, TIMEOUT))
        .isInstanceOf(OutboundRefused.class).hasMessageContaining("loopback");
    assertThat(receiver.requests("/push")).hasSize(1);
  }
}
