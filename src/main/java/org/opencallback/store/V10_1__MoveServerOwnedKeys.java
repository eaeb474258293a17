package org.opencallback.store;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;
import org.opencallback.domain.ServerState;

/**
 * Moves the server-owned keys ({@link ServerState#KEYS}) of rows stored before issue 15 out of
 * {@code properties} into {@code server_state} (added by {@code V10__server_owned_state.sql}), and
 * drops them from the lookup keys. A Java migration because H2 has no JSON functions; it reads the
 * rows that may hold such a key in pages of {@value #PAGE} by id, so memory stays bounded on a
 * large store. Runs once, in Flyway's transaction.
 */
final class V10_1__MoveServerOwnedKeys extends BaseJavaMigration {
  static final int PAGE = 500;
  private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {};

  private final ObjectMapper json = new ObjectMapper();

  @Override
  public void migrate(Context context) throws Exception {
    Connection connection = context.getConnection();
    // a superset ("_" matches any character in LIKE): each row is checked again after parsing
    String mayHold = ServerState.KEYS.stream()
        .map(key -> "properties LIKE '%\"" + key + "\"%'")
        .collect(Collectors.joining(" OR "));
    String last = "";
    while (true) {
      List<String[]> page = new ArrayList<>();
      try (PreparedStatement select = connection.prepareStatement(
          "SELECT id, properties, server_state FROM callback WHERE id > ? AND (" + mayHold + ") ORDER BY id LIMIT " + PAGE)) {
        select.setString(1, last);
        try (ResultSet rows = select.executeQuery()) {
          while (rows.next()) {
            page.add(new String[] {rows.getString(1), rows.getString(2), rows.getString(3)});
          }
        }
      }
      if (page.isEmpty()) {
        break;
      }
      move(connection, page);
      last = page.get(page.size() - 1)[0];
    }
    try (PreparedStatement keys = connection.prepareStatement(
        "DELETE FROM callback_key WHERE key_name IN ("
            + ServerState.KEYS.stream().map(key -> "?").collect(Collectors.joining(", ")) + ")")) {
      int i = 1;
      for (String key : ServerState.KEYS) {
        keys.setString(i++, key);
      }
      keys.executeUpdate();
    }
  }

  private void move(Connection connection, List<String[]> page) throws SQLException {
    try (PreparedStatement update = connection.prepareStatement(
        "UPDATE callback SET properties = ?, server_state = ? WHERE id = ?")) {
      for (String[] row : page) {
        Map<String, Object> properties = read(row[1]);
        Map<String, Object> state = read(row[2]);
        boolean moved = false;
        for (String key : ServerState.KEYS) {
          if (properties.containsKey(key)) {
            state.put(key, properties.remove(key));
            moved = true;
          }
        }
        if (moved) {
          update.setString(1, write(properties));
          update.setString(2, write(state));
          update.setString(3, row[0]);
          update.addBatch();
        }
      }
      update.executeBatch();
    }
  }

  private Map<String, Object> read(String text) {
    try {
      return text == null ? new LinkedHashMap<>() : json.readValue(text, MAP);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("stored properties are not JSON", e);
    }
  }

  private String write(Map<String, Object> map) {
    try {
      return json.writeValueAsString(map);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("properties cannot be written as JSON", e);
    }
  }
}
