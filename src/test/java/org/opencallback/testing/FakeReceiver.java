package org.opencallback.testing;

import com.fasterxml.jackson.core.type.TypeReference;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * A small HTTP server standing in for a webhook receiver, an Orchestration Server or a device's
 * callback URL: it records every request and answers what {@link #respond} says (200 {} by default).
 */
public final class FakeReceiver implements AutoCloseable {
  /** One request as received; header names in lower case; the decoded query string or null. */
  public record Request(String method, String path, Map<String, String> headers, byte[] body, String query) {
    public String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    public Map<String, Object> json() {
      try {
        return TestServer.JSON.readValue(body, new TypeReference<Map<String, Object>>() {});
      } catch (IOException e) {
        throw new AssertionError("not a JSON object: " + text(), e);
      }
    }

    public Map<String, String> form() {
      Map<String, String> fields = new LinkedHashMap<>();
      for (String pair : text().split("&")) {
        if (pair.isEmpty()) {
          continue;
        }
        int equals = pair.indexOf('=');
        String key = equals < 0 ? pair : pair.substring(0, equals);
        String value = equals < 0 ? "" : pair.substring(equals + 1);
        fields.put(URLDecoder.decode(key, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
      }
      return fields;
    }

    public String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  /** An answer. */
  public record Reply(int status, String body) {
    public static Reply ok(String body) {
      return new Reply(200, body);
    }
  }

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private volatile Function<Request, Reply> handler = request -> Reply.ok("{}");

  private FakeReceiver(HttpServer server) {
    this.server = server;
  }

  public static FakeReceiver start() {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      FakeReceiver receiver = new FakeReceiver(server);
      server.setExecutor(receiver.executor);
      server.createContext("/", exchange -> {
        Map<String, String> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), values.get(0)));
        Request request = new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), headers,
            exchange.getRequestBody().readAllBytes(), exchange.getRequestURI().getQuery());
        receiver.requests.add(request);
        Reply reply;
        try {
          reply = receiver.handler.apply(request);
        } catch (RuntimeException e) {
          reply = new Reply(500, "{\"error\":\"" + e + "\"}");
        }
        byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(reply.status(), body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      });
      server.start();
      return receiver;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Base URL, e.g. http://127.0.0.1:12345 */
  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  public void respond(Function<Request, Reply> handler) {
    this.handler = handler;
  }

  public List<Request> requests() {
    return List.copyOf(requests);
  }

  /** Requests whose path starts with {@code prefix}. */
  public List<Request> requests(String prefix) {
    return requests.stream().filter(r -> r.path().startsWith(prefix)).toList();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  /** A URL nobody listens on. */
  public static String deadUrl() {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return "http://127.0.0.1:" + socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
