package org.opencallback.cluster;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** What the cluster tests read straight from the shared database: counts and each callback's states. */
final class StoredRows {
  private StoredRows() {}

  /** The single number a {@code SELECT COUNT(*) …} answers. */
  static long count(String url, String sql) throws Exception {
    try (Connection connection = DriverManager.getConnection(url);
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      rows.next();
      return rows.getLong(1);
    }
  }

  /** Each callback's states in the order they were stored. */
  static Map<String, List<String>> histories(String url) throws Exception {
    Map<String, List<String>> histories = new HashMap<>();
    try (Connection connection = DriverManager.getConnection(url);
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT callback_id, state FROM callback_history ORDER BY callback_id, seq")) {
      while (rows.next()) {
        histories.computeIfAbsent(rows.getString(1), k -> new ArrayList<>()).add(rows.getString(2));
      }
    }
    return histories;
  }
}
