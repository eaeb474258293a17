package org.opencallback.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.opencallback.store.Database;
import org.opencallback.store.Dialect;

/** The embedded stores a forked server can run on, for tests that run on each (kill -9 and the like). */
public enum EmbeddedStore {
  H2(Dialect.H2),
  SQLITE(Dialect.SQLITE);

  private final Dialect dialect;

  EmbeddedStore(Dialect dialect) {
    this.dialect = dialect;
  }

  /** A fresh, migrated store of this kind for a unit test (in memory, or in a temporary file). */
  public Database open() {
    return this == H2 ? TestDatabase.h2() : TestDatabase.sqlite();
  }

  /**
   * The arguments that put a {@link TestServer}'s store of this kind in its data directory (the
   * server's default store needs none, but says none of which it is).
   */
  public String[] serverArgs() {
    return new String[] {"--db-url", url(Path.of(TestServer.DATA_DIR))};
  }

  /** The JDBC URL of this store in {@code data}, as the server builds it. */
  public String url(Path data) {
    return Database.embeddedUrl(data, dialect);
  }

  /** The server's arguments that put its store in {@code data}: the data directory and its URL. */
  public List<String> args(Path data) {
    try {
      Files.createDirectories(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return List.of("--data-dir", data.toString(), "--db-url", url(data));
  }

  /** A connection to the store in {@code data} while no server holds it. */
  public Connection connect(Path data) throws SQLException {
    return this == H2 ? DriverManager.getConnection(url(data), "", "") : DriverManager.getConnection(url(data));
  }

  /**
   * Asserts the store's file is sound after a kill: SQLite's {@code PRAGMA integrity_check} (every
   * page, index entry and constraint) answers ok. H2 has no such check: it opens, and a count is read.
   */
  public void assertIntact(Path data) throws SQLException {
    try (Connection connection = connect(data); Statement statement = connection.createStatement()) {
      if (this == SQLITE) {
        List<String> problems = new ArrayList<>();
        try (ResultSet result = statement.executeQuery("PRAGMA integrity_check")) {
          while (result.next()) {
            problems.add(result.getString(1));
          }
        }
        assertThat(problems).as("PRAGMA integrity_check").containsExactly("ok");
        try (ResultSet result = statement.executeQuery("PRAGMA foreign_key_check")) {
          assertThat(result.next()).as("rows whose callback is gone").isFalse();
        }
      }
      try (ResultSet result = statement.executeQuery("SELECT COUNT(*) FROM callback")) {
        assertThat(result.next()).isTrue();
      }
    }
  }
}
