package org.opencallback.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.opencallback.domain.Callback;
import org.opencallback.domain.CallbackState;
import org.opencallback.domain.StateChange;

/**
 * How a callback maps to its rows: the callback columns, its JSON properties (the request's) and
 * JSON server state (the server's own, never indexed for lookups), its lookup keys and its history
 * entries. Stateless apart from the (thread-safe) ObjectMapper: thread-safe.
 */
final class CallbackRows {
  /** Longest property value indexed for lookups; longer values are stored but not searchable. */
  static final int MAX_KEY_VALUE = 512;

  private static final int MAX_KEY_NAME = 255;
  private static final TypeReference<LinkedHashMap<String, Object>> MAP =
      new TypeReference<>() {};
  private static final TypeReference<LinkedHashMap<String, String>> OPTIONS =
      new TypeReference<>() {};
  static final String COLUMNS =
      "id, service, state, reason, customer_number, desired_time, time_scheduled, expiration_time,"
          + " due_time, properties, server_state, immediate, version, updated_at, resolved_options";

  private final ObjectMapper json;

  CallbackRows(ObjectMapper json) {
    this.json = json;
  }

  static void insertKeys(Handle handle, Callback callback) {
    Map<String, String> keys = new LinkedHashMap<>();
    for (Map.Entry<String, Object> property : callback.properties().entrySet()) {
      Object value = property.getValue();
      if (value == null || value instanceof Map || value instanceof List) {
        continue;
      }
      String text = String.valueOf(value);
      if (property.getKey().length() <= MAX_KEY_NAME && text.length() <= MAX_KEY_VALUE) {
        keys.put(property.getKey(), text);
      }
    }
    if (callback.customerNumber() != null && callback.customerNumber().length() <= MAX_KEY_VALUE) {
      keys.put("_customer_number", callback.customerNumber());
    }
    if (keys.isEmpty()) {
      return;
    }
    PreparedBatch batch =
        handle.prepareBatch("INSERT INTO callback_key (callback_id, service, key_name, key_value)"
            + " VALUES (:id, :service, :name, :value)");
    for (Map.Entry<String, String> key : keys.entrySet()) {
      batch.bind("id", callback.id())
          .bind("service", callback.service())
          .bind("name", key.getKey())
          .bind("value", key.getValue())
          .add();
    }
    batch.execute();
  }

  static final String INSERT_HISTORY = "INSERT INTO callback_history (callback_id, seq, state, reason, changed_at,"
      + " source) VALUES (:id, :seq, :state, :reason, :at, :source)";

  static void insertHistory(Handle handle, String id, int seq, StateChange change) {
    bindHistory(handle.createUpdate(INSERT_HISTORY), id, seq, change).execute();
  }

  static <S extends org.jdbi.v3.core.statement.SqlStatement<S>> S bindHistory(S statement, String id, int seq,
      StateChange change) {
    return statement
        .bind("id", id)
        .bind("seq", seq)
        .bind("state", change.state().name())
        .bind("reason", change.reason())
        .bind("at", change.at().toEpochMilli())
        .bind("source", change.source());
  }

  Callback read(ResultSet rs) throws SQLException {
    long due = rs.getLong("due_time");
    Instant dueTime = rs.wasNull() ? null : Instant.ofEpochMilli(due);
    return new Callback(
        rs.getString("id"),
        rs.getString("service"),
        CallbackState.valueOf(rs.getString("state")),
        rs.getString("reason"),
        rs.getString("customer_number"),
        Instant.ofEpochMilli(rs.getLong("desired_time")),
        Instant.ofEpochMilli(rs.getLong("time_scheduled")),
        Instant.ofEpochMilli(rs.getLong("expiration_time")),
        dueTime,
        readProperties(rs.getString("properties")),
        readProperties(rs.getString("server_state")),
        rs.getBoolean("immediate"),
        rs.getInt("version"),
        Instant.ofEpochMilli(rs.getLong("updated_at")),
        readOptions(rs.getString("resolved_options")));
  }

  /** The request's changes to its service's options (column {@code resolved_options}), none when null. */
  private Map<String, String> readOptions(String text) {
    if (text == null || text.isEmpty()) {
      return Map.of();
    }
    try {
      return json.readValue(text, OPTIONS);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored resolved options are not JSON", e);
    }
  }

  /** The {@code resolved_options} column: null when the request changed no option. */
  String writeOptions(Map<String, String> options) {
    if (options.isEmpty()) {
      return null;
    }
    try {
      return json.writeValueAsString(options);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("resolved options cannot be written as JSON", e);
    }
  }

  private Map<String, Object> readProperties(String text) {
    try {
      return json.readValue(text, MAP);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored properties are not JSON", e);
    }
  }

  String write(Map<String, Object> properties) {
    try {
      return json.writeValueAsString(properties);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("properties cannot be written as JSON", e);
    }
  }

  static Long millis(Instant instant) {
    return instant == null ? null : instant.toEpochMilli();
  }
}
