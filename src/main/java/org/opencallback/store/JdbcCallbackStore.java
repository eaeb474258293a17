package org.opencallback.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.Query;
import org.opencallback.domain.Callback;
import org.opencallback.domain.CallbackState;
import org.opencallback.domain.StateChange;

/** The JDBC store, shared by H2 and PostgreSQL. Thread-safe. */
public final class JdbcCallbackStore implements CallbackStore {
  /** Longest property value indexed for lookups; longer values are stored but not searchable. */
  static final int MAX_KEY_VALUE = 512;

  private static final int MAX_KEY_NAME = 255;
  private static final TypeReference<LinkedHashMap<String, Object>> MAP =
      new TypeReference<>() {};
  private static final String COLUMNS =
      "id, service, state, reason, customer_number, desired_time, time_scheduled, expiration_time,"
          + " due_time, properties, version, updated_at";

  private final Jdbi jdbi;
  private final ObjectMapper json;

  public JdbcCallbackStore(DataSource dataSource, ObjectMapper json) {
    this.jdbi = Jdbi.create(dataSource);
    this.json = json;
  }

  @Override
  public void insert(Callback callback, StateChange first) {
    jdbi.useTransaction(
        handle -> {
          handle
              .createUpdate("INSERT INTO callback (" + COLUMNS + ") VALUES (:id, :service, :state,"
                  + " :reason, :customer, :desired, :scheduled, :expiration, :due, :properties,"
                  + " :version, :updated)")
              .bind("id", callback.id())
              .bind("service", callback.service())
              .bind("state", callback.state().name())
              .bind("reason", callback.reason())
              .bind("customer", callback.customerNumber())
              .bind("desired", callback.desiredTime().toEpochMilli())
              .bind("scheduled", callback.timeScheduled().toEpochMilli())
              .bind("expiration", callback.expirationTime().toEpochMilli())
              .bind("due", millis(callback.dueTime()))
              .bind("properties", write(callback.properties()))
              .bind("version", callback.version())
              .bind("updated", callback.updatedAt().toEpochMilli())
              .execute();
          insertKeys(handle, callback);
          insertHistory(handle, callback.id(), 1, first);
        });
  }

  @Override
  public Optional<Callback> find(String id) {
    return jdbi.withHandle(
        handle ->
            handle
                .createQuery("SELECT " + COLUMNS + " FROM callback WHERE id = :id")
                .bind("id", id)
                .map((rs, ctx) -> read(rs))
                .findOne());
  }

  @Override
  public boolean update(Callback updated, int expectedVersion, StateChange change) {
    return jdbi.inTransaction(
        handle -> {
          Optional<Callback> before =
              handle
                  .createQuery("SELECT " + COLUMNS + " FROM callback WHERE id = :id AND version = :version")
                  .bind("id", updated.id())
                  .bind("version", expectedVersion)
                  .map((rs, ctx) -> read(rs))
                  .findOne();
          if (before.isEmpty()) {
            return false;
          }
          int rows =
              handle
                  .createUpdate("UPDATE callback SET state = :state, reason = :reason,"
                      + " customer_number = :customer, desired_time = :desired,"
                      + " expiration_time = :expiration, due_time = :due, properties = :properties,"
                      + " version = :newVersion, updated_at = :updated"
                      + " WHERE id = :id AND version = :version")
                  .bind("state", updated.state().name())
                  .bind("reason", updated.reason())
                  .bind("customer", updated.customerNumber())
                  .bind("desired", updated.desiredTime().toEpochMilli())
                  .bind("expiration", updated.expirationTime().toEpochMilli())
                  .bind("due", millis(updated.dueTime()))
                  .bind("properties", write(updated.properties()))
                  .bind("newVersion", updated.version())
                  .bind("updated", updated.updatedAt().toEpochMilli())
                  .bind("id", updated.id())
                  .bind("version", expectedVersion)
                  .execute();
          if (rows != 1) {
            return false;
          }
          if (!before.get().properties().equals(updated.properties())
              || !Objects.equals(before.get().customerNumber(), updated.customerNumber())) {
            handle.createUpdate("DELETE FROM callback_key WHERE callback_id = :id")
                .bind("id", updated.id())
                .execute();
            insertKeys(handle, updated);
          }
          if (change != null) {
            int next =
                handle
                    .createQuery("SELECT COALESCE(MAX(seq), 0) + 1 FROM callback_history WHERE callback_id = :id")
                    .bind("id", updated.id())
                    .mapTo(Integer.class)
                    .one();
            insertHistory(handle, updated.id(), next, change);
          }
          return true;
        });
  }

