package org.opencallback.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencallback.domain.Callback;
import org.opencallback.domain.CallbackState;
import org.opencallback.domain.StateChange;
import org.opencallback.store.Database;
import org.opencallback.store.Dialect;
import org.opencallback.store.JdbcCallbackStore;
import org.opencallback.testing.TestPostgres;

/**
 * The seeding tool writes exactly the rows the store writes for the same callbacks and state
 * changes, so that benchmarks on seeded data measure what a server that took those requests holds.
 */
class SeedCallbacksTest {
  private static final Instant NOW = Instant.parse("2026-03-02T10:00:00Z");
  private static final List<String> TABLES = List.of(
      "SELECT * FROM callback ORDER BY id",
      "SELECT * FROM callback_key ORDER BY callback_id, key_name",
      "SELECT * FROM callback_history ORDER BY callback_id, seq",
      "SELECT * FROM booking_count ORDER BY service, slot_start");

  @TempDir
  Path dir;

  @Test
  void seeded_rows_are_the_rows_the_store_writes_on_h2() throws Exception {
    compare(() -> Database.open(Database.embeddedUrl(dir.resolve("db" + System.nanoTime()), Dialect.H2), "sa", "", 2), Dialect.H2);
  }

  @Test
  void seeded_rows_are_the_rows_the_store_writes_on_sqlite() throws Exception {
    compare(() -> Database.open(Database.embeddedUrl(dir.resolve("db" + System.nanoTime()), Dialect.SQLITE), null, null, 2),
        Dialect.SQLITE);
  }

  @Test
  void seeded_rows_are_the_rows_the_store_writes_on_postgres() throws Exception {
    compare(TestPostgres::database, Dialect.POSTGRESQL);
  }

  @Test
  void sample_paths_name_seeded_callbacks() throws Exception {
    SeedCallbacks seeder = new SeedCallbacks();
    SeedCallbacks.Generator generator = seeder.spread(SeedCallbacks.DEFAULT_SERVICES, NOW, 35, 0, 7);
    try (Database database = Database.open(Database.embeddedUrl(dir.resolve("sample"), Dialect.H2), "sa", "", 2);
        Connection connection = database.dataSource().getConnection()) {
      try (SeedCallbacks.Sample sample = new SeedCallbacks.Sample(dir.resolve("paths"), 50, 10, 7)) {
        seeder.write(connection, Dialect.H2, generator, 50, sample, done -> { });
      }
      List<String> ids = Files.readAllLines(dir.resolve("paths/ids.txt"));
      List<String> numbers = Files.readAllLines(dir.resolve("paths/numbers.txt"));
      assertThat(ids).hasSize(10).allMatch(p -> p.matches("/genesys/1/service/callback/[A-Za-z]+/1-[-0-9a-f]+"));
      assertThat(numbers).hasSize(10)
          .allMatch(p -> p.matches("/genesys/1/service/callback/[A-Za-z]+\\?_customer_number=%2B1\\d{10}"));
      List<String> stored = rows(connection, "SELECT service, id FROM callback").stream()
          .map(row -> "/genesys/1/service/callback/" + row.replace("|", "/")).toList();
      assertThat(stored).containsAll(ids);
    }
  }

  @Test
  void a_store_seeded_at_an_old_schema_is_migrated_by_the_next_open() throws Exception {
    for (String store : List.of("h2", "sqlite")) {
      Path data = dir.resolve("old-" + store);
      SeedCallbacks.main(new String[] {"--data-dir", data.toString(), "--store", store, "--count", "120",
          "--schema-version", "9", "--services", "A,B", "--paths-dir", data.resolve("paths").toString()});
      Dialect dialect = store.equals("h2") ? Dialect.H2 : Dialect.SQLITE;
      String url = Database.embeddedUrl(data, dialect);
      try (Connection connection = java.sql.DriverManager.getConnection(url, "", "")) {
        assertThat(rows(connection, "SELECT \"version\" FROM \"flyway_schema_history\" ORDER BY \"installed_rank\""))
            .as(store).last().isEqualTo("9");
        assertThat(rows(connection, "SELECT COUNT(*) FROM callback")).as(store).containsExactly("120");
      }
      try (Database database = Database.open(url, null, null, 2)) { // as a server without --db-user
        JdbcCallbackStore store2 = new JdbcCallbackStore(database, new ObjectMapper());
        String path = Files.readAllLines(data.resolve("paths/ids.txt")).get(0);
        String id = path.substring(path.lastIndexOf('/') + 1);
        assertThat(store2.find(id)).as(store).hasValueSatisfying(c -> assertThat(c.serverState()).isEmpty());
        try (Connection connection = database.dataSource().getConnection()) {
          assertThat(rows(connection, "SELECT COUNT(*) FROM callback WHERE server_state = '{}'")).as(store)
              .containsExactly("120");
        }
      }
    }
  }

