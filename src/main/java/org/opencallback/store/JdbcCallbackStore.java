package org.opencallback.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
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
          + " due_time, properties, immediate, version, updated_at";
  /** Size of the slots booking counts are kept in: 5 minutes, the smallest bucket. */
  public static final long SLOT_MILLIS = 300_000L;
  private static final long DAY_MILLIS = 86_400_000L;

  private final Jdbi jdbi;
  private final ObjectMapper json;
  private final Dialect dialect;
  private final ServiceLocks locks = new ServiceLocks();
  private final GroupCommit<PendingInsert> inserts = new GroupCommit<>(locks);
  private final java.util.concurrent.atomic.LongAdder groups = new java.util.concurrent.atomic.LongAdder();
  private final java.util.concurrent.atomic.LongAdder grouped = new java.util.concurrent.atomic.LongAdder();
  /** This node's id, written as owner of the callbacks it takes; null outside a cluster. */
  private volatile String nodeId;

  public JdbcCallbackStore(DataSource dataSource, ObjectMapper json) {
    this(dataSource, json, Dialect.H2);
  }

  public JdbcCallbackStore(DataSource dataSource, ObjectMapper json, Dialect dialect) {
    this.jdbi = Jdbi.create(dataSource);
    this.json = json;
    this.dialect = dialect;
  }

  /** Marks the callbacks this node claims or accepts as owned by {@code nodeId} (cluster mode). */
  public JdbcCallbackStore ownedBy(String nodeId) {
    this.nodeId = nodeId;
    return this;
  }

  @Override
  public void insert(Callback callback, StateChange first) {
    insert(callback, first, AdmissionGuard.NONE);
  }

  /**
   * Checks and stores a new callback. Concurrent inserts of one service are stored together, one
   * transaction per group ({@link GroupCommit}); this returns once the group has committed, and the
   * guard sees every insert ordered before it, in this group or an earlier one.
   */
  @Override
  public void insert(Callback callback, StateChange first, AdmissionGuard guard) {
    inserts.submit(callback.service(), new PendingInsert(callback, first, guard), this::insertGroup);
  }

  /** Transactions that stored new callbacks (groups), since start. */
  public long insertTransactions() {
    return groups.sum();
  }

  /** New callbacks those transactions carried (stored or refused); divided by the above: group size. */
  public long insertsGrouped() {
    return grouped.sum();
  }

  /** Stores a group in one transaction; when that fails, stores its members one by one. */
  private void insertGroup(List<PendingInsert> group) {
    groups.increment();
    grouped.add(group.size());
    List<RuntimeException> refusals;
    try {
      refusals = jdbi.inTransaction(handle -> {
        for (String service : new java.util.TreeSet<>(group.stream().map(p -> p.callback.service()).toList())) {
          lockService(handle, service); // in one order in every node: no deadlock between groups
        }
        Counts counts = new Counts(handle);
        List<RuntimeException> checked = new ArrayList<>(group.size());
        for (PendingInsert pending : group) {
          checked.add(insertChecked(handle, counts, pending));
        }
        return checked;
      });
    } catch (RuntimeException e) {
      if (group.size() == 1) {
        group.get(0).finish(e);
        return;
      }
      // one member's statement failed (or the commit did): nothing of the group is stored; store
      // each on its own so that only the failing one fails
      for (PendingInsert pending : group) {
        insertGroup(List.of(pending));
      }
      return;
    }
    // committed
    for (int i = 0; i < group.size(); i++) {
      group.get(i).finish(refusals.get(i));
    }
  }

  /**
   * Runs one insert's admission check and, when it passes, its writes. Returns the check's refusal
   * (nothing written) or null; a failing statement throws.
   */
  private RuntimeException insertChecked(Handle handle, Counts counts, PendingInsert pending) {
    List<AdmissionGuard.ParameterValue> counted;
    try {
      counted = pending.guard.check(counts);
    } catch (org.jdbi.v3.core.JdbiException failed) {
      throw failed;
    } catch (RuntimeException refusal) {
      return refusal;
    }
    Callback callback = pending.callback;
    long day = Math.floorDiv(callback.timeScheduled().toEpochMilli(), DAY_MILLIS) * DAY_MILLIS;
    for (AdmissionGuard.ParameterValue parameter : counted) {
      handle.createUpdate(dialect.incrementThrottle())
          .bind("service", callback.service())
          .bind("name", parameter.name())
          .bind("value", truncate(parameter.value()))
          .bind("day", day)
          .execute();
    }
    handle
        .createUpdate("INSERT INTO callback (" + COLUMNS + ", owner_node) VALUES (:id, :service, :state,"
            + " :reason, :customer, :desired, :scheduled, :expiration, :due, :properties,"
            + " :immediate, :version, :updated, :owner)")
        .bind("owner", callback.state() == CallbackState.SCHEDULED || !callback.state().isActive()
            ? null : nodeId)
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
        .bind("immediate", callback.immediate())
        .bind("version", callback.version())
        .bind("updated", callback.updatedAt().toEpochMilli())
        .execute();
    if (callback.holdsPlace()) {
      book(handle, callback, 1);
    }
    insertKeys(handle, callback);
    insertHistory(handle, callback.id(), callback.version(), pending.first);
    return null;
  }

  /** An insert waiting for its group. */
  private static final class PendingInsert extends GroupCommit.Pending {
    final Callback callback;
    final StateChange first;
    final AdmissionGuard guard;

    PendingInsert(Callback callback, StateChange first, AdmissionGuard guard) {
      this.callback = callback;
      this.first = first;
      this.guard = guard;
    }
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
    return jdbi.inTransaction(handle -> update(handle, updated, expectedVersion, change));
  }

  @Override
  public boolean update(Callback updated, int expectedVersion, StateChange change, AdmissionGuard guard) {
    return locks.call(updated.service(), () -> jdbi.inTransaction(
        handle -> {
          lockService(handle, updated.service());
          guard.check(new Counts(handle));
          return update(handle, updated, expectedVersion, change);
        }));
  }

  private boolean update(Handle handle, Callback updated, int expectedVersion, StateChange change) {
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
                      + " immediate = :immediate,"
                      + " version = :newVersion, updated_at = :updated"
                      + (takes(before.get(), updated) ? ", owner_node = :owner" : "")
                      + " WHERE id = :id AND version = :version")
                  .bind("state", updated.state().name())
                  .bind("reason", updated.reason())
                  .bind("customer", updated.customerNumber())
                  .bind("desired", updated.desiredTime().toEpochMilli())
                  .bind("expiration", updated.expirationTime().toEpochMilli())
                  .bind("due", millis(updated.dueTime()))
                  .bind("properties", write(updated.properties()))
                  .bind("immediate", updated.immediate())
                  .bind("newVersion", updated.version())
                  .bind("updated", updated.updatedAt().toEpochMilli())
                  .bind("id", updated.id())
                  .bind("version", expectedVersion)
                  .bindMap(takes(before.get(), updated) ? Map.of("owner", nodeId) : Map.of())
                  .execute();
          if (rows != 1) {
            return false;
          }
          Callback old = before.get();
          boolean sameSlot = slot(old.desiredTime()) == slot(updated.desiredTime());
          if (old.holdsPlace() && !(updated.holdsPlace() && sameSlot)) {
            book(handle, old, -1);
          }
          if (updated.holdsPlace() && !(old.holdsPlace() && sameSlot)) {
            book(handle, updated, 1);
          }
          if (!before.get().properties().equals(updated.properties())
              || !Objects.equals(before.get().customerNumber(), updated.customerNumber())) {
            handle.createUpdate("DELETE FROM callback_key WHERE callback_id = :id")
                .bind("id", updated.id())
                .execute();
            insertKeys(handle, updated);
          }
          if (change != null) {
            // the version is unique per callback and grows with every change: it orders the history
            insertHistory(handle, updated.id(), updated.version(), change);
          }
          return true;
  }

  /** Whether this change hands a callback over here (rescheduled to now): this node owns it then. */
  private boolean takes(Callback before, Callback after) {
    return nodeId != null && before.state() == CallbackState.SCHEDULED
        && after.state() != CallbackState.SCHEDULED && after.state().isActive();
  }

  @Override
  public List<Callback> lookup(LookupQuery query) {
    StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM callback c WHERE 1 = 1");
    if (query.service() != null) {
      sql.append(" AND c.service = :service");
    }
    if (!query.keys().isEmpty()) {
      // the keys drive the query: each is one range of the callback_key_lookup index, and the
      // callbacks are then read by id. (A correlated EXISTS per callback row made H2 read every
      // callback of the service: seconds with a million stored, docs/benchmarks.md.)
      List<String> selects = new ArrayList<>();
      for (int i = 0; i < query.keys().size(); i++) {
        selects.add("SELECT k.callback_id FROM callback_key k WHERE k.key_name = :name" + i
            + " AND k.key_value = :value" + i + (query.service() != null ? " AND k.service = :service" : ""));
      }
      if (query.anyKey()) {
        sql.append(" AND c.id IN (").append(String.join(" UNION ", selects)).append(")");
      } else {
        for (String select : selects) {
          sql.append(" AND c.id IN (").append(select).append(")");
        }
      }
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
  public Map<Instant, Integer> bookedSlots(String service, Instant from, Instant to) {
    return jdbi.withHandle(
        handle -> {
          Map<Instant, Integer> slots = new LinkedHashMap<>();
          handle.createQuery("SELECT slot_start, taken FROM booking_count WHERE service = :service"
                  + " AND slot_start >= :from AND slot_start < :to AND taken > 0 ORDER BY slot_start")
              .bind("service", service)
              .bind("from", slot(from))
              .bind("to", to.toEpochMilli())
              .map((rs, ctx) -> Map.entry(Instant.ofEpochMilli(rs.getLong(1)), rs.getInt(2)))
              .forEach(e -> slots.put(e.getKey(), e.getValue()));
          return slots;
        });
  }

  @Override
  public List<Due> scheduledDue(Instant from, Instant until, int limit) {
    return jdbi.withHandle(
        handle ->
            handle
                .createQuery("SELECT id, service, due_time FROM callback WHERE state = 'SCHEDULED'"
                    + " AND due_time >= :from AND due_time <= :until ORDER BY due_time LIMIT :limit")
                .bind("from", from.toEpochMilli())
                .bind("until", until.toEpochMilli())
                .bind("limit", limit)
                .map((rs, ctx) -> new Due(rs.getString(1), rs.getString(2), Instant.ofEpochMilli(rs.getLong(3))))
                .list());
  }

  @Override
  public List<Callback> claimDue(List<String> ids, Instant now, String source) {
    if (ids.isEmpty()) {
      return List.of();
    }
    // the same order in every claimer, so that two claimers (two nodes) never deadlock
    List<String> sorted = ids.stream().distinct().sorted().toList();
    return jdbi.inTransaction(
        handle -> {
          List<String> candidates = sorted;
          String lockDue = dialect.lockDue();
          if (lockDue != null) {
            // rows another node is claiming right now are skipped, not waited for
            candidates = handle.createQuery(lockDue)
                .bindList("ids", sorted)
                .bind("now", now.toEpochMilli())
                .mapTo(String.class)
                .list();
            if (candidates.isEmpty()) {
              return List.of();
            }
          }
          PreparedBatch claim = handle.prepareBatch("UPDATE callback SET state = 'QUEUED', due_time = NULL,"
              + " version = version + 1, updated_at = :now, owner_node = :owner"
              + " WHERE id = :id AND state = 'SCHEDULED' AND due_time <= :now");
          for (String id : candidates) {
            claim.bind("id", id).bind("now", now.toEpochMilli()).bind("owner", nodeId).add();
          }
          int[] counts = claim.execute();
          List<String> claimed = new ArrayList<>();
          for (int i = 0; i < counts.length; i++) {
            if (counts[i] > 0) {
              claimed.add(candidates.get(i));
            }
          }
          if (claimed.isEmpty()) {
            return List.of();
          }
          List<Callback> rows = handle.createQuery("SELECT " + COLUMNS + " FROM callback WHERE id IN (<ids>)")
              .bindList("ids", claimed)
              .map((rs, ctx) -> read(rs))
              .list();
          PreparedBatch history = handle.prepareBatch("INSERT INTO callback_history"
              + " (callback_id, seq, state, reason, changed_at, source)"
              + " VALUES (:id, :seq, 'QUEUED', NULL, :now, :source)");
          for (Callback row : rows) {
            history.bind("id", row.id()).bind("seq", row.version()).bind("now", now.toEpochMilli())
                .bind("source", source).add();
          }
          history.execute();
          return rows;
        });
  }

  @Override
  public Map<String, Integer> versionsInState(java.util.Collection<String> ids, CallbackState state) {
    if (ids.isEmpty()) {
      return Map.of();
    }
    return jdbi.withHandle(
        handle -> {
          Map<String, Integer> versions = new HashMap<>();
          handle.createQuery("SELECT id, version FROM callback WHERE id IN (<ids>) AND state = :state")
              .bindList("ids", List.copyOf(ids))
              .bind("state", state.name())
              .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getInt(2)))
              .forEach(entry -> versions.put(entry.getKey(), entry.getValue()));
          return versions;
        });
  }

  @Override
  public List<Callback> inStates(java.util.Set<CallbackState> states, String afterId, int limit) {
    if (states.isEmpty()) {
      return List.of();
    }
    return jdbi.withHandle(
        handle ->
            handle
                .createQuery("SELECT " + COLUMNS + " FROM callback WHERE state IN (<states>)"
                    + " AND id > :after ORDER BY id LIMIT :limit")
                .bindList("states", states.stream().map(Enum::name).toList())
                .bind("after", afterId == null ? "" : afterId)
                .bind("limit", limit)
                .map((rs, ctx) -> read(rs))
                .list());
  }

  @Override
  public long count() {
    return jdbi.withHandle(
        handle -> handle.createQuery("SELECT COUNT(*) FROM callback").mapTo(Long.class).one());
  }

  /** Filters of the queue query that compare a column rather than a stored property. */
  private static final Map<String, String> FILTER_COLUMNS =
      Map.of("_callback_state", "state", "_callback_reason", "reason", "_customer_number", "customer_number");
  private static final int MAX_DELETE_ATTEMPTS = 10;

  private record StateCount(String service, CallbackState state, long count) {}

  @Override
  public List<Callback> inQueue(QueueQuery query) {
    StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM callback c WHERE c.service = :service"
        + " AND c.desired_time >= :from AND c.desired_time <= :to");
    if (!query.states().isEmpty()) {
      sql.append(" AND c.state IN (<states>)");
    }
    int i = 0;
    for (String name : query.filters().keySet()) {
      String column = FILTER_COLUMNS.get(name);
      if (column != null) {
        sql.append(" AND c.").append(column).append(" = :value").append(i);
      } else {
        sql.append(" AND EXISTS (SELECT 1 FROM callback_key k WHERE k.callback_id = c.id")
            .append(" AND k.key_name = :name").append(i).append(" AND k.key_value = :value").append(i).append(")");
      }
      i++;
    }
    sql.append(" ORDER BY c.desired_time, c.id LIMIT :limit");
    return jdbi.withHandle(
        handle -> {
          Query q = handle.createQuery(sql.toString())
              .bind("service", query.service())
              .bind("from", query.desiredFrom().toEpochMilli())
              .bind("to", query.desiredTo().toEpochMilli())
              .bind("limit", query.limit());
          if (!query.states().isEmpty()) {
            q.bindList("states", query.states().stream().map(Enum::name).sorted().toList());
          }
          int n = 0;
          for (Map.Entry<String, String> filter : query.filters().entrySet()) {
            q.bind("name" + n, filter.getKey());
            q.bind("value" + n, filter.getValue());
            n++;
          }
          return q.map((rs, ctx) -> read(rs)).list();
        });
  }

  @Override
  public Map<String, Map<CallbackState, Long>> countByServiceAndState() {
    return jdbi.withHandle(
        handle -> {
          Map<String, Map<CallbackState, Long>> counts = new java.util.TreeMap<>();
          handle.createQuery("SELECT service, state, COUNT(*) FROM callback GROUP BY service, state")
              .map((rs, ctx) -> new StateCount(rs.getString(1), CallbackState.valueOf(rs.getString(2)), rs.getLong(3)))
              .forEach(count -> counts.computeIfAbsent(count.service(), s -> new java.util.EnumMap<>(CallbackState.class))
                  .put(count.state(), count.count()));
          return counts;
        });
  }

  @Override
  public Map<String, Long> countInStates(java.util.Set<CallbackState> states, Instant changedSince) {
    if (states.isEmpty()) {
      return Map.of();
    }
    return jdbi.withHandle(
        handle -> {
          Map<String, Long> counts = new java.util.TreeMap<>();
          handle.createQuery("SELECT service, COUNT(*) FROM callback WHERE state IN (<states>)"
                  + " AND updated_at >= :since GROUP BY service")
              .bindList("states", states.stream().map(Enum::name).sorted().toList())
              .bind("since", changedSince.toEpochMilli())
              .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getLong(2)))
              .forEach(entry -> counts.put(entry.getKey(), entry.getValue()));
          return counts;
        });
  }

  @Override
  public List<String> idsByCustomerNumber(String customerNumber, int limit) {
    return jdbi.withHandle(
        handle -> handle.createQuery("SELECT id FROM callback WHERE customer_number = :number ORDER BY id LIMIT :limit")
            .bind("number", customerNumber)
            .bind("limit", limit)
            .mapTo(String.class)
            .list());
  }

  @Override
  public DeleteResult delete(String id, java.util.Set<CallbackState> deletable) {
    for (int attempt = 0; attempt < MAX_DELETE_ATTEMPTS; attempt++) {
      Optional<Callback> found = find(id);
      if (found.isEmpty()) {
        return new DeleteResult(null, false);
      }
      Callback callback = found.get();
      if (!deletable.contains(callback.state())) {
        return new DeleteResult(callback, false);
      }
      boolean deleted = locks.call(callback.service(), () -> jdbi.inTransaction(
          handle -> {
            lockService(handle, callback.service());
            int rows = handle.createUpdate("DELETE FROM callback WHERE id = :id AND version = :version")
                .bind("id", id)
                .bind("version", callback.version())
                .execute();
            if (rows != 1) {
              return false;
            }
            // the foreign keys cascade; said again so that no row can outlive its callback
            handle.createUpdate("DELETE FROM callback_history WHERE callback_id = :id").bind("id", id).execute();
            handle.createUpdate("DELETE FROM callback_key WHERE callback_id = :id").bind("id", id).execute();
            if (callback.holdsPlace()) {
              book(handle, callback, -1);
            }
            return true;
          }));
      if (deleted) {
        return new DeleteResult(callback, true);
      }
    }
    throw new IllegalStateException("callback " + id + " kept changing while it was being deleted");
  }

  @Override
  public List<Callback> completedWithReason(String reason, Instant from, Instant to, int limit) {
    return jdbi.withHandle(
        handle -> handle.createQuery("SELECT " + COLUMNS + " FROM callback WHERE reason = :reason"
                + " AND desired_time >= :from AND desired_time <= :to AND state = 'COMPLETED'"
                + " ORDER BY desired_time, id LIMIT :limit")
            .bind("reason", reason)
            .bind("from", from.toEpochMilli())
            .bind("to", to.toEpochMilli())
            .bind("limit", limit)
            .map((rs, ctx) -> read(rs))
            .list());
  }

  @Override
  public List<Callback> search(CallbackSearch search) {
    Map<String, Object> binds = new LinkedHashMap<>();
    String where = searchWhere(search, binds);
    return jdbi.withHandle(handle -> {
      Query q = handle.createQuery("SELECT " + COLUMNS + " FROM callback c" + where
          + " ORDER BY c.desired_time, c.id LIMIT :limit OFFSET :offset");
      binds.forEach(q::bind);
      return q.bind("limit", search.limit()).bind("offset", search.offset()).map((rs, ctx) -> read(rs)).list();
    });
  }

  @Override
  public long countMatching(CallbackSearch search) {
    Map<String, Object> binds = new LinkedHashMap<>();
    String where = searchWhere(search, binds);
    return jdbi.withHandle(handle -> {
      Query q = handle.createQuery("SELECT COUNT(*) FROM callback c" + where);
      binds.forEach(q::bind);
      return q.mapTo(Long.class).one();
    });
  }

  private static String searchWhere(CallbackSearch search, Map<String, Object> binds) {
    StringBuilder where = new StringBuilder(" WHERE 1 = 1");
    if (search.service() != null) {
      where.append(" AND c.service = :service");
      binds.put("service", search.service());
    }
    if (search.state() != null) {
      where.append(" AND c.state = :state");
      binds.put("state", search.state().name());
    }
    if (search.customerNumber() != null) {
      where.append(" AND c.customer_number LIKE :number ESCAPE '\\'");
      binds.put("number", "%" + search.customerNumber().replace("\\", "\\\\").replace("%", "\\%")
          .replace("_", "\\_") + "%");
    }
    if (search.desiredFrom() != null) {
      where.append(" AND c.desired_time >= :from");
      binds.put("from", search.desiredFrom().toEpochMilli());
    }
    if (search.desiredTo() != null) {
      where.append(" AND c.desired_time < :to");
      binds.put("to", search.desiredTo().toEpochMilli());
    }
    return where.toString();
  }

  @Override
  public Map<String, Long> countDesiredBetween(CallbackState state, Instant from, Instant to) {
    Map<String, Long> counts = new java.util.TreeMap<>();
    jdbi.useHandle(handle -> handle
        .createQuery("SELECT service, COUNT(*) AS n FROM callback WHERE state = :state"
            + " AND desired_time >= :from AND desired_time < :to GROUP BY service")
        .bind("state", state.name())
        .bind("from", from.toEpochMilli())
        .bind("to", to.toEpochMilli())
        .map((rs, ctx) -> counts.put(rs.getString("service"), rs.getLong("n")))
        .list());
    return counts;
  }

  @Override
  public List<ActivityCount> activity(Instant from, java.time.Duration bucket) {
    long size = Math.max(1, bucket.toMillis());
    Map<String, int[]> counts = new java.util.TreeMap<>();
    jdbi.useHandle(handle -> {
      handle.createQuery("SELECT service, b, COUNT(*) AS n FROM (SELECT service, (time_scheduled - :from) / :size AS b"
              + " FROM callback WHERE time_scheduled >= :from) t GROUP BY service, b")
          .bind("from", from.toEpochMilli()).bind("size", size)
          .map((rs, ctx) -> counts.computeIfAbsent(rs.getString("service") + "\n" + rs.getLong("b"),
              k -> new int[2])[0] += rs.getInt("n"))
          .list();
      // a completed callback may be reported COMPLETED again (disposition): its first entry counts
      handle.createQuery("SELECT service, b, COUNT(*) AS n FROM (SELECT c.service, (h.t - :from) / :size AS b"
              + " FROM (SELECT callback_id, MIN(changed_at) AS t FROM callback_history"
              + " WHERE state = 'COMPLETED' AND changed_at >= :from GROUP BY callback_id) h"
              + " JOIN callback c ON c.id = h.callback_id"
              + " WHERE NOT EXISTS (SELECT 1 FROM callback_history e WHERE e.callback_id = h.callback_id"
              + " AND e.state = 'COMPLETED' AND e.changed_at < :from)) t GROUP BY service, b")
          .bind("from", from.toEpochMilli()).bind("size", size)
          .map((rs, ctx) -> counts.computeIfAbsent(rs.getString("service") + "\n" + rs.getLong("b"),
              k -> new int[2])[1] += rs.getInt("n"))
          .list();
    });
    List<ActivityCount> activity = new ArrayList<>();
    counts.forEach((key, n) -> {
      int split = key.lastIndexOf('\n');
      long index = Long.parseLong(key.substring(split + 1));
      activity.add(new ActivityCount(key.substring(0, split), from.plusMillis(index * size), n[0], n[1]));
    });
    activity.sort(java.util.Comparator.comparing(ActivityCount::service).thenComparing(ActivityCount::bucketStart));
    return activity;
  }

  private void lockService(Handle handle, String service) {
    String sql = dialect.serviceLock();
    if (sql != null) {
      // pg_advisory_xact_lock returns void: read the row, not its value
      handle.createQuery(sql).bind("service", service).map((rs, ctx) -> Boolean.TRUE).list();
    }
  }

  private void book(Handle handle, Callback callback, int delta) {
    handle.createUpdate(dialect.incrementBooking())
        .bind("service", callback.service())
        .bind("slot", slot(callback.desiredTime()))
        .bind("delta", delta)
        .execute();
  }

  static long slot(Instant time) {
    return Math.floorDiv(time.toEpochMilli(), SLOT_MILLIS) * SLOT_MILLIS;
  }

  private static String truncate(String value) {
    return value.length() <= MAX_KEY_VALUE ? value : value.substring(0, MAX_KEY_VALUE);
  }

  /** Counts for admission checks, on the storing transaction's connection. */
  private static final class Counts implements AdmissionQuery {
    private final Handle handle;

    Counts(Handle handle) {
      this.handle = handle;
    }

    @Override
    public int activeForNumber(String service, String customerNumber) {
      return handle.createQuery("SELECT COUNT(*) FROM callback WHERE service = :service"
              + " AND customer_number = :number AND state <> 'COMPLETED'")
          .bind("service", service).bind("number", customerNumber).mapTo(Integer.class).one();
    }

    @Override
    public int inState(String service, CallbackState state) {
      return handle.createQuery("SELECT COUNT(*) FROM callback WHERE service = :service AND state = :state")
          .bind("service", service).bind("state", state.name()).mapTo(Integer.class).one();
    }

    @Override
    public int immediateSince(String service, Instant since) {
      return handle.createQuery("SELECT COUNT(*) FROM callback WHERE service = :service"
              + " AND immediate = TRUE AND time_scheduled >= :since")
          .bind("service", service).bind("since", since.toEpochMilli()).mapTo(Integer.class).one();
    }

    @Override
    public int parameterCount(String service, String name, String value, Instant dayStart) {
      return handle.createQuery("SELECT COALESCE(MAX(taken), 0) FROM throttle_count WHERE service = :service"
              + " AND param_name = :name AND param_value = :value AND day_start = :day")
          .bind("service", service).bind("name", name).bind("value", truncate(value))
          .bind("day", dayStart.toEpochMilli()).mapTo(Integer.class).one();
    }

    @Override
    public int booked(String service, Instant from, Instant to) {
      return handle.createQuery("SELECT COALESCE(SUM(taken), 0) FROM booking_count WHERE service = :service"
              + " AND slot_start >= :from AND slot_start < :to")
          .bind("service", service).bind("from", slot(from)).bind("to", to.toEpochMilli())
          .mapTo(Integer.class).one();
    }
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
        rs.getBoolean("immediate"),
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
