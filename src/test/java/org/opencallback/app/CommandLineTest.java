package org.opencallback.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencallback.testing.ForkedServer;

class CommandLineTest {

  @Test
  void flag_beats_variable_and_variable_beats_default() throws Exception {
    Map<String, String> env = Map.of("OPENCALLBACK_PORT", "9001", "OPENCALLBACK_DATA_DIR", "/tmp/x",
        "OPENCALLBACK_NODE_ID", "3");
    Settings fromEnv = Settings.parse(new String[0], env::get);
    Settings fromFlag = Settings.parse(new String[] {"--port", "9002", "--node-id=4"}, env::get);
    Settings defaults = Settings.parse(new String[0], name -> null);

    assertThat(fromEnv.port()).isEqualTo(9001);
    assertThat(fromEnv.dataDir()).isEqualTo(Path.of("/tmp/x"));
    assertThat(fromFlag.port()).isEqualTo(9002);
    assertThat(fromFlag.nodeId()).isEqualTo("4");
    assertThat(defaults.port()).isEqualTo(8080);
    assertThat(defaults.dataDir()).isEqualTo(Path.of("data"));
    assertThat(defaults.config()).isNull();
    assertThat(defaults.dbUrl()).isNull();
  }

  @Test
  void bad_flags_are_refused_with_a_message() {
    assertThatThrownBy(() -> Settings.parse(new String[] {"--no-such-flag"}, n -> null))
        .hasMessageContaining("--no-such-flag");
    assertThatThrownBy(() -> Settings.parse(new String[] {"--port"}, n -> null))
        .hasMessageContaining("missing value");
    assertThatThrownBy(() -> Settings.parse(new String[] {"--port", "http"}, n -> null))
        .hasMessageContaining("invalid port");
    assertThatThrownBy(() -> Settings.parse(new String[] {"--db-url", "mysql://x"}, n -> null))
        .hasMessageContaining("--db-url");
  }

  private static Result run(Path dir, String... args) throws Exception {
    try (ForkedServer process = ForkedServer.start(dir, 0, args)) {
      return result(process);
    }
  }

  private record Result(int exit, String output) {}

  @Test
  void bad_start_exits_2_with_one_clear_line(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("bad.yaml"), "service.S:\n  _ttl: later\n");

    // four processes at once: the refused database alone takes the pool's 10 s start-up bound
    try (ForkedServer flag = ForkedServer.start(dir, 0, "--bogus");
        ForkedServer config = ForkedServer.start(dir, 0, "--config", dir.resolve("bad.yaml").toString(), "--port", "0");
        ForkedServer missing = ForkedServer.start(dir, 0, "--config", dir.resolve("none.yaml").toString(), "--port", "0");
        ForkedServer db = ForkedServer.start(dir, 0, "--port", "0", "--db-url", "jdbc:postgresql://127.0.0.1:1/none")) {
      assertBadStart(result(flag), result(config), result(missing), result(db));
    }
  }

  private static Result result(ForkedServer process) throws InterruptedException {
    int exit = process.waitForExit(Duration.ofSeconds(60));
    return new Result(exit, String.join("\n", process.output()));
  }

  private static void assertBadStart(Result badFlag, Result badConfig, Result missingConfig, Result badDb) {
    assertThat(badFlag.exit()).isEqualTo(2);
    assertThat(badFlag.output()).contains("--bogus").doesNotContain("Exception");
    assertThat(badConfig.exit()).isEqualTo(2);
    assertThat(badConfig.output()).contains("_ttl").contains("later").doesNotContain("\tat ");
    assertThat(missingConfig.exit()).isEqualTo(2);
    assertThat(missingConfig.output()).contains("none.yaml");
    assertThat(badDb.exit()).isEqualTo(2);
    assertThat(badDb.output()).contains("cannot connect to database").doesNotContain("\tat ");
  }

  @Test
  void hash_password_prints_a_bcrypt_hash(@TempDir Path dir) throws Exception {
    Result result = run(dir, "hash-password", "s3cret");

    assertThat(result.exit()).isZero();
    assertThat(result.output().trim()).matches("\\$2a\\$12\\$.{53}");
  }

  @Test
  void without_a_config_file_the_demo_runs_and_sigterm_exits_0(@TempDir Path dir) throws Exception {
    int port = ForkedServer.freePort();
    try (ForkedServer server = ForkedServer.start(dir, port, "--port", String.valueOf(port))) {
      assertThat(server.awaitListening(Duration.ofSeconds(60))).as(String.join("\n", server.output())).isTrue();
      HttpClient client = HttpClient.newHttpClient();
      HttpResponse<String> ready = client.send(
          HttpRequest.newBuilder(URI.create(server.base() + "/health/ready")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(ready.statusCode()).isEqualTo(200);
      HttpResponse<String> created = client.send(
          HttpRequest.newBuilder(URI.create(server.base() + "/genesys/1/service/callback/BasicCallback"))
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString("{\"_customer_number\":\"+16175550123\"}"))
              .build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
      assertThat(Files.isDirectory(dir.resolve("data"))).isTrue();

      assertThat(server.terminate(Duration.ofSeconds(10))).isZero();
    }
  }
}
