package org.opencallback.testing;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.core.type.TypeReference;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/**
 * A built-in engine agent's event stream ({@code GET /genesys/1/engine/agents/{agent}/events}) read
 * line by line: each {@code event:} line names the next {@code data:} object, kept with its type
 * under {@code @type}. Read from one test thread.
 */
public final class AgentEventStream implements AutoCloseable {
  private static final HttpClient CLIENT = HttpClient.newHttpClient();
  private static final Duration OPEN = Duration.ofSeconds(15);

  private final List<Map<String, Object>> events = new CopyOnWriteArrayList<>();
  private final CompletableFuture<HttpResponse<Stream<String>>> response;
  private int read;

  private AgentEventStream(TestServer server, String agent) {
    HttpRequest request = HttpRequest.newBuilder(URI.create(server.base() + "/genesys/1/engine/agents/" + agent + "/events"))
        .header("Accept", "text/event-stream").header("Authorization", TestServer.adminAuthorization()).GET().build();
    response = CLIENT.sendAsync(request, HttpResponse.BodyHandlers.ofLines());
    response.thenAccept(lines -> {
      String[] type = {null};
      lines.body().forEach(line -> {
        if (line.startsWith("event:")) {
          type[0] = line.substring(6).trim();
        } else if (line.startsWith("data:") && type[0] != null) {
          try {
            Map<String, Object> data = TestServer.JSON.readValue(line.substring(5).trim(), new TypeReference<>() {});
            data.put("@type", type[0]);
            events.add(data);
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        }
      });
    });
  }

  /** Opens the stream and waits until the server has answered it. */
  public static AgentEventStream open(TestServer server, String agent) {
    AgentEventStream stream = new AgentEventStream(server, agent);
    await().atMost(OPEN).until(stream.response::isDone);
    return stream;
  }

  /** The next event of this type (skipping others), waiting for it at most {@code within}. */
  public Map<String, Object> next(String type, Duration within) {
    await().atMost(within).until(() -> events.stream().skip(read).anyMatch(e -> type.equals(e.get("@type"))));
    for (int i = read; i < events.size(); i++) {
      if (type.equals(events.get(i).get("@type"))) {
        read = i + 1;
        return events.get(i);
      }
    }
    throw new AssertionError(type);
  }

  @Override
  public void close() {
    response.thenAccept(lines -> lines.body().close());
  }
}
