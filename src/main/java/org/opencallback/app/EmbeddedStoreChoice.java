package org.opencallback.app;

import java.nio.file.Files;
import java.nio.file.Path;
import org.opencallback.store.Database;
import org.opencallback.store.Dialect;

/**
 * Which database a server opens when no {@code --db-url} is given (issue 18): the embedded store of
 * its data directory, H2 today and SQLite once {@link #SQLITE_DEFAULT} is flipped. A data directory
 * holding an H2 store is never silently ignored or overwritten (contract.md, the embedded-store
 * amendment); the decision table is in docs/upgrading.md.
 *
 * @param url the JDBC URL to open
 * @param notice the one line to log about the data directory, or null
 */
record EmbeddedStoreChoice(String url, String notice) {
  /**
   * The one switch making SQLite the embedded default. False until the SQLite store (branch
   * {@code sqlite}) lands and the benchmarks choose it (docs/decisions.md).
   */
  static final boolean SQLITE_DEFAULT = true;
  /** The H2 store's file in a data directory ({@link Database#embeddedUrl}: {@code opencallback}, MVStore). */
  static final String H2_FILE = "opencallback.mv.db";
  /** The SQLite store's file in a data directory. */
  static final String SQLITE_FILE = "opencallback.sqlite";

  /** The choice for a server started with this data directory and {@code --db-url} (or null). */
  static EmbeddedStoreChoice of(Path dataDir, String dbUrl) {
    return of(dataDir, dbUrl, SQLITE_DEFAULT);
  }

  static EmbeddedStoreChoice of(Path dataDir, String dbUrl, boolean sqliteDefault) {
    if (dbUrl != null) {
      return new EmbeddedStoreChoice(dbUrl, null);
    }
    boolean h2 = Files.exists(dataDir.resolve(H2_FILE));
    boolean sqlite = Files.exists(dataDir.resolve(SQLITE_FILE));
    Path dir = dataDir.toAbsolutePath();
    if (!sqliteDefault) {
      return new EmbeddedStoreChoice(h2Url(dataDir), sqlite
          ? "Data directory " + dir + " holds a SQLite store (" + SQLITE_FILE + ") that this version does not open"
              + " by default: running on its H2 store; start with --db-url " + sqliteUrl(dataDir) + " to use it"
          : null);
    }
    if (h2 && !sqlite) {
      return new EmbeddedStoreChoice(h2Url(dataDir), "Data directory " + dir + " holds an H2 store (" + H2_FILE
          + "): still running on H2; stop the server and run `java -jar opencallback.jar move-store --data-dir "
          + dir + "` to move it into SQLite (docs/upgrading.md)");
    }
    return new EmbeddedStoreChoice(sqliteUrl(dataDir), h2
        ? "Data directory " + dir + " holds a SQLite store and an H2 store: running on SQLite (" + SQLITE_FILE
            + "); the H2 file " + H2_FILE + " is left untouched (delete it once you no longer need it)"
        : null);
  }

  /** The embedded H2 store of a data directory, as servers have opened it so far. */
  static String h2Url(Path dataDir) {
    return Database.embeddedUrl(dataDir, Dialect.H2);
  }

  /** The embedded SQLite store of a data directory. */
  static String sqliteUrl(Path dataDir) {
    return Database.embeddedUrl(dataDir, Dialect.SQLITE);
  }
}
