package org.opencallback.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How a SQLite store is opened: its pragmas, its two pools, its file lock, its statistics. */
class SqliteDatabaseTest {
  @TempDir
  Path dir;

  private String url() {
    return Database.embeddedUrl(dir.resolve("data"), Dialect.SQLITE);
  }

  @Test
  void the_writer_runs_in_wal_mode_with_the_chosen_sync_and_a_busy_timeout() throws Exception {
    try (Database database = Database.open(url(), null, null, 2)) {
      assertThat(database.dialect()).isEqualTo(Dialect.SQLITE);
      assertThat(pragma(database.dataSource(), "journal_mode")).isEqualTo("wal");
      assertThat(pragma(database.dataSource(), "synchronous")).isEqualTo("1"); // NORMAL
      assertThat(pragma(database.dataSource(), "busy_timeout")).isEqualTo("10000");
      assertThat(pragma(database.dataSource(), "foreign_keys")).isEqualTo("1");
      assertThat(pragma(database.dataSource(), "wal_autocheckpoint")).isEqualTo("16384");
    }
    try (Database database = Database.open(url(), null, null, 2, Database.Sync.FULL)) {
      assertThat(pragma(database.dataSource(), "synchronous")).isEqualTo("2"); // FULL
      assertThat(pragma(database.readDataSource(), "synchronous")).isEqualTo("2");
    }
  }

  @Test
  void readers_are_a_pool_apart_that_cannot_write() throws Exception {
    try (Database database = Database.open(url(), null, null, 3)) {
      assertThat(database.readDataSource()).isNotSameAs(database.dataSource());
      assertThat(database.readDataSource().getMaximumPoolSize()).isEqualTo(3);
      assertThat(database.dataSource().getMaximumPoolSize()).isEqualTo(1);
      try (Connection connection = database.readDataSource().getConnection();
          Statement statement = connection.createStatement()) {
        assertThatThrownBy(() -> statement.executeUpdate("DELETE FROM paused_service"))
            .isInstanceOf(SQLException.class).hasMessageContaining("readonly");
      }
    }
  }

  @Test
  void a_second_server_on_the_same_file_is_refused_until_the_first_closes() {
    Database first = Database.open(url(), null, null, 2);
    try {
      assertThatThrownBy(() -> Database.open(url(), null, null, 2))
          .isInstanceOf(DatabaseException.class).hasMessageContaining("in use by another OpenCallback");
    } finally {
      first.close();
    }
    Database.open(url(), null, null, 2).close();
  }

  @Test
  void statistics_are_taken_at_open_and_refreshed_after_a_purge_that_deleted_rows() throws Exception {
    try (Database database = Database.open(url(), null, null, 2)) {
      try (Connection connection = database.dataSource().getConnection();
          Statement statement = connection.createStatement();
          ResultSet tables = statement.executeQuery("SELECT COUNT(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")) {
        tables.next();
        assertThat(tables.getInt(1)).as("ANALYZE ran at open").isEqualTo(1);
      }
      JdbcCallbackStore store = new JdbcCallbackStore(database, new ObjectMapper());
      Instant now = Instant.parse("2026-03-02T10:00:00Z");
      assertThat(store.purgeBookings(now, 100)).isZero();
      assertThat(store.statisticsRefreshes()).as("nothing deleted, nothing to refresh").isZero();
      try (Connection connection = database.dataSource().getConnection();
          Statement statement = connection.createStatement()) {
        statement.executeUpdate("INSERT INTO booking_count VALUES ('svc', 0, 1)");
      }
      assertThat(store.purgeBookings(now, 100)).isEqualTo(1);
      assertThat(store.statisticsRefreshes()).isEqualTo(1);
    }
  }

  @Test
  void the_url_picks_the_dialect() {
    assertThat(Database.dialectOf("jdbc:sqlite:/data/opencallback.sqlite")).isEqualTo(Dialect.SQLITE);
    assertThat(Database.dialectOf("jdbc:h2:file:/data/opencallback")).isEqualTo(Dialect.H2);
    assertThat(Database.dialectOf("jdbc:postgresql://127.0.0.1/db")).isEqualTo(Dialect.POSTGRESQL);
    assertThat(Database.embeddedUrl(Path.of("/data"), Dialect.SQLITE)).isEqualTo("jdbc:sqlite:/data/opencallback.sqlite");
  }

  private static String pragma(DataSource dataSource, String name) throws SQLException {
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery("PRAGMA " + name)) {
      result.next();
      return result.getString(1);
    }
  }
}
