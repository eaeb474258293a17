package org.opencallback.store;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Copies every table of one store into another store, both already migrated to this version's
 * schema, and verifies the copy (the {@code move-store} command, docs/upgrading.md).
 *
 * <p>What moves: every table of the source's schema, found through JDBC metadata (so a table a later
 * migration adds moves without a change here), except {@link #NOT_MOVED}. Parents are copied before
 * the tables whose foreign keys point at them.
 *
 * <p>How: each table is read once, forward only, {@value #FETCH} rows at a time (on PostgreSQL a
 * cursor, inside one read-only transaction: one snapshot of the whole source), and written in
 * batches of {@value #BATCH} rows, committed every {@value #TRANSACTION} rows: memory stays bounded
 * whatever the table's size. Each row is hashed (SHA-256 of its values in a database-independent
 * form) as it is read; the table's checksum is the sum of its rows' hashes, so it does not depend on
 * the order rows come back in. After the copy the target is read again and its counts ({@code
 * COUNT(*)} and rows read) and checksums must equal the source's. Any failure or difference empties
 * the target's moved tables again and ends in a {@link MoveException}. Only reads touch the source.
 *
 * <p>Not thread-safe: one move at a time on its own connections.
 */
public final class StoreMove {
  /**
   * Not moved: Flyway's history (the target has its own, from its own migrations, which differ per
   * database); a cluster's node leases and published agents ({@code node}, {@code engine_node}),
   * which describe running processes, not data: the nodes started on the target write their own.
   */
  public static final Set<String> NOT_MOVED = Set.of("flyway_schema_history", "node", "engine_node");

  static final int FETCH = 1_000;
  static final int BATCH = 1_000;
  static final int TRANSACTION = 20_000;
  private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]*");

  private StoreMove() {}

  /** One table moved: its rows and its checksum (identical in source and target). */
  public record Moved(String table, long rows, String checksum) {}

  /** A refusal or a difference found, in one line; the target holds no moved rows. */
  public static final class MoveException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    MoveException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private record Column(String name, ColumnKind kind) {}

  private record Table(String name, String metaName, List<Column> columns) {
    String select() {
      return "SELECT " + columns.stream().map(Column::name).collect(Collectors.joining(", ")) + " FROM " + name;
    }

    String insert() {
      return "INSERT INTO " + name + " (" + columns.stream().map(Column::name).collect(Collectors.joining(", "))
          + ") VALUES (" + columns.stream().map(column -> "?").collect(Collectors.joining(", ")) + ")";
    }
  }

  /**
   * Moves everything from {@code source} into {@code target}, which must hold no row in any table
   * moved.
   *
   * @return each table moved, parents first
   * @throws MoveException when refused, when the copy fails or when the verification finds a difference
   */
  public static List<Moved> move(Database source, Database target) {
    try (Connection from = source.dataSource().getConnection();
        Connection to = target.dataSource().getConnection()) {
      from.setAutoCommit(false);
      from.setReadOnly(true);
      if (from.getMetaData().supportsTransactionIsolationLevel(Connection.TRANSACTION_REPEATABLE_READ)) {
        from.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      }
      if ("H2".equals(from.getMetaData().getDatabaseProductName())) {
        // H2 otherwise materialises a whole result before the first row (on disk past 40,000 rows)
        try (Statement lazy = from.createStatement()) {
          lazy.execute("SET LAZY_QUERY_EXECUTION TRUE");
        }
      }
      to.setAutoCommit(false);
      List<Table> tables = tables(from, to);
      refuseUnlessEmpty(to, tables);
      List<Moved> moved = new ArrayList<>();
      try {
        for (Table table : tables) {
          moved.add(copy(from, to, table));
        }
        for (int i = 0; i < tables.size(); i++) {
          verify(from, to, tables.get(i), moved.get(i));
        }
      } catch (SQLException | RuntimeException e) {
        String message = e instanceof MoveException ? e.getMessage() : "copy failed: " + oneLine(e);
        throw new MoveException(message + "; " + empty(to, tables), e);
      } finally {
        from.rollback();
      }
      return moved;
    } catch (SQLException e) {
      throw new MoveException("cannot read the stores: " + oneLine(e), e);
    }
  }

  /** The source's tables to move, parents first, each with its columns as both stores know them. */
  private static List<Table> tables(Connection from, Connection to) throws SQLException {
    Map<String, String> sourceTables = tableNames(from);
    Map<String, String> targetTables = tableNames(to);
    Map<String, Table> tables = new LinkedHashMap<>();
    for (Map.Entry<String, String> entry : sourceTables.entrySet()) {
      String name = entry.getKey();
      if (NOT_MOVED.contains(name)) {
        continue;
      }
      if (!targetTables.containsKey(name)) {
        throw new MoveException("the target has no table " + name + ": are both stores at the same schema version?", null);
      }
      tables.put(name, new Table(name, entry.getValue(),
          columns(name, columns(from, entry.getValue()), columns(to, targetTables.get(name)))));
    }
    return parentsFirst(from, tables);
  }

  /** Lower-case name to the name as the database's metadata spells it. */
  private static Map<String, String> tableNames(Connection connection) throws SQLException {
    Map<String, String> names = new java.util.TreeMap<>();
    try (ResultSet rows = connection.getMetaData().getTables(null, schema(connection), "%", null)) {
      while (rows.next()) {
        String type = rows.getString("TABLE_TYPE");
        String name = rows.getString("TABLE_NAME");
        String lower = name.toLowerCase(Locale.ROOT);
        if (("TABLE".equalsIgnoreCase(type) || "BASE TABLE".equalsIgnoreCase(type)) && !lower.startsWith("sqlite_")) {
          if (!IDENTIFIER.matcher(lower).matches()) {
            throw new MoveException("table " + name + " has a name the move does not handle", null);
          }
          names.put(lower, name);
        }
      }
    }
    return names;
  }

  private static Map<String, ColumnKind> columns(Connection connection, String table) throws SQLException {
    Map<String, ColumnKind> columns = new LinkedHashMap<>();
    Map<String, String> unknown = new LinkedHashMap<>();
    try (ResultSet rows = connection.getMetaData().getColumns(null, schema(connection), table, "%")) {
      while (rows.next()) {
        String name = rows.getString("COLUMN_NAME").toLowerCase(Locale.ROOT);
        if (!IDENTIFIER.matcher(name).matches()) {
          throw new MoveException("column " + table + "." + name + " has a name the move does not handle", null);
        }
        ColumnKind kind = ColumnKind.of(rows.getInt("DATA_TYPE"), rows.getString("TYPE_NAME"));
        columns.put(name, kind);
        if (kind == null) {
          unknown.put(name, rows.getString("TYPE_NAME"));
        }
      }
    }
    if (!unknown.isEmpty()) {
      throw new MoveException("table " + table.toLowerCase(Locale.ROOT) + " has columns of a type the move does not"
          + " handle: " + unknown, null);
    }
    return columns;
  }

  private static List<Column> columns(String table, Map<String, ColumnKind> source, Map<String, ColumnKind> target) {
    if (!source.keySet().equals(target.keySet())) {
      throw new MoveException("table " + table + " has columns " + source.keySet() + " in the source but "
          + target.keySet() + " in the target: are both stores at the same schema version?", null);
    }
    List<Column> columns = new ArrayList<>();
    source.forEach((name, kind) -> {
      ColumnKind common = ColumnKind.common(kind, target.get(name));
      if (common == null) {
        throw new MoveException("column " + table + "." + name + " is " + kind + " in the source but "
            + target.get(name) + " in the target", null);
      }
      columns.add(new Column(name, common));
    });
    return columns;
  }

  /** Orders the tables so that a table comes after those its foreign keys point at. */
  private static List<Table> parentsFirst(Connection connection, Map<String, Table> tables) throws SQLException {
    Map<String, Set<String>> parents = new LinkedHashMap<>();
    DatabaseMetaData meta = connection.getMetaData();
    for (Table table : tables.values()) {
      Set<String> of = new java.util.TreeSet<>();
      try (ResultSet keys = meta.getImportedKeys(null, schema(connection), table.metaName())) {
        while (keys.next()) {
          String parent = keys.getString("PKTABLE_NAME").toLowerCase(Locale.ROOT);
          if (!parent.equals(table.name()) && tables.containsKey(parent)) {
            of.add(parent);
          }
        }
      }
      parents.put(table.name(), of);
    }
    List<Table> ordered = new ArrayList<>();
    Set<String> placed = new java.util.HashSet<>();
    while (ordered.size() < tables.size()) {
      int before = ordered.size();
      for (Table table : tables.values()) {
        if (!placed.contains(table.name()) && placed.containsAll(parents.get(table.name()))) {
          ordered.add(table);
          placed.add(table.name());
        }
      }
      if (ordered.size() == before) {
        throw new MoveException("the foreign keys between tables form a cycle: " + parents, null);
      }
    }
    return ordered;
  }

  private static void refuseUnlessEmpty(Connection to, List<Table> tables) throws SQLException {
    List<Table> callbacksFirst = new ArrayList<>(tables);
    callbacksFirst.sort(java.util.Comparator.comparing(table -> !table.name().equals("callback")));
    for (Table table : callbacksFirst) {
      long rows = count(to, table);
      if (rows > 0) {
        throw new MoveException("the target is not empty: table " + table.name() + " holds " + rows
            + " row(s); move into a new, empty store", null);
      }
    }
    to.rollback();
  }

  private static Moved copy(Connection from, Connection to, Table table) throws SQLException {
    Checksum checksum = new Checksum();
    try (Statement select = from.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
        PreparedStatement insert = to.prepareStatement(table.insert())) {
      select.setFetchSize(FETCH);
      try (ResultSet rows = select.executeQuery(table.select())) {
        while (rows.next()) {
          checksum.row(rows, table.columns(), insert);
          insert.addBatch();
          if (checksum.rows % BATCH == 0) {
            insert.executeBatch();
          }
          if (checksum.rows % TRANSACTION == 0) {
            to.commit();
          }
        }
      }
      insert.executeBatch();
      to.commit();
    }
    return new Moved(table.name(), checksum.rows, checksum.hex());
  }

  private static void verify(Connection from, Connection to, Table table, Moved moved) throws SQLException {
    Checksum checksum = new Checksum();
    try (Statement select = to.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
      select.setFetchSize(FETCH);
      try (ResultSet rows = select.executeQuery(table.select())) {
        while (rows.next()) {
          checksum.row(rows, table.columns(), null);
        }
      }
    }
    long sourceCount = count(from, table);
    long targetCount = count(to, table);
    to.rollback();
    if (sourceCount != moved.rows() || targetCount != moved.rows() || checksum.rows != moved.rows()) {
      throw new MoveException("table " + table.name() + ": " + sourceCount + " row(s) in the source, "
          + moved.rows() + " copied, " + targetCount + " in the target", null);
    }
    if (!checksum.hex().equals(moved.checksum())) {
      throw new MoveException("table " + table.name() + ": checksum " + checksum.hex() + " in the target differs from "
          + moved.checksum() + " in the source", null);
    }
  }

  private static long count(Connection connection, Table table) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM " + table.name())) {
      rows.next();
      return rows.getLong(1);
    }
  }

  /** Deletes what the move wrote, children first; says what became of the target. */
  private static String empty(Connection to, List<Table> tables) {
    try {
      to.rollback();
      List<Table> reversed = new ArrayList<>(tables);
      Collections.reverse(reversed);
      for (Table table : reversed) {
        try (Statement delete = to.createStatement()) {
          delete.executeUpdate("DELETE FROM " + table.name());
        }
        to.commit();
      }
      return "the target was emptied again";
    } catch (SQLException e) {
      return "the target may hold a partial copy (" + oneLine(e) + "): remove it before trying again";
    }
  }

  private static String schema(Connection connection) {
    try {
      return connection.getSchema();
    } catch (SQLException | AbstractMethodError e) {
      return null;
    }
  }

  static String oneLine(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage();
    return message == null ? root.getClass().getSimpleName() : message.split("\\R")[0];
  }

  /** Rows read and the sum (two 64-bit lanes, wrapping) of their SHA-256 hashes: order-independent. */
  private static final class Checksum {
    private final MessageDigest digest;
    private long rows;
    private long high;
    private long low;

    Checksum() {
      try {
        digest = MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("every JVM has SHA-256", e);
      }
    }

    void row(ResultSet from, List<Column> columns, PreparedStatement to) throws SQLException {
      for (int i = 0; i < columns.size(); i++) {
        columns.get(i).kind().copy(from, i + 1, to, digest);
      }
      byte[] hash = digest.digest();
      high += java.nio.ByteBuffer.wrap(hash, 0, 8).getLong();
      low += java.nio.ByteBuffer.wrap(hash, 8, 8).getLong();
      rows++;
    }

    String hex() {
      return String.format("%016x%016x", high, low);
    }
  }
}
