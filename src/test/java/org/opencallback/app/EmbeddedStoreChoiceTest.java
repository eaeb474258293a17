package org.opencallback.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencallback.store.Database;
import org.opencallback.testing.LogLines;

/** Which embedded store a data directory opens without --db-url (issue 18, docs/upgrading.md). */
class EmbeddedStoreChoiceTest {
  @TempDir
  Path dir;

  @Test
  void a_given_url_is_opened_as_it_is() throws Exception {
    Files.createFile(dir.resolve("opencallback.mv.db"));
    for (boolean sqliteDefault : new boolean[] {false, true}) {
      assertThat(EmbeddedStoreChoice.of(dir, "jdbc:postgresql://127.0.0.1/oc", sqliteDefault))
          .isEqualTo(new EmbeddedStoreChoice("jdbc:postgresql://127.0.0.1/oc", null));
    }
  }

  @Test
  void while_h2_is_the_default_h2_is_opened_and_a_sqlite_store_is_named() throws Exception {
    assertThat(EmbeddedStoreChoice.of(dir, null, false)).isEqualTo(new EmbeddedStoreChoice(Database.embeddedUrl(dir), null));
    Files.createFile(dir.resolve("opencallback.mv.db"));
    assertThat(EmbeddedStoreChoice.of(dir, null, false)).isEqualTo(new EmbeddedStoreChoice(Database.embeddedUrl(dir), null));
    Files.createFile(dir.resolve("opencallback.sqlite"));
    EmbeddedStoreChoice both = EmbeddedStoreChoice.of(dir, null, false);
    assertThat(both.url()).isEqualTo(Database.embeddedUrl(dir));
    assertThat(both.notice()).contains(dir.toAbsolutePath().toString(), "opencallback.sqlite",
        "--db-url jdbc:sqlite:" + dir.toAbsolutePath().resolve("opencallback.sqlite"));
  }

  @Test
  void an_empty_data_directory_opens_sqlite_silently() {
    assertThat(EmbeddedStoreChoice.of(dir, null, true))
        .isEqualTo(new EmbeddedStoreChoice("jdbc:sqlite:" + dir.toAbsolutePath().resolve("opencallback.sqlite"), null));
  }

  @Test
  void an_h2_store_alone_keeps_running_on_h2_and_names_the_move_command() throws Exception {
    Files.createFile(dir.resolve("opencallback.mv.db"));
    EmbeddedStoreChoice choice = EmbeddedStoreChoice.of(dir, null, true);
    assertThat(choice.url()).isEqualTo(Database.embeddedUrl(dir));
    assertThat(choice.notice()).contains(dir.toAbsolutePath().toString())
        .contains("move-store --data-dir " + dir.toAbsolutePath()).doesNotContain("\n");
  }

  @Test
  void both_stores_open_sqlite_and_leave_the_h2_file_untouched() throws Exception {
    Files.createFile(dir.resolve("opencallback.mv.db"));
    Files.createFile(dir.resolve("opencallback.sqlite"));
    EmbeddedStoreChoice choice = EmbeddedStoreChoice.of(dir, null, true);
    assertThat(choice.url()).isEqualTo("jdbc:sqlite:" + dir.toAbsolutePath().resolve("opencallback.sqlite"));
    assertThat(choice.notice()).contains("opencallback.mv.db is left untouched").doesNotContain("\n");
  }

  @Test
  void a_sqlite_store_alone_opens_silently() throws Exception {
    Files.createFile(dir.resolve("opencallback.sqlite"));
    assertThat(EmbeddedStoreChoice.of(dir, null, true).notice()).isNull();
  }

  @Test
  void a_server_started_on_a_data_directory_holding_an_h2_store_keeps_it_and_names_the_move_once() throws Exception {
    Path data = Files.createDirectories(dir.resolve("data"));
    // an H2 store as an earlier version left it
    Database.open(Database.embeddedUrl(data, org.opencallback.store.Dialect.H2), null, null, 2).close();
    Path config = dir.resolve("opencallback.yaml");
    Files.writeString(config, "service.S:\n  _type: ors\n");
    try (LogLines log = new LogLines(Server.class);
        Server server = Server.start(Settings.parse(new String[] {"--config", config.toString(), "--port", "0",
            "--host", "127.0.0.1", "--data-dir", data.toString()}, name -> null), Clock.systemUTC())) {
      assertThat(EmbeddedStoreChoice.SQLITE_DEFAULT).isTrue();
      assertThat(log.lines()).filteredOn(line -> line.contains("move-store")).singleElement().asString()
          .startsWith("WARN Data directory " + data.toAbsolutePath())
          .contains("opencallback.mv.db");
      assertThat(data.resolve("opencallback.sqlite")).as("no SQLite store is made beside it").doesNotExist();
    }
  }

  @Test
  void a_fresh_data_directory_gets_a_sqlite_store() throws Exception {
    Path data = dir.resolve("fresh");
    Path config = dir.resolve("opencallback.yaml");
    Files.writeString(config, "service.S:\n  _type: ors\n");
    try (Server server = Server.start(Settings.parse(new String[] {"--config", config.toString(), "--port", "0",
        "--host", "127.0.0.1", "--data-dir", data.toString()}, name -> null), Clock.systemUTC())) {
      assertThat(data.resolve("opencallback.sqlite")).exists();
      assertThat(data.resolve("opencallback.mv.db")).doesNotExist();
    }
  }
}
