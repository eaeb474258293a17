package org.opencallback.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.opencallback.domain.Times;
import org.opencallback.testing.TestPostgres;
import org.opencallback.testing.TestServer;

/**
 * Fault injection (issue 16, docs/reliability.md): the database refuses the node for 20 s while its
 * scheduled callbacks fall due (its role may not log in, its sessions are terminated: every pooled
 * connection breaks, no new one opens). When the database answers again every callback is
 * dispatched within seconds, and none twice.
 */
class DatabaseOutageTest {
  private static final AtomicInteger ROLES = new AtomicInteger();
  private static final Duration OUTAGE = Duration.ofSeconds(20);

  @Test
  void callbacks_falling_due_during_a_20_s_outage_are_all_dispatched_soon_after_once() throws Exception {
    String url = TestPostgres.newDatabaseUrl();
    TestPostgres.migrate(url);
    String role = "outage_" + ProcessHandle.current().pid() + "_" + ROLES.incrementAndGet();
    try (Connection admin = DriverManager.getConnection(url); Statement sql = admin.createStatement()) {
      sql.execute("CREATE ROLE " + role + " LOGIN SUPERUSER PASSWORD 'outage'");
      String nodeUrl = url.replace("user=postgres", "user=" + role + "&password=outage");
      try (TestServer server = TestServer.start(String.join("\n",
          "service.S:", "  _type: ors", "  _enable_in_queue_checking: false", "  _request_execution_time_buffer: 0",
          "engine:", "  agents: 10", "  ring_time: 10ms", "  talk_time: 10ms", ""),
          "--db-url", nodeUrl, "--node-id", "outage")) {
        // warms up the client's contract check (its first use loads the OpenAPI document)
        server.get("/genesys/1/service/callback/S?_customer_number=%2B16175550199");
        Instant start = Instant.now();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
          // falling due from 20 s to 28 s from now; the outage runs from 8 s (or when all are created) for 20 s
          String desired = Times.format(start.plusMillis(20_000 + 400L * i));
          TestServer.Response started = server.postJson("/genesys/1/service/callback/S",
              Map.of("_customer_number", "+1617555" + (2000 + i), "_desired_time", desired));
          assertThat(started.status()).as(started.body()).isEqualTo(200);
          ids.add(String.valueOf(started.map().get("_id")));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> Duration.between(start, Instant.now()).toMillis() > 8_000);

        sql.execute("ALTER ROLE " + role + " NOLOGIN");
        sql.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '" + role + "'");
        Instant cut = Instant.now();
        assertThat(Duration.between(start, cut)).as("the machine created 20 callbacks in time").isLessThan(Duration.ofSeconds(19));
        assertThat(count(sql, "SELECT COUNT(*) FROM callback WHERE state <> 'SCHEDULED'")).as("none due yet").isZero();
        await().atMost(OUTAGE.plusSeconds(5)).until(() -> Duration.between(cut, Instant.now()).compareTo(OUTAGE) >= 0);
        assertThat(count(sql, "SELECT COUNT(*) FROM callback WHERE state <> 'SCHEDULED'"))
            .as("nothing could be dispatched while the database refused the node").isZero();
        sql.execute("ALTER ROLE " + role + " LOGIN");
        Instant back = Instant.now();

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
            .until(() -> count(sql, "SELECT COUNT(*) FROM callback WHERE state <> 'COMPLETED'") == 0);
        Duration recovery = Duration.between(back, Instant.now());
        System.out.println("DatabaseOutageTest: all " + ids.size() + " callbacks COMPLETED " + recovery.toMillis()
            + " ms after the database answered again");
        assertThat(recovery).isLessThan(Duration.ofSeconds(15));
        // each dispatched once (one SCHEDULED -> QUEUED), dialled to an agent once; a callback whose dial the
        // fence broke off goes ROUTING -> QUEUED and is dialled again, as after a restart
        for (String id : ids) {
          List<String> states = history(sql, id);
          assertThat(states).as(id).startsWith("SCHEDULED", "QUEUED").endsWith("COMPLETED");
          assertThat(states.stream().filter("PROCESSING"::equals).count()).as(id + " " + states).isLessThanOrEqualTo(1);
          for (int i = 2; i < states.size(); i++) {
            if (states.get(i).equals("QUEUED")) {
              assertThat(states.get(i - 1)).as(id + " " + states).isEqualTo("ROUTING");
            }
          }
        }
      } finally {
        sql.execute("ALTER ROLE " + role + " LOGIN");
      }
    }
  }

  private static List<String> history(Statement sql, String id) throws Exception {
    List<String> states = new ArrayList<>();
    try (ResultSet rows = sql.executeQuery(
        "SELECT state FROM callback_history WHERE callback_id = '" + id + "' ORDER BY seq")) {
      while (rows.next()) {
        states.add(rows.getString(1));
      }
    }
    return states;
  }

  private static long count(Statement sql, String query) throws Exception {
    try (ResultSet rows = sql.executeQuery(query)) {
      rows.next();
      return rows.getLong(1);
    }
  }
}
