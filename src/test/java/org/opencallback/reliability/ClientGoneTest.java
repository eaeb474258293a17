package org.opencallback.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.opencallback.testing.TestServer;

/**
 * Regression found by {@link OverloadTest}: a client closing the connection in the middle of its
 * request body made the server log an "Unexpected error" with a stack trace and count a 500. It is the
 * client's fault: now a 400 (GMS body, unread) and an INFO line.
 */
class ClientGoneTest {
  @Test
  void a_body_cut_short_is_a_client_error_not_a_500() throws Exception {
    try (TestServer server = TestServer.start("service.S:\n  _type: ors\n")) {
      for (int i = 0; i < 3; i++) {
        try (Socket socket = new Socket("127.0.0.1", server.server().port())) {
          OutputStream out = socket.getOutputStream();
          out.write(("POST /genesys/1/service/callback/S HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
              + "Content-Length: 500\r\n\r\n{\"_customer_number\":").getBytes(StandardCharsets.US_ASCII));
          out.flush();
          Thread.sleep(200);
        }
      }
      String metrics = "";
      for (int attempt = 0; attempt < 50; attempt++) {
        metrics = server.get("/metrics").body();
        if (metrics.contains("/genesys/1/service/callback/{svc}") && metrics.contains("method=\"POST\"")) {
          break;
        }
        Thread.sleep(100);
      }
      assertThat(metrics).contains("status=\"400\"").doesNotContain("status=\"500\"");
    }
  }
}
