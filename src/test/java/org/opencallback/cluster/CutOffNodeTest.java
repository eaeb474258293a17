package org.opencallback.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.spi.ILoggingEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.opencallback.engine.builtin.BuiltinEngine;
import org.opencallback.testing.Gms;
import org.opencallback.testing.LogLines;
import org.opencallback.testing.TestPostgres;
import org.opencallback.testing.TestServer;

/**
 * Issue 16: a node cut off from the database, two full servers on one embedded PostgreSQL. Node a
 * reaches the database through a loopback TCP proxy ({@link TcpCable}); while a's simulated agents
 * are dialling and talking to callbacks it owns, the proxy resets every connection and refuses new
 * ones. Node a stops its engine (every dial hung up, agents freed) before node b takes a's callbacks
 * over; b's agents finish them; when the cable is back a joins afresh owning nothing it had. Every
 * callback completes once and reaches PROCESSING at most once. Lease 2 s, heartbeat 200 ms.
 */
class CutOffNodeTest {
  private static final Pattern PORT = Pattern.compile("(://[^:/]+:)(\\d+)(/)");
  private static final Pattern TOOK_OVER = Pattern.compile("Took over (\\d+) callback\\(s\\) of node a\\b");

  private static String config(int agents) {
    return String.join("\n",
        "service.S:",
        "  _type: ors",
        "  _enable_in_queue_checking: false",
        "  _max_request_by_time_bucket: 100000",
        "  _throttle_callbacks_per_service_1: 100000",
        "  _throttle_callbacks_per_service_2: 100000",
        "  _max_queued_callbacks_per_service: 100000",
        "engine:",
        "  agents: " + agents,
        "  ring_time: 300ms",
        "  talk_time: 1000ms",
        "cluster:",
        "  lease: 2s",
        "  heartbeat: 200ms",
        "");
  }

  @Test
  void a_cut_off_node_stops_dialling_before_another_takes_its_callbacks_over() throws Exception {
    String url = TestPostgres.newDatabaseUrl();
    Matcher port = PORT.matcher(url);
    assertThat(port.find()).as(url).isTrue();
    try (TcpCable cable = TcpCable.to(Integer.parseInt(port.group(2)));
        LogLines membership = new LogLines(ClusterMembership.class);
        LogLines engine = new LogLines(BuiltinEngine.class)) {
      String throughCable = port.replaceFirst("$1" + cable.port() + "$3");
      try (TestServer a = TestServer.start(config(3), "--db-url", throughCable, "--node-id", "a");
          TestServer b = TestServer.start(config(2), "--db-url", url, "--node-id", "b")) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
          ids.add(Gms.start(a, "S", Gms.body("_customer_number", "+1617555" + (5000 + i))));
        }
        // a's agents are on the phone with callbacks a owns
        await().atMost(Duration.ofSeconds(10))
            .until(() -> count(url, "owner_node = 'a' AND state IN ('ROUTING', 'PROCESSING')") >= 2);

        cable.cut();
        await().atMost(Duration.ofSeconds(15)).until(() -> tookOver(membership).isPresent());
        ILoggingEvent takeOver = tookOver(membership).orElseThrow();
        Matcher taken = TOOK_OVER.matcher(takeOver.getFormattedMessage());
        assertThat(taken.find()).isTrue();
        assertThat(Integer.parseInt(taken.group(1))).as("b took over callbacks a was handling").isPositive();
        ILoggingEvent fenced = first(membership, "Node a fenced").orElseThrow(
            () -> new AssertionError("a was never fenced: " + membership.lines()));
        ILoggingEvent suspended = first(engine, "Built-in engine suspended").orElseThrow();
        // a's engine had stopped (every dial hung up) before b took over, by at least most of the margin
        assertThat(suspended.getTimeStamp()).isGreaterThanOrEqualTo(fenced.getTimeStamp());
        assertThat(takeOver.getTimeStamp() - suspended.getTimeStamp()).as("ms from a's stop to b's take-over")
            .isGreaterThan(300);
        assertThat(membership.lines()).noneMatch(line -> line.contains("Node b fenced"));

        cable.restore();
        await().atMost(Duration.ofSeconds(30)).until(() -> count(url, "state <> 'COMPLETED'") == 0);
        await().atMost(Duration.ofSeconds(10))
            .until(() -> membership.lines().stream().anyMatch(line -> line.contains("Node a joined the cluster again")));

        Map<String, List<String>> histories = histories(url);
        assertThat(histories).containsOnlyKeys(ids);
        histories.forEach((id, states) -> {
          assertThat(states.stream().filter("PROCESSING"::equals).count()).as(id + " " + states).isLessThanOrEqualTo(1);
          assertThat(states.stream().filter("COMPLETED"::equals).count()).as(id + " " + states).isEqualTo(1);
          assertThat(states.get(states.size() - 1)).isEqualTo("COMPLETED");
        });
        assertThat(count(url, "reason IS NULL")).isZero();
      }
    }
  }

  private static Optional<ILoggingEvent> tookOver(LogLines lines) {
    return lines.events().stream().filter(event -> TOOK_OVER.matcher(event.getFormattedMessage()).find()).findFirst();
  }

  private static Optional<ILoggingEvent> first(LogLines lines, String text) {
    return lines.events().stream().filter(event -> event.getFormattedMessage().contains(text)).findFirst();
  }

  private static long count(String url, String where) throws Exception {
    return StoredRows.count(url, "SELECT COUNT(*) FROM callback WHERE " + where);
  }

  private static Map<String, List<String>> histories(String url) throws Exception {
    return StoredRows.histories(url);
  }
}
