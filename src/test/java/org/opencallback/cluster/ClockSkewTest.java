package org.opencallback.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opencallback.engine.builtin.BuiltinEngine;
import org.opencallback.testing.Gms;
import org.opencallback.testing.LogLines;
import org.opencallback.testing.TestPostgres;
import org.opencallback.testing.TestServer;

/**
 * Issue 16: a node whose clock runs 20 s ahead (an injected {@link Clock}) beside a node on the
 * right time, two full servers on one embedded PostgreSQL, lease 2 s. Leases and heartbeats are
 * the database's clock, so over several lease periods with callbacks falling due nobody is evicted
 * or fenced, no node rejoins, and every callback goes through its lifecycle once (never dialled
 * twice, never queued again). With leases on the node's clock, the node ahead would see the other's
 * heartbeat as 20 s old and take it over at every heartbeat (checked: this test then fails).
 */
class ClockSkewTest {
  private static final Duration SKEW = Duration.ofSeconds(20);
  private static final Duration LEASE = Duration.ofSeconds(2);
  private static final String CONFIG = String.join("\n",
      "service.S:",
      "  _type: ors",
      "  _enable_in_queue_checking: false",
      "  _request_execution_time_buffer: 0",
      "  _max_request_by_time_bucket: 100000",
      "  _throttle_callbacks_per_service_1: 100000",
      "  _throttle_callbacks_per_service_2: 100000",
      "  _max_queued_callbacks_per_service: 100000",
      "engine:",
      "  agents: 3",
      "  ring_time: 100ms",
      "  talk_time: 300ms",
      "cluster:",
      "  lease: 2s",
      "  heartbeat: 200ms",
      "");
  private static final List<String> LIFECYCLE = List.of("QUEUED", "ROUTING", "PROCESSING", "COMPLETED");

  @Test
  void a_node_20_s_ahead_evicts_nobody_and_nothing_is_dialled_twice() throws Exception {
    String url = TestPostgres.newDatabaseUrl();
    try (LogLines membership = new LogLines(ClusterMembership.class);
        LogLines engine = new LogLines(BuiltinEngine.class);
        TestServer right = TestServer.start(CONFIG, "--db-url", url, "--node-id", "right");
        TestServer ahead = TestServer.start(CONFIG, Clock.offset(Clock.systemUTC(), SKEW),
            "--db-url", url, "--node-id", "ahead")) {
      Map<String, String> instances = instances(url);
      assertThat(instances).containsOnlyKeys("right", "ahead");
      long since = System.nanoTime();

      List<String> ids = new ArrayList<>();
      Instant now = Instant.now();
      for (int i = 0; i < 40; i++) {
        String number = "+1617555" + String.format("%04d", 3000 + i);
        if (i % 2 == 0) {
          // immediate ones on both nodes
          ids.add(Gms.start(i % 4 == 0 ? right : ahead, "S", Gms.body("_customer_number", number)));
        } else {
          // due over the next 2…8 s (created where the clock is right: the node ahead may take them early)
          ids.add(Gms.start(right, "S", Gms.body("_customer_number", number,
              "_desired_time", Gms.iso(now.plusMillis(2_000 + 300L * i / 2)))));
        }
      }

      // every callback done, and at least five leases gone by with both nodes running
      await().atMost(Duration.ofSeconds(60))
          .failFast("a node was evicted or fenced", () -> membership.lines().stream().anyMatch(ClockSkewTest::eviction))
          .until(() -> count(url, "state <> 'COMPLETED'") == 0
          && System.nanoTime() - since > LEASE.multipliedBy(5).toNanos());

      assertThat(instances(url)).as("no node was taken over and joined again").isEqualTo(instances);
      assertThat(count(url, "owner_node = 'right'") + count(url, "owner_node = 'ahead'")).isEqualTo(40);
      assertThat(membership.lines()).as("nobody evicted, nobody fenced")
          .noneMatch(ClockSkewTest::eviction);
      assertThat(engine.lines()).noneMatch(line -> line.contains("suspended"));
      Map<String, List<String>> histories = histories(url);
      assertThat(histories).containsOnlyKeys(ids);
      histories.forEach((id, states) -> {
        List<String> lifecycle = states.get(0).equals("SCHEDULED") ? states.subList(1, states.size()) : states;
        assertThat(lifecycle).as(id + " " + states).isEqualTo(LIFECYCLE);
      });
      // both nodes still hold fresh leases by the database's clock
      assertThat(staleNodes(url)).isZero();
    }
  }

  private static boolean eviction(String line) {
    return line.contains("Took over") || line.contains("fenced") || line.contains("joined the cluster again");
  }

  private static Map<String, String> instances(String url) throws Exception {
    Map<String, String> instances = new HashMap<>();
    try (Connection connection = DriverManager.getConnection(url);
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT node_id, instance FROM node")) {
      while (rows.next()) {
        instances.put(rows.getString(1), rows.getString(2));
      }
    }
    return instances;
  }

  private static long staleNodes(String url) throws Exception {
    try (Connection connection = DriverManager.getConnection(url);
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM node WHERE heartbeat_at"
            + " < CAST(EXTRACT(EPOCH FROM CURRENT_TIMESTAMP) * 1000 AS BIGINT) - " + LEASE.toMillis())) {
      rows.next();
      return rows.getLong(1);
    }
  }

  private static long count(String url, String where) throws Exception {
    return StoredRows.count(url, "SELECT COUNT(*) FROM callback WHERE " + where);
  }

  private static Map<String, List<String>> histories(String url) throws Exception {
    return StoredRows.histories(url);
  }
}