  @Override
  public List<Callback> lookup(LookupQuery query) {
    StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM callback c WHERE 1 = 1");
    if (query.service() != null) {
      sql.append(" AND c.service = :service");
    }
    if (!query.keys().isEmpty()) {
      List<String> clauses = new ArrayList<>();
      for (int i = 0; i < query.keys().size(); i++) {
        clauses.add("EXISTS (SELECT 1 FROM callback_key k WHERE k.callback_id = c.id"
            + " AND k.key_name = :name" + i + " AND k.key_value = :value" + i + ")");
      }
      sql.append(" AND (").append(String.join(query.anyKey() ? " OR " : " AND ", clauses)).append(")");
    }
    if (query.state() != null) {
      sql.append(query.negateState() ? " AND c.state <> :state" : " AND c.state = :state");
    }
    if (query.desiredFrom() != null) {
      sql.append(" AND c.desired_time >= :from");
    }
    if (query.desiredTo() != null) {
      sql.append(" AND c.desired_time <= :to");
    }
    sql.append(" ORDER BY c.desired_time, c.id LIMIT :limit");
    return jdbi.withHandle(
        handle -> {
          Query q = handle.createQuery(sql.toString());
          if (query.service() != null) {
            q.bind("service", query.service());
          }
          int i = 0;
          for (Map.Entry<String, String> key : query.keys().entrySet()) {
            q.bind("name" + i, key.getKey());
            q.bind("value" + i, key.getValue());
            i++;
          }
          if (query.state() != null) {
            q.bind("state", query.state().name());
          }
          if (query.desiredFrom() != null) {
            q.bind("from", query.desiredFrom().toEpochMilli());
          }
          if (query.desiredTo() != null) {
            q.bind("to", query.desiredTo().toEpochMilli());
          }
          q.bind("limit", query.limit());
          return q.map((rs, ctx) -> read(rs)).list();
        });
  }

  @Override
  public List<StateChange> history(String id) {
    return jdbi.withHandle(
        handle ->
            handle
                .createQuery("SELECT state, reason, changed_at, source FROM callback_history"
                    + " WHERE callback_id = :id ORDER BY seq")
                .bind("id", id)
                .map((rs, ctx) -> new StateChange(
                    CallbackState.valueOf(rs.getString("state")),
                    rs.getString("reason"),
                    Instant.ofEpochMilli(rs.getLong("changed_at")),
                    rs.getString("source")))
                .list());
  }

  @Override
  public List<Callback> expiredActive(Instant now, int limit) {
    return jdbi.withHandle(
        handle ->
            handle
                .createQuery("SELECT " + COLUMNS + " FROM callback WHERE expiration_time < :now"
                    + " AND state <> 'COMPLETED' ORDER BY expiration_time LIMIT :limit")
                .bind("now", now.toEpochMilli())
                .bind("limit", limit)
                .map((rs, ctx) -> read(rs))
                .list());
  }

  @Override
  public int purgeCompleted(Instant expiredBefore, Instant completedBefore, int limit) {
    return jdbi.inTransaction(
        handle -> {
          List<String> ids =
              handle
                  .createQuery("SELECT id FROM callback WHERE expiration_time < :expired"
                      + " AND state = 'COMPLETED' AND updated_at < :completed"
                      + " ORDER BY expiration_time LIMIT :limit")
                  .bind("expired", expiredBefore.toEpochMilli())
                  .bind("completed", completedBefore.toEpochMilli())
                  .bind("limit", limit)
                  .mapTo(String.class)
                  .list();
          if (ids.isEmpty()) {
            return 0;
          }
          handle.createUpdate("DELETE FROM callback_history WHERE callback_id IN (<ids>)")
              .bindList("ids", ids).execute();
          handle.createUpdate("DELETE FROM callback_key WHERE callback_id IN (<ids>)")
              .bindList("ids", ids).execute();
          return handle.createUpdate("DELETE FROM callback WHERE id IN (<ids>)")
              .bindList("ids", ids).execute();
        });
  }

  @Override
  public long count() {
    return jdbi.withHandle(
        handle -> handle.createQuery("SELECT COUNT(*) FROM callback").mapTo(Long.class).one());
  }

  private void insertKeys(Handle handle, Callback callback) {
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

  private static void insertHistory(Handle handle, String id, int seq, StateChange change) {
    handle
        .createUpdate("INSERT INTO callback_history (callback_id, seq, state, reason, changed_at, source)"
            + " VALUES (:id, :seq, :state, :reason, :at, :source)")
        .bind("id", id)
        .bind("seq", seq)
        .bind("state", change.state().name())
        .bind("reason", change.reason())
        .bind("at", change.at().toEpochMilli())
        .bind("source", change.source())
        .execute();
  }

  private Callback read(ResultSet rs) throws SQLException {
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
        rs.getInt("version"),
        Instant.ofEpochMilli(rs.getLong("updated_at")));
  }

  private Map<String, Object> readProperties(String text) {
    try {
      return json.readValue(text, MAP);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored properties are not JSON", e);
    }
  }

  private String write(Map<String, Object> properties) {
    try {
      return json.writeValueAsString(properties);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("properties cannot be written as JSON", e);
    }
  }

  private static Long millis(Instant instant) {
    return instant == null ? null : instant.toEpochMilli();
  }
}
