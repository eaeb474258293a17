package org.opencallback.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.opencallback.bench.SeedCallbacks;
import org.opencallback.domain.Callback;
import org.opencallback.domain.CallbackState;
import org.opencallback.domain.StateChange;
import org.opencallback.store.CallbackStore;
import org.opencallback.store.Database;
import org.opencallback.store.JdbcServicePauseStore;
import org.opencallback.testing.Gms;
import org.opencallback.testing.TestPostgres;
import org.opencallback.testing.TestServer;

/**
 * {@code move-store} (issue 18, docs/upgrading.md): an H2 data directory filled by the seeding code
 * and by the real server and store (callbacks in every state, their keys and history, server-owned
 * state, resolved options, admission counters, a paused service) moves into another store row for
 * row, and a server started on the target reads the callbacks over HTTP; the refusals end in one
 * line and exit code 2 and leave both stores as they were.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MoveStoreTest {
  static final String CONFIG = String.join("\n",
      "service.Sales:", "  _type: ors", "service.Support:", "  _type: ors", "service.Billing:", "  _type: ors",
      "service.Claims:", "  _type: ors", "service.Retention:", "  _type: ors",
      "engine:", "  agents: 0", "");
  /** The tables moved (docs/upgrading.md); every one of them holds rows in the seeded store. */
  static final List<String> TABLES = List.of(
      "callback", "callback_key", "callback_history", "booking_count", "throttle_count", "paused_service");
  private static final String NEXT_WEEK =
      Gms.iso(Instant.now().plus(Duration.ofDays(7)).truncatedTo(ChronoUnit.HOURS));

  private Path source;
  private Map<String, List<String>> before;
  /** Callbacks written by the server and store: id to service and state. */
  private final Map<String, String[]> samples = new LinkedHashMap<>();

  @BeforeAll
  void seed() throws Exception {
    source = Files.createTempDirectory("opencallback-move-source-");
    // an H2 store, as an earlier version left it (SQLite is the embedded default now)
    try (TestServer server = TestServer.start(CONFIG, "--data-dir", source.toString(),
        "--db-url", Database.embeddedUrl(source))) {
      CallbackStore store = server.server().store();
      Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
      for (CallbackState state : CallbackState.values()) {
        for (int i = 0; i < 5; i++) {
          String id = "move-" + state + "-" + i;
          Instant desired = now.plus(Duration.ofDays(3));
          Callback scheduled = new Callback(id, "Claims", CallbackState.SCHEDULED, null, "+1646555" + String.format("%04d",
              state.ordinal() * 10 + i), desired, now, desired.plus(Duration.ofDays(1)), desired,
              Map.of("first_name", "Ünïcode ‘" + i + "’", "n", i, "nested", Map.of("a", List.of(1, 2))),
              Map.of("_ors_session_id", "session-" + i), false, 1, now, Map.of("_ttl", "7200"));
          store.insert(scheduled, new StateChange(CallbackState.SCHEDULED, null, now, "api"));
          if (state != CallbackState.SCHEDULED) {
            Callback moved = new Callback(id, "Claims", state, state == CallbackState.COMPLETED ? "CANCELLED" : null,
                scheduled.customerNumber(), desired, now, scheduled.expirationTime(), null, scheduled.properties(),
                Map.of("_ors_session_id", "session-" + i, "_error", "none"), false, 2, now.plusSeconds(1),
                scheduled.resolvedOptions());
            assertThat(store.update(moved, 1, new StateChange(state, moved.reason(), now.plusSeconds(1), "engine")))
                .isTrue();
          }
          samples.put(id, new String[] {"Claims", state.name()});
        }
      }
      // through the API: immediate ones (QUEUED, no agents; throttle counts), a scheduled one, a pause
      for (int i = 0; i < 5; i++) {
        samples.put(Gms.start(server, "Sales", Gms.body("_customer_number", "+1212555010" + i)),
            new String[] {"Sales", "QUEUED"});
      }
      samples.put(Gms.start(server, "Support", Gms.body("_customer_number", "+13125550100", "_desired_time", NEXT_WEEK)),
          new String[] {"Support", "SCHEDULED"});
    }
    // the seeding code after the server: a server stopped while its first housekeeping round purges the
    // seeded past booking slots can lose its last commits (below)
    SeedCallbacks.main(new String[] {"--data-dir", source.toString(), "--count", "3000"});
    // a pause through its store, after the server stopped: Server.close interrupts housekeeping, and an
    // interrupt inside H2's file I/O closes the file and can lose the last commits (reported to the lead)
    try (Database database = Database.open(Database.embeddedUrl(source), null, null, 2)) {
      new JdbcServicePauseStore(database.dataSource(), java.time.Clock.systemUTC()).set("Retention", true);
    }
    before = dump(Database.embeddedUrl(source));
    for (String table : TABLES) {
      assertThat(before.get(table)).as(table).isNotEmpty();
    }
    assertThat(before.get("callback")).hasSizeGreaterThan(3000)
        .anyMatch(row -> row.contains("_ors_session_id") && row.contains("{\"_ttl\":\"7200\"}"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "sqlite", "postgresql"})
  void every_row_moves_and_the_target_server_reads_the_callbacks(String kind) throws Exception {
    Path targetDir = Files.createTempDirectory("opencallback-move-target-");
    String target = switch (kind) {
      case "h2" -> Database.embeddedUrl(targetDir);
      case "sqlite" -> Database.embeddedUrl(targetDir, org.opencallback.store.Dialect.SQLITE);
      case "postgresql" -> TestPostgres.newDatabaseUrl();
      default -> throw new IllegalArgumentException(kind);
    };

    Run run = run("--from", Database.embeddedUrl(source), "--to", target);

    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.out().lines()).singleElement().asString()
        .startsWith("moved " + before.get("callback").size() + " callback(s) from jdbc:h2:")
        .contains("row counts and checksums identical")
        .contains("callback_key=" + before.get("callback_key").size());
    assertThat(dump(target)).isEqualTo(before);
    assertThat(dump(Database.embeddedUrl(source))).as("the source is not modified").isEqualTo(before);

    String[] args = kind.equals("h2") ? new String[] {"--data-dir", targetDir.toString()}
        : new String[] {"--db-url", target};
    try (TestServer server = TestServer.start(CONFIG, args)) {
      for (Map.Entry<String, String[]> sample : samples.entrySet()) {
        Map<String, Object> found = Gms.get(server, sample.getValue()[0], sample.getKey());
        // a server's start recovers what an engine held (ROUTING, PROCESSING, PAUSED): the others stay
        if (!List.of("ROUTING", "PROCESSING", "PAUSED").contains(sample.getValue()[1])) {
          assertThat(found).as(sample.getKey()).containsEntry("_callback_state", sample.getValue()[1]);
        }
        if (sample.getKey().startsWith("move-")) {
          assertThat(String.valueOf(found.get("first_name"))).as(sample.getKey()).startsWith("Ünïcode ‘");
        }
      }
      String seeded = seededId(target);
      assertThat(Gms.get(server, "Sales", seeded)).containsEntry("_callback_state", "SCHEDULED");
      assertThat(server.get(Gms.path("Sales", seeded) + "/history").list()).hasSize(1);
    }
  }

  @Test
  void a_target_holding_callbacks_is_refused_and_left_as_it_was() throws Exception {
    Path targetDir = Files.createTempDirectory("opencallback-move-full-");
    String target = Database.embeddedUrl(targetDir);
    assertThat(run("--from", Database.embeddedUrl(source), "--to", target).code()).isZero();
    Map<String, List<String>> moved = dump(target);

    Run again = run("--from", Database.embeddedUrl(source), "--to", target);

    assertThat(again.code()).isEqualTo(2);
    assertThat(again.out()).isEmpty();
    assertThat(again.err().lines()).singleElement().asString()
        .contains("the target is not empty: table callback holds " + before.get("callback").size() + " row(s)");
    assertThat(dump(target)).isEqualTo(moved);
  }

  @Test
  void a_source_held_by_a_running_server_is_refused() throws Exception {
    Path workDir = Files.createTempDirectory("opencallback-move-locked-");
    Path targetDir = workDir.resolve("target");
    // a copy: the running server may recover or expire callbacks, and the other tests compare with the source
    Path held = Files.createDirectories(workDir.resolve("held"));
    Files.copy(source.resolve("opencallback.mv.db"), held.resolve("opencallback.mv.db"));
    try (org.opencallback.testing.ForkedServer server = org.opencallback.testing.ForkedServer.start(workDir,
        0, "--data-dir", held.toString(), "--port", "0", "--host", "127.0.0.1", "--config", config(workDir))) {
      assertThat(server.awaitListening(Duration.ofSeconds(90))).as(String.join("\n", server.output())).isTrue();

      Run run = run("--from", Database.embeddedUrl(held), "--to", Database.embeddedUrl(targetDir));

      assertThat(run.code()).isEqualTo(2);
      assertThat(run.err().lines()).singleElement().asString()
          .contains("the source store jdbc:h2:file:" + held.toAbsolutePath())
          .contains("is in use by a running server");
      assertThat(targetDir.resolve("opencallback.mv.db")).doesNotExist();
      server.terminate(Duration.ofSeconds(20));
    }
  }

  @Test
  void a_source_migrated_by_a_newer_version_is_refused() throws Exception {
    Path dir = Files.createTempDirectory("opencallback-move-newer-");
    Database.open(Database.embeddedUrl(dir), null, null, 2).close();
    try (Connection connection = DriverManager.getConnection(Database.embeddedUrl(dir));
        Statement statement = connection.createStatement()) {
      statement.execute("INSERT INTO \"flyway_schema_history\" (\"installed_rank\", \"version\", \"description\","
          + " \"type\", \"script\", \"checksum\", \"installed_by\", \"execution_time\", \"success\") VALUES (99, '99',"
          + " 'from the future', 'SQL', 'V99__from_the_future.sql', 0, 'test', 1, TRUE)");
    }

    Run run = run("--from", Database.embeddedUrl(dir), "--to", Database.embeddedUrl(dir.resolve("target")));

    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err().lines()).singleElement().asString().contains("was migrated by a newer OpenCallback");
    assertThat(dir.resolve("target")).doesNotExist();
  }

  @Test
  void a_missing_source_or_a_bad_url_is_refused_in_one_line() throws Exception {
    Path dir = Files.createTempDirectory("opencallback-move-missing-");
    Run missing = run("--from", Database.embeddedUrl(dir.resolve("nothing")), "--to", Database.embeddedUrl(dir));
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err().lines()).singleElement().asString().contains("does not exist");
    assertThat(dir.resolve("nothing.mv.db")).doesNotExist();
    assertThat(dir.resolve("opencallback.mv.db")).doesNotExist();

    for (String[] args : List.of(
        new String[] {"--from", "jdbc:mysql://127.0.0.1/x", "--to", Database.embeddedUrl(dir)},
        new String[] {"--from", Database.embeddedUrl(source), "--to", "jdbc:h2:mem:gone"},
        new String[] {"--from", Database.embeddedUrl(source), "--to", Database.embeddedUrl(source)},
        new String[] {"--from", Database.embeddedUrl(source)},
        new String[] {"--data-dir", dir.toString()},
        new String[] {"--data-dir", source.toString(), "--to", Database.embeddedUrl(dir)},
        new String[] {"--colour", "blue"})) {
      Run run = run(args);
      assertThat(run.code()).as(String.join(" ", args)).isEqualTo(2);
      assertThat(run.err().lines()).as(String.join(" ", args)).singleElement().asString()
          .startsWith("opencallback: move-store: ");
    }
  }

  @Test
  void the_command_line_exits_2_with_one_line() throws Exception {
    Path workDir = Files.createTempDirectory("opencallback-move-cli-");
    try (org.opencallback.testing.ForkedServer command = org.opencallback.testing.ForkedServer.start(workDir, 0,
        "move-store", "--from", "jdbc:nonsense", "--to", "jdbc:h2:file:" + workDir.resolve("x"))) {
      assertThat(command.waitForExit(Duration.ofSeconds(60))).isEqualTo(2);
      assertThat(command.output()).singleElement().asString()
          .startsWith("opencallback: move-store: invalid --from 'jdbc:nonsense'");
    }
  }

  record Run(int code, String out, String err) {}

  static Run run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = MoveStoreCommand.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private String config(Path dir) throws Exception {
    Path file = dir.resolve("opencallback.yaml");
    Files.writeString(file, CONFIG);
    return file.toString();
  }

  /** A callback of the seeding code, SCHEDULED in Sales. */
  private static String seededId(String url) throws SQLException {
    try (Connection connection = DriverManager.getConnection(url.replace(";WRITE_DELAY=0", ""));
        Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery(
            "SELECT MIN(id) FROM callback WHERE service = 'Sales' AND state = 'SCHEDULED' AND id LIKE '1-%'")) {
      result.next();
      return result.getString(1);
    }
  }

  /** Every row of every moved table, each as its values' text, sorted: independent of the move's own checksums. */
  static Map<String, List<String>> dump(String url) throws SQLException {
    Map<String, List<String>> tables = new LinkedHashMap<>();
    try (Connection connection = DriverManager.getConnection(url.replace(";WRITE_DELAY=0", ""))) {
      for (String table : TABLES) {
        List<String> rows = new ArrayList<>();
        try (Statement statement = connection.createStatement();
            ResultSet result = statement.executeQuery("SELECT * FROM " + table)) {
          List<String> columns = new ArrayList<>();
          for (int i = 1; i <= result.getMetaData().getColumnCount(); i++) {
            columns.add(result.getMetaData().getColumnLabel(i).toLowerCase(java.util.Locale.ROOT));
          }
          columns.sort(null);
          while (result.next()) {
            Map<String, Object> values = new LinkedHashMap<>();
            for (String column : columns) {
              Object value = result.getObject(column);
              // SQLite has no boolean type: a BOOLEAN column reads back as 1 or 0
              values.put(column, value instanceof Boolean flag ? (flag ? 1 : 0) : value);
            }
            rows.add(values.toString());
          }
        }
        rows.sort(null);
        tables.put(table, rows);
      }
    }
    return tables;
  }
}
