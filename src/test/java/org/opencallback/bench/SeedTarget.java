package org.opencallback.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.math.BigDecimal;
import java.util.Locale;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.opencallback.store.Database;
import org.opencallback.store.Dialect;

/**
 * The database {@link SeedCallbacks} writes into: opened as the server opens it ({@link
 * Database#open}, every migration), or migrated only up to an older schema version so that a
 * benchmark can time a server's start migrating the seeded rows (bench/stores.sh, phase migrate).
 */
final class SeedTarget implements AutoCloseable {
  /**
   * The newest version an old schema may stop at: V10.1 is the store's own Java migration
   * ({@code store.V10_1__MoveServerOwnedKeys}), which a plain Flyway run here would skip and the
   * server would then refuse as out of order. The seeded columns exist from V9 on.
   */
  static final BigDecimal NEWEST_OLD_VERSION = new BigDecimal("10");
  static final BigDecimal OLDEST_SEEDABLE_VERSION = new BigDecimal("9");

  private final Database database;
  private final HikariDataSource pool;

  private SeedTarget(Database database, HikariDataSource pool) {
    this.database = database;
    this.pool = pool;
  }

  /**
   * Opens {@code url} with {@code connections} connections (on SQLite the store's one writer), at
   * the current schema when {@code schemaVersion} is null, else migrated up to that version only.
   */
  static SeedTarget open(String url, String user, String password, int connections, String schemaVersion) {
    if (schemaVersion == null) {
      return new SeedTarget(Database.open(url, user, password, connections), null);
    }
    BigDecimal version = new BigDecimal(schemaVersion);
    if (version.compareTo(OLDEST_SEEDABLE_VERSION) < 0 || version.compareTo(NEWEST_OLD_VERSION) > 0) {
      throw new IllegalArgumentException("--schema-version is " + OLDEST_SEEDABLE_VERSION + " to "
          + NEWEST_OLD_VERSION + " (the seeded columns exist from V9; V10.1 is a Java migration of the store's)");
    }
    Dialect dialect = Database.dialectOf(url);
    Flyway.configure()
        .dataSource(url, user, password)
        .locations("classpath:db/migration/common", "classpath:db/migration/" + dialect.name().toLowerCase(Locale.ROOT))
        .target(schemaVersion)
        .load()
        .migrate();
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    if (dialect != Dialect.SQLITE) {
      // a SQLite file has no users (sqlite-jdbc would take a password for an encryption key)
      config.setUsername(user);
      config.setPassword(password);
    }
    config.setMaximumPoolSize(dialect == Dialect.SQLITE ? 1 : connections);
    config.setPoolName("seed");
    return new SeedTarget(null, new HikariDataSource(config));
  }

  DataSource dataSource() {
    return database != null ? database.dataSource() : pool;
  }

  @Override
  public void close() {
    if (database != null) {
      database.close();
    } else {
      pool.close();
    }
  }
}
