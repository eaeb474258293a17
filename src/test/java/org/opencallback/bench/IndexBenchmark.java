package org.opencallback.bench;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.opencallback.store.Database;
import org.opencallback.store.Dialect;

/**
 * Time to add an index to a stored {@code callback} table (issue 18, bench/stores.sh phase index):
 * opens the store as a server does ({@link Database#open}, every migration applied, SQLite's
 * statistics refreshed at open), then, one statement at a time on one connection, times
 * <ol>
 *   <li>{@code CREATE INDEX bench_new_index ON callback (COLUMNS)} (what a migration would run);
 *   <li>the statistics refresh that lets the planner use it, as the store gets it: SQLite has no
 *       automatic one, the store runs {@code PRAGMA optimize = 0x10002} at open (and {@code PRAGMA
 *       optimize} later), so that; PostgreSQL's autovacuum and H2 analyse on their own, later, so
 *       {@code ANALYZE callback} / {@code ANALYZE TABLE callback} here for a figure of that work;
 *   <li>{@code DROP INDEX bench_new_index}, leaving the store as it was.
 * </ol>
 * Arguments: JDBC URL, [columns] ({@code service, updated_at}: a column no index holds). Ends with
 * {@code RESULT index_s=… statistics_s=… drop_s=… rows=… statistics_cover_index=…}.
 */
public final class IndexBenchmark {
  static final String INDEX = "bench_new_index";

  private IndexBenchmark() {}

  public static void main(String[] args) throws Exception {
    String url = args[0];
    String columns = args.length > 1 ? args[1] : "service, updated_at";
    try (Database database = Database.open(url, null, null, 2);
        Connection connection = database.dataSource().getConnection();
        Statement statement = connection.createStatement()) {
      connection.setAutoCommit(true);
      long rows = count(statement, "SELECT COUNT(*) FROM callback");
      Dialect dialect = database.dialect();
      double index = timed(statement, "CREATE INDEX " + INDEX + " ON callback (" + columns + ")");
      double statistics = timed(statement, switch (dialect) {
        case SQLITE -> "PRAGMA optimize = 0x10002";
        case H2 -> "ANALYZE TABLE callback";
        case POSTGRESQL -> "ANALYZE callback";
      });
      // did the refresh reach the new index? (SQLite: its row in sqlite_stat1)
      String covered = dialect == Dialect.SQLITE
          ? String.valueOf(count(statement, "SELECT COUNT(*) FROM sqlite_stat1 WHERE idx = '" + INDEX + "'") > 0)
          : "n/a";
      double drop = timed(statement, "DROP INDEX " + INDEX);
      System.out.printf("RESULT index_s=%.2f statistics_s=%.2f drop_s=%.2f rows=%d statistics_cover_index=%s%n",
          index, statistics, drop, rows, covered);
    }
  }

  private static double timed(Statement statement, String sql) throws SQLException {
    long start = System.nanoTime();
    statement.execute(sql);
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf("%.2f s  %s%n", seconds, sql);
    return seconds;
  }

  private static long count(Statement statement, String sql) throws SQLException {
    try (ResultSet rs = statement.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