  @Test
  void the_sqlite_data_dir_is_the_one_a_server_opens_by_default() throws Exception {
    Path data = dir.resolve("sqlite");
    SeedCallbacks.main(new String[] {"--data-dir", data.toString(), "--store", "sqlite", "--count", "30"});
    assertThat(data.resolve("opencallback.sqlite")).exists();
    assertThat(data.resolve("opencallback.mv.db")).doesNotExist();
    try (Database database = Database.open(Database.embeddedUrl(data, Dialect.SQLITE), null, null, 2);
        Connection connection = database.dataSource().getConnection()) {
      assertThat(rows(connection, "SELECT COUNT(*) FROM callback")).containsExactly("30");
    }
  }

  private void compare(Supplier<Database> open, Dialect dialect) throws Exception {
    SeedCallbacks seeder = new SeedCallbacks();
    List<SeedCallbacks.Seeded> seeded = new ArrayList<>();
    SeedCallbacks.Generator spread = seeder.spread(List.of("A", "B"), NOW, 35, 0, 3);
    for (int i = 0; i < 300; i++) {
      seeded.add(spread.next(i));
    }
    SeedCallbacks.Generator due = seeder.dueAt("C", NOW, NOW.plusSeconds(60), 1000);
    for (int i = 0; i < 20; i++) {
      seeded.add(due.next(i));
    }
    assertThat(seeded).extracting(s -> s.callback().state())
        .contains(CallbackState.SCHEDULED, CallbackState.COMPLETED);
    assertThat(seeded).anyMatch(s -> s.callback().immediate());

    try (Database bySeeder = open.get(); Database byStore = open.get()) {
      try (Connection connection = bySeeder.dataSource().getConnection()) {
        seeder.write(connection, dialect, seeded::get, seeded.size(),
            new SeedCallbacks.Sample(null, 0, 0, 0), done -> { });
      }
      JdbcCallbackStore store = new JdbcCallbackStore(byStore, new ObjectMapper());
      for (SeedCallbacks.Seeded s : seeded) {
        assertThat(throughStore(store, s)).isEqualTo(s.callback());
      }
      try (Connection a = bySeeder.dataSource().getConnection();
          Connection b = byStore.dataSource().getConnection()) {
        for (String table : TABLES) {
          assertThat(rows(a, table)).as(table).isNotEmpty().isEqualTo(rows(b, table));
        }
      }
    }
  }

  /** Creates the callback as the API would and applies its state changes through the store. */
  private static Callback throughStore(JdbcCallbackStore store, SeedCallbacks.Seeded seeded) {
    Callback last = seeded.callback();
    StateChange first = seeded.history().get(0);
    Callback current = new Callback(last.id(), last.service(), first.state(), first.reason(), last.customerNumber(),
        last.desiredTime(), last.timeScheduled(), last.expirationTime(),
        first.state() == CallbackState.SCHEDULED ? last.desiredTime() : null, last.properties(), last.serverState(), last.immediate(),
        1, first.at());
    store.insert(current, first);
    for (StateChange change : seeded.history().subList(1, seeded.history().size())) {
      Callback next = current.withState(change.state(), change.reason(), null, change.at());
      assertThat(store.update(next, current.version(), change)).isTrue();
      current = next;
    }
    return store.find(last.id()).orElseThrow();
  }

  private static List<String> rows(Connection connection, String sql) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
      ResultSetMetaData meta = rs.getMetaData();
      while (rs.next()) {
        List<String> values = new ArrayList<>();
        for (int c = 1; c <= meta.getColumnCount(); c++) {
          values.add(String.valueOf(rs.getObject(c)));
        }
        rows.add(values.stream().collect(Collectors.joining("|")));
      }
    }
    return rows;
  }
}
