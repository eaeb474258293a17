package org.opencallback.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.opencallback.config.ConfigLoader;
import org.opencallback.testing.TestServer;

/**
 * The README's quick start as a newcomer runs it: its shell blocks that talk to the server (curl),
 * exactly as written except for the port, with bash and curl, against the bundled demo configuration.
 */
class ReadmeQuickStartTest {
  private static final Pattern SH_BLOCK = Pattern.compile("(?s)```sh\\n(.*?)```");

  static List<String> quickStartCurlBlocks() throws IOException {
    String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
    int start = readme.indexOf("## Quick start");
    int end = readme.indexOf("\n## ", start + 1);
    Matcher blocks = SH_BLOCK.matcher(readme.substring(start, end));
    List<String> found = new ArrayList<>();
    while (blocks.find()) {
      String block = blocks.group(1);
      // building, running the jar and editing files are the newcomer's, not the server's
      if (block.contains("curl ") && !block.contains("mvnw") && !block.contains("java -jar")) {
        found.add(block);
      }
    }
    return found;
  }

  @Test
  void the_quick_start_curl_lines_work_on_the_demo_as_written() throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/curl")) && Files.isExecutable(Path.of("/bin/bash")),
        "bash and curl are needed");
    List<String> blocks = quickStartCurlBlocks();
    assertThat(blocks).hasSizeGreaterThanOrEqualTo(2);
    String demo = new String(ReadmeQuickStartTest.class.getResourceAsStream(ConfigLoader.BUNDLED_DEMO).readAllBytes(),
        StandardCharsets.UTF_8);
    try (TestServer server = TestServer.startAsWritten(demo, java.time.Clock.systemUTC())) {
      String host = server.base().replace("http://", "");
      StringBuilder output = new StringBuilder();
      for (String block : blocks) {
        output.append(run(block.replace("localhost:8080", host)));
      }
      String all = output.toString();
      // the try-it block: an immediate and a scheduled start, both accepted
      assertThat(Pattern.compile("\"_id\":\"\\d+-").matcher(all).results().count()).isGreaterThanOrEqualTo(3);
      assertThat(all).doesNotContain("\"code\":4").doesNotContain("\"code\":5");
      // the end-to-end block: the demo's simulated agents complete it
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
              server.get("/genesys/1/service/callback/BasicCallback?_customer_number=%2B16175550123").list())
          .isNotEmpty()
          .allSatisfy(callback -> assertThat(callback).containsEntry("_callback_state", "COMPLETED")
              .containsEntry("_callback_reason", "AGENT_CONNECTED")));
      List<Map<String, Object>> scheduled =
          server.get("/genesys/1/service/callback/BasicCallback?_customer_number=%2B16175550124").list();
      assertThat(scheduled).singleElement().satisfies(callback -> assertThat(callback).containsEntry("_callback_state", "SCHEDULED"));
    }
  }

  private static String run(String script) throws IOException, InterruptedException {
    Process process = new ProcessBuilder("/bin/bash", "-c", "set -e\n" + script).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(script + "\n" + out).isZero();
    return out + "\n";
  }
}
