package org.opencallback.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * The connections of a SQLite store (docs/decisions.md, "SQLite store"): one writer and a pool of
 * read-only readers on one file in WAL mode, so that reads never wait for a write and writes never
 * race each other for SQLite's one write lock ({@code SQLITE_BUSY}): they queue for the writer
 * instead, and {@link GroupCommit} makes one transaction of the creates waiting there.
 *
 * <p>The pragmas, per connection (sqlite-jdbc applies them as each connection opens):
 *
 * <ul>
 *   <li>{@code journal_mode=WAL}: readers see the last commit while a write is in progress;
 *   <li>{@code synchronous=NORMAL} (default) or {@code FULL} ({@link Database.Sync}): in WAL mode
 *       NORMAL writes every commit to the WAL file before it returns (it survives kill -9, H2's
 *       level) and syncs the disk at checkpoints; FULL syncs at every commit too (power loss);
 *   <li>{@code busy_timeout}: waits for a lock held by another process (an operator's {@code
 *       sqlite3}) instead of failing at once;
 *   <li>{@code wal_autocheckpoint=16384} pages (64 MB) and {@code journal_size_limit} 64 MB: the
 *       default (4 MB) checkpoints, with a sync, every few hundred creates in a committing request's
 *       thread, which made SQLite slower than H2 (shared/notes/embedded-store.md); the limit bounds
 *       the WAL file kept on disk after a checkpoint;
 *   <li>{@code foreign_keys=ON}: the schema's cascades hold as on H2 and PostgreSQL;
 *   <li>the writer opens its transactions with {@code BEGIN IMMEDIATE}: it holds the write lock
 *       from the first statement, so no other process can commit between its reads and writes
 *       ({@code SQLITE_BUSY_SNAPSHOT});
 *   <li>readers run with {@code query_only}: a write sent to the wrong pool fails at once.
 * </ul>
 */
final class SqlitePools {
  static final String URL_PREFIX = "jdbc:sqlite:";
  static final int BUSY_TIMEOUT_MILLIS = 10_000;
  static final int WAL_AUTOCHECKPOINT_PAGES = 16_384;
  static final long JOURNAL_SIZE_LIMIT_BYTES = 64L * 1024 * 1024;

  private SqlitePools() {}

  /** The writer: one connection, so writes queue in the JVM, in order, without busy errors. */
  static HikariConfig writer(String url, Database.Sync sync) {
    HikariConfig config = common(url, sync);
    config.addDataSourceProperty("journal_mode", "WAL");
    config.addDataSourceProperty("foreign_keys", "true");
    config.addDataSourceProperty("wal_autocheckpoint", String.valueOf(WAL_AUTOCHECKPOINT_PAGES));
    config.addDataSourceProperty("journal_size_limit", String.valueOf(JOURNAL_SIZE_LIMIT_BYTES));
    config.addDataSourceProperty("transaction_mode", "IMMEDIATE");
    config.setMaximumPoolSize(1);
    config.setPoolName("opencallback-writer");
    return config;
  }

  /** The readers: {@code size} read-only connections (bound: [database] pool-size). */
  static HikariDataSource readers(String url, int size, Database.Sync sync) {
    HikariConfig config = common(url, sync);
    config.setConnectionInitSql("PRAGMA query_only = 1");
    config.setMaximumPoolSize(size);
    config.setPoolName("opencallback-readers");
    config.setConnectionTimeout(10_000);
    config.setInitializationFailTimeout(10_000);
    return new HikariDataSource(config);
  }

  private static HikariConfig common(String url, Database.Sync sync) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.addDataSourceProperty("synchronous", sync.name());
    config.addDataSourceProperty("busy_timeout", String.valueOf(BUSY_TIMEOUT_MILLIS));
    return config;
  }

  /**
   * Lets SQLite's planner see the data (docs/decisions.md): without statistics it plans a number
   * lookup through {@code callback_service_state}, a scan of the service's callbacks. At open, every
   * table that may need it is analysed ({@code 0x10002}); later (every {@link
   * PlannerStatistics#WRITES_BETWEEN} writes, after purges, at close) only those whose size changed
   * much since. Both read a bounded sample of each index, milliseconds at a million rows.
   */
  static void refreshStatistics(DataSource writer, boolean atOpen) {
    try (Connection connection = writer.getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute(atOpen ? "PRAGMA optimize = 0x10002" : "PRAGMA optimize");
    } catch (SQLException e) {
      throw new DatabaseException("cannot refresh the planner's statistics: " + e.getMessage(), e);
    }
  }

  /**
   * Holds {@code <file>.lock} while the store is open: a second server on the same file (which
   * SQLite would allow, and which would dispatch every callback twice) is refused at start. The
   * operating system lets go of it when the process dies, kill -9 included. Null for URLs that name
   * no plain file (in-memory, {@code file:} URIs).
   *
   * @throws DatabaseException when another process holds the file
   */
  static FileLock lockFile(String url) {
    String file = url.substring(URL_PREFIX.length());
    if (file.isEmpty() || file.contains(":memory:") || file.startsWith("file:") || file.contains("?")) {
      return null;
    }
    Path lock = Path.of(file + ".lock").toAbsolutePath();
    try {
      // as H2 creates its file's folder: a URL naming a new data directory just works
      java.nio.file.Files.createDirectories(lock.getParent());
      FileChannel channel = FileChannel.open(lock, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock held;
      try {
        held = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        held = null;
      }
      if (held == null) {
        channel.close();
        throw new DatabaseException("database file " + file + " is in use by another OpenCallback (" + lock
            + " is locked)", null);
      }
      return held;
    } catch (IOException e) {
      throw new DatabaseException("cannot lock " + lock + ": " + e.getMessage(), e);
    }
  }

  /** Lets go of {@link #lockFile}'s lock. */
  static void release(FileLock lock) {
    if (lock == null) {
      return;
    }
    try (FileChannel channel = lock.channel()) {
      lock.release();
    } catch (IOException e) {
      // the channel closes anyway; the process's end releases the lock in any case
    }
  }
}
