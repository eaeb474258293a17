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
 * The connection pools and schema: an embedded file database in the data directory by default (which
 * one, H2 or SQLite, is {@code app.EmbeddedStoreChoice}'s to decide), PostgreSQL or SQLite when the URL
 * says so. Migrations run at start.
 *
 * <p>On SQLite ({@link SqlitePools}) writes go through one connection ({@link #dataSource}) and reads
 * through a pool of readers ({@link #readDataSource}); on H2 and PostgreSQL both are the same pool.
 */
public final class Database implements AutoCloseable {
  /** The {@code [database]} option choosing {@link Sync}: {@code normal} or {@code full}. */
  public static final String SQLITE_SYNCHRONOUS = "sqlite-synchronous";

  private final HikariDataSource dataSource;
  private final HikariDataSource readers;
  private final Dialect dialect;
  /** SQLite: held while open, so that no second server opens the same file; else null. */
  private final java.nio.channels.FileLock lock;

  private Database(HikariDataSource dataSource, HikariDataSource readers, Dialect dialect,
      java.nio.channels.FileLock lock) {
    this.dataSource = dataSource;
    this.readers = readers;
    this.dialect = dialect;
    this.lock = lock;
  }

  /** How often SQLite syncs its file to the disk ({@code [database] sqlite-synchronous}). */
  public enum Sync {
    /** At checkpoints only: every commit survives kill -9 of the process (H2's level), not power loss. */
    NORMAL,
    /** At every commit too: a commit also survives an OS crash or power loss; creates 10-30 % slower. */
    FULL
  }

  /** The JDBC URL of the embedded H2 database inside a data directory (tests and bench tools). */
  public static String embeddedUrl(Path dataDir) {
    return embeddedUrl(dataDir, Dialect.H2);
  }

  /** The JDBC URL of an embedded database of that kind (H2 or SQLite) inside a data directory. */
  public static String embeddedUrl(Path dataDir, Dialect kind) {
    if (kind == Dialect.SQLITE) {
      return "jdbc:sqlite:" + dataDir.toAbsolutePath().resolve("opencallback.sqlite");
    }
    // WRITE_DELAY=0: a commit is written to the file before it returns, so a 200 survives kill -9.
    return "jdbc:h2:file:"
        + dataDir.toAbsolutePath().resolve("opencallback")
        + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE";
  }

  /** The SQL dialect a JDBC URL speaks. */
  public static Dialect dialectOf(String url) {
    if (url.startsWith("jdbc:postgresql:")) {
      return Dialect.POSTGRESQL;
    }
    return url.startsWith("jdbc:sqlite:") ? Dialect.SQLITE : Dialect.H2;
  }

  /** {@link #open(String, String, String, int, Sync)} with SQLite's default sync. */
  public static Database open(String url, String user, String password, int poolSize) {
    return open(url, user, password, poolSize, Sync.NORMAL);
  }

  /**
   * Opens the pool and migrates the schema.
   *
   * @param poolSize most connections (on SQLite: readers, beside the one writer)
   * @param sync SQLite's sync level; ignored by the other databases
   * @throws DatabaseException when the database cannot be reached or migrated
   */
  public static Database open(String url, String user, String password, int poolSize, Sync sync) {
    Dialect dialect = dialectOf(url);
    java.nio.channels.FileLock lock = dialect == Dialect.SQLITE ? SqlitePools.lockFile(url) : null;
    try {
      return open(url, user, password, poolSize, sync, dialect, lock);
    } catch (RuntimeException e) {
      SqlitePools.release(lock);
      throw e;
    }
  }

  private static Database open(String url, String user, String password, int poolSize, Sync sync, Dialect dialect,
      java.nio.channels.FileLock lock) {
    HikariConfig config;
    if (dialect == Dialect.SQLITE) {
      // a file has no users: sqlite-jdbc would take a password for an encryption key
      config = SqlitePools.writer(url, sync);
    } else {
      config = new HikariConfig();
      config.setJdbcUrl(url);
      if (user != null) {
        config.setUsername(user);
      }
      if (password != null) {
        config.setPassword(password);
      }
      config.setMaximumPoolSize(poolSize);
      config.setPoolName("opencallback");
    }
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
          .locations("classpath:db/migration/common", "classpath:db/migration/" + dialect.migrations())
          // data moves SQL cannot do on every database (H2 has no JSON functions)
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
    if (dialect != Dialect.SQLITE) {
      return new Database(dataSource, dataSource, dialect, null);
    }
    try {
      SqlitePools.refreshStatistics(dataSource, true);
      return new Database(dataSource, SqlitePools.readers(url, poolSize, sync), dialect, lock);
    } catch (RuntimeException e) {
      dataSource.close();
      throw new DatabaseException("cannot open database " + redact(url) + ": " + rootMessage(e), e);
    }
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

  /** The pool every write goes through (on SQLite: its one writer connection); reads may too. */
  public HikariDataSource dataSource() {
    return dataSource;
  }

  /** The pool for reads outside a write transaction (on SQLite: read-only connections). */
  public HikariDataSource readDataSource() {
    return readers;
  }

  public Dialect dialect() {
    return dialect;
  }

  public boolean isPostgres() {
    return dialect == Dialect.POSTGRESQL;
  }

  @Override
  public void close() {
    if (readers != dataSource) {
      readers.close();
      // SQLite's advice: let the planner look at what changed during the connection's life
      try {
        SqlitePools.refreshStatistics(dataSource, false);
      } catch (RuntimeException e) {
        // best effort: the next start analyses what needs it
      } finally {
        dataSource.close();
        SqlitePools.release(lock);
      }
      return;
    }
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
