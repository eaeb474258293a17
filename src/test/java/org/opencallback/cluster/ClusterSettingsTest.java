package org.opencallback.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.opencallback.config.ConfigLoader;
import org.opencallback.config.Configuration;
import org.opencallback.testing.TestPostgres;
import org.opencallback.testing.TestServer;

/** {@code [cluster] lease}, {@code [cluster] heartbeat} and {@code [database] pool-size}. */
class ClusterSettingsTest {
  private static Configuration yaml(String text) throws Exception {
    return Configuration.from(
        ConfigLoader.parse(text.getBytes(StandardCharsets.UTF_8), "test.yaml", "test.yaml"), "test.yaml");
  }

  @Test
  void defaults_are_the_lease_heartbeat_and_pool_the_cluster_was_built_with() throws Exception {
    ClusterSettings settings = ClusterSettings.of(yaml("service.S:\n  _type: ors\n"));

    assertThat(settings.lease()).isEqualTo(Duration.ofSeconds(15));
    assertThat(settings.heartbeat()).isEqualTo(Duration.ofSeconds(3));
    assertThat(settings.poolSize()).isEqualTo(10);
  }

  @Test
  void options_are_read_as_durations_and_a_whole_number() throws Exception {
    Configuration configuration = yaml("cluster:\n  lease: 4s\n  heartbeat: 500ms\ndatabase:\n  pool-size: 3\n");
    ClusterSettings.CHECK.validate(configuration);

    assertThat(ClusterSettings.of(configuration))
        .isEqualTo(new ClusterSettings(Duration.ofSeconds(4), Duration.ofMillis(500), 3));
  }

  @Test
  void impossible_values_stop_the_start_naming_section_option_and_value() {
    assertThatThrownBy(() -> TestServer.start("cluster:\n  lease: 5s\n  heartbeat: 3s\n"))
        .hasMessageContaining("section [cluster] option lease: value \"5s\" is invalid: expected at least twice the heartbeat");
    assertThatThrownBy(() -> TestServer.start("cluster:\n  heartbeat: 50ms\n"))
        .hasMessageContaining("section [cluster] option heartbeat: value \"50ms\" is invalid: expected at least 100ms");
    assertThatThrownBy(() -> TestServer.start("cluster:\n  lease: soon\n"))
        .hasMessageContaining("section [cluster] option lease: value \"soon\"");
    assertThatThrownBy(() -> TestServer.start("database:\n  pool-size: 0\n"))
        .hasMessageContaining("section [database] option pool-size: value \"0\"");
  }

  @Test
  void a_cluster_node_heartbeats_as_configured_and_opens_the_pool_size_asked() throws Exception {
    String url = TestPostgres.newDatabaseUrl();
    String database = url.replaceAll(".*/([^/?]+)(\\?.*)?$", "$1");
    try (TestServer node = TestServer.start(
            "engine:\n  agents: 0\ncluster:\n  lease: 2s\n  heartbeat: 200ms\ndatabase:\n  pool-size: 3\n",
            "--db-url", url, "--node-id", "hb");
        Connection connection = DriverManager.getConnection(url)) {
      AtomicLong first = new AtomicLong();
      first.set(heartbeat(connection));
      // a heartbeat every 200 ms: several within a second (the default is one per 3 s)
      await().atMost(Duration.ofSeconds(2)).until(() -> heartbeat(connection) > first.get());
      long second = heartbeat(connection);
      await().atMost(Duration.ofSeconds(2)).until(() -> heartbeat(connection) > second);
      // the pool fills to pool-size; the LISTEN connection is the only one beyond it
      await().atMost(Duration.ofSeconds(10)).until(() -> connections(connection, database) >= 3);
      assertThat(connections(connection, database)).isLessThanOrEqualTo(3 + 1 + 1);
    }
  }

  private static long heartbeat(Connection connection) throws Exception {
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT heartbeat_at FROM node WHERE node_id = 'hb'")) {
      return rows.next() ? rows.getLong(1) : 0;
    }
  }

  /** Connections to the database, this test's own included. */
  private static int connections(Connection connection, String database) throws Exception {
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = '" + database + "'")) {
      rows.next();
      return rows.getInt(1);
    }
  }
}
