package org.opencallback.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.opencallback.testing.ForkedServer;
import org.opencallback.testing.TestPostgres;

/** A node refuses to join a database migrated by a newer version: one clear line, exit code 2. */
class NewerSchemaTest {
  @Test
  void a_database_migrated_by_a_newer_version_is_refused() throws Exception {
    String url = TestPostgres.newDatabaseUrl();
    TestPostgres.migrate(url);
    try (Connection connection = DriverManager.getConnection(url);
        Statement statement = connection.createStatement()) {
      statement.execute("INSERT INTO flyway_schema_history (installed_rank, version, description, type, script,"
          + " checksum, installed_by, execution_time, success) VALUES (99, '99', 'from the future', 'SQL',"
          + " 'V99__from_the_future.sql', 0, 'test', 1, TRUE)");
    }
    Path dir = Files.createTempDirectory("opencallback-newer-");
    try (ForkedServer node = ForkedServer.start(dir, ForkedServer.freePort(), "--db-url", url,
        "--port", "0", "--host", "127.0.0.1")) {
      assertThat(node.waitForExit(Duration.ofSeconds(60))).as(String.join("\n", node.output())).isEqualTo(2);
      assertThat(String.join("\n", node.output()))
          // the newest migration this version knows changes with every migration added
          .containsPattern("was migrated by a newer OpenCallback \\(schema version 99, this version knows up to [\\d.]+\\)");
    }
  }
}
