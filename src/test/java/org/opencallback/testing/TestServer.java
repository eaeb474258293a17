package org.opencallback.testing;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.opencallback.app.Server;
import org.opencallback.app.Settings;
import org.opencallback.app.UsageException;

/**
 * The real server on a random port with its own data directory and configuration file, and a small
 * HTTP client for it. Each test gets its own.
 *
 * <p>Every exchange sent through this class is checked against the OpenAPI document
 * ({@code src/main/resources/openapi.yaml}, see {@link ApiContract}); a mismatch fails the test with
 * an {@link AssertionError} naming the validation messages. The response is always checked (an
 * error must be a GMS error body; a path the document lacks must answer 404/405 with one). The
 * request is checked only when the server accepted it (status below 400) and the test did not call
 * {@link #unchecked()}: tests of refusals send deliberately invalid requests (broken JSON, invalid
 * UTF-8, wrong types), and a refused request needs no conformance.
 */
public final class TestServer implements AutoCloseable {
  public static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** bcrypt hash of {@value #ADMIN_PASSWORD}, for a {@code users} section. */
  public static final String ADMIN_PASSWORD = "admin-secret";
  /** A {@code users} section with the user {@code admin} / {@value #ADMIN_PASSWORD}. */
  public static final String ADMIN_USERS =
      "users:\n  admin: '" + at.favre.lib.crypto.bcrypt.BCrypt.withDefaults().hashToString(4, ADMIN_PASSWORD.toCharArray()) + "'\n";

  private final Path dir;
  private final Path configFile;
  private final String[] extraArgs;
  private Server server;
  private volatile String authorization;
  private volatile boolean skipRequestCheck;

  private TestServer(Path dir, Path configFile, String[] extraArgs, Server server) {
    this.dir = dir;
    this.configFile = configFile;
    this.extraArgs = extraArgs;
    this.server = server;
  }

  /** Where the built-in engine's agent API lives: it needs an account (docs/security.md). */
  public static final String AGENTS = "/genesys/1/engine/agents";

  /**
   * A configuration without a {@code users} section gets {@link #ADMIN_USERS}, and requests to the
   * agent API that carry no credentials of their own are sent as that admin (the agent API needs an
   * account since issue 15): tests of other features need not care. Tests of the refusals send
   * their own headers ({@link Gms#send}).
   */
  static String withTestUsers(String yaml) {
    boolean hasUsers = yaml.lines().anyMatch(line -> line.startsWith("users:"));
    return hasUsers ? yaml : yaml + (yaml.endsWith("\n") || yaml.isEmpty() ? "" : "\n") + ADMIN_USERS;
  }

  /** The {@code Authorization} header of the {@link #ADMIN_USERS} admin. */
  public static String adminAuthorization() {
    return "Basic " + java.util.Base64.getEncoder()
        .encodeToString(("admin:" + ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8));
  }

  /** In an extra argument: the server's data directory (e.g. in a {@code --db-url}). */
  public static final String DATA_DIR = "/{data-dir}";

  /** Starts a server with this YAML configuration, in a new temporary directory. */
  public static TestServer start(String yaml) {
    return start(yaml, Clock.systemUTC());
  }

  public static TestServer start(String yaml, Clock clock) {
    return start(yaml, clock, new String[0]);
  }

  /**
   * As {@link #start(String)}, with more command-line arguments, e.g. {@code --db-url
   * jdbc:postgresql://…} and {@code --node-id}.
   */
  public static TestServer start(String yaml, String... extraArgs) {
    return start(yaml, Clock.systemUTC(), extraArgs);
  }

  public static TestServer start(String yaml, Clock clock, String... extraArgs) {
    return startAsWritten(withSimulation(yaml), clock, extraArgs);
  }

  /** The section most tests need: two simulated agents on the built-in engine. */
  public static final String SIMULATED_ENGINE = "engine:\n  agents: 2\n";
  private static final java.util.regex.Pattern ENGINE_SECTION = java.util.regex.Pattern.compile("(?m)^engine\\s*:");

  /**
   * The configuration with {@link #SIMULATED_ENGINE} added when it has no {@code engine} section:
   * since simulation is off unless asked for, the tests that start a server with {@link #start}
   * ask for it explicitly here. {@link #startAsWritten} starts without it.
   */
  public static String withSimulation(String yaml) {
    if (ENGINE_SECTION.matcher(yaml).find()) {
      return yaml;
    }
    return yaml + (yaml.isEmpty() || yaml.endsWith("\n") ? "" : "\n") + SIMULATED_ENGINE;
  }

  /** Starts a server with exactly this configuration (no simulated engine added). */
  public static TestServer startAsWritten(String yaml, Clock clock, String... extraArgs) {
    try {
      Path dir = Files.createTempDirectory("opencallback-test-");
      Path config = dir.resolve("opencallback.yaml");
      Files.writeString(config, withTestUsers(yaml));
      return new TestServer(dir, config, extraArgs, launch(dir, config, clock, extraArgs));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Server launch(Path dir, Path config, Clock clock, String[] extraArgs) {
    try {
      List<String> args = new java.util.ArrayList<>(List.of("--config", config.toString(), "--port", "0",
          "--host", "127.0.0.1", "--data-dir", dir.resolve("data").toString()));
      for (String arg : extraArgs) {
        args.add(arg.replace(DATA_DIR, dir.resolve("data").toString()));
      }
      return Server.start(Settings.parse(args.toArray(String[]::new), name -> null), clock);
    } catch (UsageException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  /** Sends HTTP Basic credentials with every later request (null: none). */
  public TestServer withCredentials(String user, String password) {
    this.authorization = user == null ? null : "Basic " + java.util.Base64.getEncoder()
        .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    return this;
  }

  /** Sends the {@link #ADMIN_USERS} admin's credentials with every later request. */
  public TestServer asAdmin() {
    return withCredentials("admin", ADMIN_PASSWORD);
  }

  /** Stops the server and starts it again on the same data directory and configuration. */
  public void restart() {
    server.close();
    server = launch(dir, configFile, Clock.systemUTC(), extraArgs);
  }

  public Path dir() {
    return dir;
  }

  public Path configFile() {
    return configFile;
  }

  /**
   * The next request is deliberately outside the document: only its response is checked against
   * it. Returns this server, e.g. {@code server.unchecked().postJson(...)}.
   */
  public TestServer unchecked() {
    this.skipRequestCheck = true;
    return this;
  }

  public Server server() {
    return server;
  }

  public String base() {
    return "http://127.0.0.1:" + server.port();
  }

  public Response get(String path) {
    return send(HttpRequest.newBuilder(uri(path)).GET());
  }

  public Response delete(String path) {
    return send(HttpRequest.newBuilder(uri(path)).DELETE());
  }

  public Response postJson(String path, Object body) {
    String text = write(body);
    return send(json(path, body).POST(HttpRequest.BodyPublishers.ofString(text)), text.getBytes(StandardCharsets.UTF_8));
  }

  public Response putJson(String path, Object body) {
    String text = write(body);
    return send(json(path, body).PUT(HttpRequest.BodyPublishers.ofString(text)), text.getBytes(StandardCharsets.UTF_8));
  }

  /** A raw body with a content type, e.g. form data or broken JSON. */
  public Response send(String method, String path, String contentType, byte[] body) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(uri(path))
        .method(method, HttpRequest.BodyPublishers.ofByteArray(body));
    if (contentType != null) {
      builder.header("Content-Type", contentType);
    }
    return send(builder, body);
  }

  /** A raw body with a content type (null: none at all) and more headers. */
  public Response send(String method, String path, String contentType, byte[] body, Map<String, String> headers) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(uri(path))
        .method(method, HttpRequest.BodyPublishers.ofByteArray(body));
    if (contentType != null) {
      builder.header("Content-Type", contentType);
    }
    headers.forEach(builder::header);
    return send(builder, body);
  }

  public Response postForm(String path, String form) {
    return send("POST", path, "application/x-www-form-urlencoded", form.getBytes(StandardCharsets.UTF_8));
  }

  private HttpRequest.Builder json(String path, Object body) {
    return HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json");
  }

  private URI uri(String path) {
    return URI.create(base() + path);
  }

  private static String write(Object body) {
    try {
      return body instanceof String ? (String) body : JSON.writeValueAsString(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Response send(HttpRequest.Builder builder) {
    return send(builder, null);
  }

  private Response send(HttpRequest.Builder builder, byte[] requestBody) {
    if (authorization != null) {
      builder.header("Authorization", authorization);
    } else if (builder.build().uri().getPath().startsWith(AGENTS)) {
      builder.header("Authorization", adminAuthorization());
    }
    boolean checkRequest = !skipRequestCheck;
    skipRequestCheck = false;
    try {
      HttpRequest request = builder.timeout(Duration.ofSeconds(30)).build();
      HttpResponse<String> response;
      try {
        response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
      } catch (IOException e) {
        if (!String.valueOf(e.getMessage()).contains("received no bytes")) {
          throw e;
        }
        // the pooled connection had been closed by the server (Jetty closes one after refusing a
        // malformed request, and the client may reuse it before it sees the close): nothing reached
        // a handler, so the request is sent once more, on a new connection
        response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
      }
      Response result = new Response(response.statusCode(), response.body(), response.headers().map());
      ApiContract.check(request, requestBody, result, checkRequest);
      return result;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    server.close();
  }

  /** A response: status, body text, and the body read as JSON on demand. */
  public record Response(int status, String body, Map<String, List<String>> headers) {
    public Map<String, Object> map() {
      try {
        return JSON.readValue(body, new TypeReference<Map<String, Object>>() {});
      } catch (IOException e) {
        throw new AssertionError("not a JSON object (" + status + "): " + body, e);
      }
    }

    public List<Map<String, Object>> list() {
      try {
        return JSON.readValue(body, new TypeReference<List<Map<String, Object>>>() {});
      } catch (IOException e) {
        throw new AssertionError("not a JSON array (" + status + "): " + body, e);
      }
    }

    /** The GMS error code of an error body. */
    public int code() {
      return ((Number) map().get("code")).intValue();
    }

    public String message() {
      return String.valueOf(map().get("message"));
    }
  }
}
