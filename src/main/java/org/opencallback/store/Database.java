package org.opencallback.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;

/**
 * The connection pool and schema: an H2 file database in the data directory by default, PostgreSQL
 * when the URL says so. Migrations run at start.
 */
public final class Database implements AutoCloseable {
  private final HikariDataSource dataSource;
  private final boolean postgres;

  private Database(HikariDataSource dataSource, boolean postgres) {
    this.dataSource = dataSource;
    this.postgres = postgres;
  }

  /** The JDBC URL of the embedded database inside a data directory. */
  public static String embeddedUrl(Path dataDir) {
    // WRITE_DELAY=0: a commit is written to the file before it returns, so a 200 survives kill -9.
    return "jdbc:h2:file:"
        + dataDir.toAbsolutePath().resolve("opencallback")
        + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE";
  }

  /**
   * Opens the pool and migrates the schema.
   *
   * @throws DatabaseException when the database cannot be reached or migrated
   */
  public static Database open(String url, String user, String password, int poolSize) {
    boolean postgres = url.startsWith("jdbc:postgresql:");
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    if (user != null) {
      config.setUsername(user);
    }
    if (password != null) {
      config.setPassword(password);
    }
    config.setMaximumPoolSize(poolSize);
    config.setPoolName("opencallback");
    config.setConnectionTimeout(10_000);
    config.setInitializationFailTimeout(10_000);
    HikariDataSource dataSource;
    try {
      dataSource = new HikariDataSource(config);
    } catch (RuntimeException e) {
      throw new DatabaseException("cannot connect to database " + redact(url) + ": " + rootMessage(e), e);
    }
    try (Connection connection = dataSource.getConnection()) {
      connection.isValid(5);
    } catch (SQLException e) {
      dataSource.close();
      throw new DatabaseException("cannot connect to database " + redact(url) + ": " + rootMessage(e), e);
    }
    try {
      Flyway flyway = Flyway.configure()
          .dataSource(dataSource)
          .locations("classpath:db/migration/common", "classpath:db/migration/" + (postgres ? "postgresql" : "h2"))
          // data moves SQL cannot do on both databases (H2 has no JSON functions)
          .javaMigrations(new V10_1__MoveServerOwnedKeys())
          // a migration applied by a newer version is an error, never skipped
          .ignoreMigrationPatterns("")
          .load();
      refuseNewerSchema(flyway, url);
      flyway.migrate();
    } catch (DatabaseException e) {
      dataSource.close();
      throw e;
    } catch (FlywayException e) {
      dataSource.close();
      throw new DatabaseException("cannot migrate database " + redact(url) + ": " + rootMessage(e), e);
    }
    return new Database(dataSource, postgres);
  }

  /** A node refuses to join a database migrated by a newer version: it would not know its schema. */
  private static void refuseNewerSchema(Flyway flyway, String url) {
    MigrationInfo newest = null;
    MigrationInfo known = null;
    for (MigrationInfo info : flyway.info().all()) {
      if (info.getState() == MigrationState.FUTURE_SUCCESS || info.getState() == MigrationState.FUTURE_FAILED) {
        newest = info;
      } else if (info.getVersion() != null && info.getState().isResolved()) {
        known = info;
      }
    }
    if (newest != null) {
      throw new DatabaseException("database " + redact(url) + " was migrated by a newer OpenCallback (schema version "
          + newest.getVersion() + ", this version knows up to " + (known == null ? "none" : known.getVersion())
          + "); upgrade this node", null);
    }
  }

  public HikariDataSource dataSource() {
    return dataSource;
  }

  public boolean isPostgres() {
    return postgres;
  }

  @Override
  public void close() {
    dataSource.close();
  }

  private static String redact(String url) {
    return url.replaceAll("(?i)(password=)[^;&]*", "$1***");
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage();
    return message == null ? root.getClass().getSimpleName() : message.split("\\R")[0];
  }
}
