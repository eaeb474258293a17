package org.opencallback.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.opencallback.config.ConfigWatcher;
import org.opencallback.domain.Callback;
import org.opencallback.domain.CallbackState;
import org.opencallback.domain.Times;
import org.opencallback.testing.FakeReceiver;
import org.opencallback.testing.Gms;
import org.opencallback.testing.LogLines;
import org.opencallback.testing.TestServer;

/**
 * A hot reload through the config file that drops a service with active callbacks: refused unless
 * {@code [server] allow-service-removal}; forced, its callbacks are parked (kept, counted) and handed
 * over once the service is back (docs/reliability.md).
 */
class ServiceRemovalReloadTest {
  private static final Duration PATIENCE = Duration.ofSeconds(15);
  private TestServer server;
  private LogLines log;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
    if (log != null) {
      log.close();
    }
  }

  private static String hook(FakeReceiver receiver) {
    return String.join("\n",
        "service.Hook:",
        "  _type: ors",
        "  _execution: webhook",
        "  _webhook_url: " + receiver.url() + "/hook",
        "  _enable_in_queue_checking: false",
        "  _request_execution_time_buffer: 0",
        "");
  }

  private static final String OTHER = "service.Other:\n  _type: ors\n";
  private static final String FORCE = "server:\n  allow-service-removal: true\n";

  private void reload(String yaml) throws IOException {
    Files.writeString(server.configFile(), yaml);
  }

  /** Whether the last configuration the watcher applied (its log line lists the services) has it. */
  private boolean reloadedWith(String service) {
    String last = "";
    for (String line : log.lines()) {
      if (line.contains("Configuration reloaded")) {
        last = line;
      }
    }
    return last.matches(".*[\\[ ,]" + service + "[\\], ].*");
  }

  private boolean reloaded() {
    return log.lines().stream().anyMatch(line -> line.contains("Configuration reloaded"));
  }

  private CallbackState state(String id) {
    return server.server().store().find(id).map(Callback::state).orElseThrow();
  }

  private double parkedGauge() {
    String metrics = server.get("/metrics").body();
    for (String line : metrics.split("\n")) {
      if (line.startsWith("opencallback_callbacks_parked_unknown_service ")) {
        return Double.parseDouble(line.substring(line.indexOf(' ') + 1).trim());
      }
    }
    throw new AssertionError("no parked gauge in /metrics");
  }

  @Test
  void a_reload_dropping_a_service_with_active_callbacks_is_refused_unless_forced() throws IOException {
    log = new LogLines(ConfigWatcher.class);
    try (FakeReceiver receiver = FakeReceiver.start()) {
      server = TestServer.start(hook(receiver) + OTHER);
      Gms.start(server, "Hook", Map.of("_customer_number", "+15553330500",
          "_desired_time", Times.format(Instant.now().plus(Duration.ofDays(2)))));
      Gms.start(server, "Hook", Map.of("_customer_number", "+15553330501",
          "_desired_time", Times.format(Instant.now().plus(Duration.ofDays(3)))));

      reload(OTHER + "service.Renamed:\n  _type: ors\n");
      await().atMost(PATIENCE).until(() -> log.lines().stream().anyMatch(line -> line.contains("service Hook has 2")));
      assertThat(reloaded()).as("refused: the configuration in force stays").isFalse();
      assertThat(log.lines()).filteredOn(line -> line.startsWith("ERROR"))
          .singleElement().asString().contains("active callback(s)", "allow-service-removal");

      reload(OTHER + "service.Renamed:\n  _type: ors\n" + FORCE);
      await().atMost(PATIENCE).until(() -> reloadedWith("Renamed"));
      assertThat(reloadedWith("Hook")).isFalse();
    }
  }

  @Test
  void callbacks_of_a_removed_service_stay_parked_counted_and_go_out_once_when_it_is_back() throws IOException {
    log = new LogLines(ConfigWatcher.class);
    try (FakeReceiver receiver = FakeReceiver.start()) {
      server = TestServer.start(hook(receiver) + OTHER);
      String due = Gms.start(server, "Hook", Map.of("_customer_number", "+15553330600",
          "_desired_time", Times.format(Instant.now().plusSeconds(8))));
      String later = Gms.start(server, "Hook", Map.of("_customer_number", "+15553330601",
          "_desired_time", Times.format(Instant.now().plus(Duration.ofDays(1)))));

      reload(OTHER + FORCE);
      await().atMost(PATIENCE).until(() -> reloadedWith("Other") && !reloadedWith("Hook"));
      // the due one falls due while its service is unknown: claimed, kept QUEUED and counted, not failed
      assertThat(state(due)).as("not due yet when its service goes").isEqualTo(CallbackState.SCHEDULED);
      await().atMost(PATIENCE).untilAsserted(() -> assertThat(parkedGauge())
          .as("state %s, deliveries %s", state(due), receiver.requests("/hook").size()).isEqualTo(1.0));
      assertThat(state(due)).isEqualTo(CallbackState.QUEUED);
      assertThat(state(later)).isEqualTo(CallbackState.SCHEDULED);
      assertThat(receiver.requests("/hook")).isEmpty();

      reload(hook(receiver) + OTHER);
      await().atMost(PATIENCE).until(() -> receiver.requests("/hook").size() == 1);
      await().atMost(PATIENCE).until(() -> parkedGauge() == 0.0);
      await().pollDelay(Duration.ofSeconds(2)).atMost(PATIENCE).until(() -> true);
      assertThat(receiver.requests("/hook")).extracting(request -> request.json().get("_id")).containsExactly(due);
      assertThat(state(due)).isEqualTo(CallbackState.QUEUED);
      assertThat(state(later)).isEqualTo(CallbackState.SCHEDULED);
    }
  }
}
