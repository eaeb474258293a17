package org.opencallback.store;

import com.fasterxml.jackson.databind.ObjectMapper;
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

/**
 * The JDBC store, shared by H2, PostgreSQL and SQLite. Thread-safe. Writes go through {@code jdbi}
 * (on SQLite: its one writer connection), reads outside a write through {@code reads} (on SQLite:
 * the read-only pool; elsewhere the same pool).
 *
 * <p>Why this file is long: it implements {@link CallbackStore}, one short method per operation on
 * the callbacks table, each beside its SQL, so that the whole table's use (and its locking: versioned
 * updates, claims with {@code SKIP LOCKED}) can be read in one place. Row mapping ({@link
 * CallbackRows}), group commit ({@link GroupCommit}), dialect differences ({@link Dialect}) and the
 * report, lookup and queue queries ({@link ReportQueries}, {@link LookupQuery}, {@link QueueQuery})
 * are already apart.
 */
public final class JdbcCallbackStore implements CallbackStore {
  /** Size of the slots booking counts are kept in: 5 minutes, the smallest bucket. */
  public static final long SLOT_MILLIS = AdmissionCounts.SLOT_MILLIS;
  private static final String COLUMNS = CallbackRows.COLUMNS;

  private final Jdbi jdbi;
  private final Jdbi reads;
  private final Dialect dialect;
  private final PlannerStatistics statistics;
  private final CallbackRows callbackRows;
  private final AdmissionCounts admission;
  private final ReportQueries reports;
  private final TablePurges purges;
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
    this(dataSource, dataSource, json, dialect);
  }

  /** The store of an open database: its dialect, its writes and reads through their pools. */
  public JdbcCallbackStore(Database database, ObjectMapper json) {
    this(database.dataSource(), database.readDataSource(), json, database.dialect());
  }

  private JdbcCallbackStore(DataSource writes, DataSource reads, ObjectMapper json, Dialect dialect) {
    this.jdbi = Jdbi.create(writes);
    this.reads = reads == writes ? jdbi : Jdbi.create(reads);
    this.dialect = dialect;
    this.statistics = new PlannerStatistics(jdbi, dialect);
    this.callbackRows = new CallbackRows(json);
    this.admission = new AdmissionCounts(dialect);
    this.reports = new ReportQueries(this.reads, callbackRows);
    this.purges = new TablePurges(jdbi);
  }

  /** Refreshes of the planner's statistics since start (SQLite; for tests). */
  long statisticsRefreshes() {
    return statistics.refreshes();
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
          admission.lockService(handle, service); // in one order in every node: no deadlock between groups
        }
        AdmissionQuery counts = admission.counts(handle);
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
    statistics.wrote(group.size());
  }

  /**
   * Runs one insert's admission check and, when it passes, its writes. Returns the check's refusal
   * (nothing written) or null; a failing statement throws.
   */
  private RuntimeException insertChecked(Handle handle, AdmissionQuery counts, PendingInsert pending) {
    List<AdmissionGuard.ParameterValue> counted;
    try {
      counted = pending.guard.check(counts);
    } catch (org.jdbi.v3.core.JdbiException failed) {
      throw failed;
    } catch (RuntimeException refusal) {
      return refusal;
    }
    Callback callback = pending.callback;
    admission.countParameters(handle, callback, counted);
    handle
        .createUpdate("INSERT INTO callback (" + COLUMNS + ", owner_node) VALUES (:id, :service, :state,"
            + " :reason, :customer, :desired, :scheduled, :expiration, :due, :properties, :serverState,"
            + " :immediate, :version, :updated, :resolved, :owner)")
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
        .bind("due", CallbackRows.millis(callback.dueTime()))
        .bind("properties", callbackRows.write(callback.properties()))
        .bind("serverState", callbackRows.write(callback.serverState()))
        .bind("immediate", callback.immediate())
        .bind("version", callback.version())
        .bind("updated", callback.updatedAt().toEpochMilli())
        .bind("resolved", callbackRows.writeOptions(callback.resolvedOptions()))
        .execute();
    if (callback.holdsPlace()) {
      admission.book(handle, callback, 1);
    }
    CallbackRows.insertKeys(handle, callback);
    CallbackRows.insertHistory(handle, callback.id(), callback.version(), pending.first);
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
    return reads.withHandle(
        handle ->
            handle
                .createQuery("SELECT " + COLUMNS + " FROM callback WHERE id = :id")
                .bind("id", id)
                .map((rs, ctx) -> callbackRows.read(rs))
                .findOne());
  }

  @Override
  public boolean update(Callback updated, int expectedVersion, StateChange change) {
    return wrote(jdbi.inTransaction(handle -> update(handle, updated, expectedVersion, change)));
  }

  private boolean wrote(boolean changed) {
    statistics.wrote(changed ? 1 : 0);
    return changed;
  }

  @Override
  public boolean updateAsOwner(Callback updated, int expectedVersion, StateChange change) {
    if (nodeId == null) {
      return update(updated, expectedVersion, change);
    }
    return jdbi.inTransaction(handle -> {
      // the fencing token: the row is locked, then its owner compared, in the transaction that writes
      // (SQLite has no row locks and needs none: its one writer holds the file's write lock)
      Optional<String> owner = handle
          .createQuery("SELECT COALESCE(owner_node, '') FROM callback WHERE id = :id AND version = :version"
              + (dialect == Dialect.SQLITE ? "" : " FOR UPDATE"))
          .bind("id", updated.id()).bind("version", expectedVersion)
          .mapTo(String.class).findOne();
      if (owner.isEmpty() || !(owner.get().isEmpty() || owner.get().equals(nodeId))) {
        return false;
      }
      return update(handle, updated, expectedVersion, change);
    });
  }

  @Override
  public boolean ownedElsewhere(String id) {
    if (nodeId == null) {
      return false;
    }
    return reads.withHandle(handle -> handle
        .createQuery("SELECT owner_node FROM callback WHERE id = :id AND owner_node IS NOT NULL AND owner_node <> :me")
        .bind("id", id).bind("me", nodeId).mapTo(String.class).findOne()).isPresent();
  }

  @Override
  public boolean update(Callback updated, int expectedVersion, StateChange change, AdmissionGuard guard) {
    return wrote(locks.call(updated.service(), () -> jdbi.inTransaction(
        handle -> {
          admission.lockService(handle, updated.service());
          guard.check(admission.counts(handle));
          return update(handle, updated, expectedVersion, change);
        })));
  }

  private boolean update(Handle handle, Callback updated, int expectedVersion, StateChange change) {
          Optional<Callback> before =
              handle
                  .createQuery("SELECT " + COLUMNS + " FROM callback WHERE id = :id AND version = :version")
                  .bind("id", updated.id())
                  .bind("version", expectedVersion)
                  .map((rs, ctx) -> callbackRows.read(rs))
                  .findOne();
          if (before.isEmpty()) {
            return false;
          }
          return write(handle, before.get(), updated, change, false);
  }

  /**
   * Reads nothing: {@code before} is the row at its version (every change of the columns it is
   * compared on raises the version), so the versioned UPDATE either finds exactly that row or
   * changes nothing. With {@code fenced}, the UPDATE also requires this node (or no node) to own the
   * row: the fencing token checked in the statement that writes, under the row's lock.
   */
  @Override
  public boolean update(Callback before, Callback updated, StateChange change, boolean asOwner) {
    boolean changed = jdbi.inTransaction(handle -> write(handle, before, updated, change, asOwner && nodeId != null));
    statistics.wrote(changed ? 1 : 0);
    return changed;
  }

  @Override
  public Map<String, Callback> findAll(java.util.Collection<String> ids) {
    if (ids.isEmpty()) {
      return Map.of();
    }
    return reads.withHandle(handle -> {
      Map<String, Callback> found = new HashMap<>();
      handle.createQuery("SELECT " + COLUMNS + " FROM callback WHERE id IN (<ids>)")
          .bindList("ids", List.copyOf(ids))
          .map((rs, ctx) -> callbackRows.read(rs))
          .forEach(callback -> found.put(callback.id(), callback));
      return found;
    });
  }

  /**
   * One transaction. The changes that touch nothing but the row and its history (no owner taken,
   * no place booked or given back, the lookup keys the same: an engine's report) are sent as one
   * batch of versioned UPDATEs, then one batch of history rows for those that matched; any other
   * change is written as {@link #update(Callback, Callback, StateChange, boolean)} writes it.
   */
  @Override
  public boolean[] updateAll(List<Update> updates, boolean asOwner) {
    boolean[] stored = new boolean[updates.size()];
    if (updates.isEmpty()) {
      return stored;
    }
    boolean fenced = asOwner && nodeId != null;
    jdbi.useTransaction(handle -> {
      List<Integer> plain = new ArrayList<>();
      for (int i = 0; i < updates.size(); i++) {
        Update update = updates.get(i);
        if (plain(update.before(), update.updated())) {
          plain.add(i);
        } else {
          stored[i] = write(handle, update.before(), update.updated(), update.change(), fenced);
        }
      }
      if (plain.isEmpty()) {
        return;
      }
      PreparedBatch rows = handle.prepareBatch(UPDATE_ROW + (fenced ? FENCE : ""));
      for (int i : plain) {
        bindRow(rows, updates.get(i).updated(), updates.get(i).before().version());
        if (fenced) {
          rows.bind("me", nodeId);
        }
        rows.add();
      }
      int[] counts = rows.execute();
      PreparedBatch history = null;
      for (int k = 0; k < counts.length; k++) {
        int i = plain.get(k);
        stored[i] = counts[k] == 1;
        StateChange change = updates.get(i).change();
        if (stored[i] && change != null) {
          history = history != null ? history : handle.prepareBatch(CallbackRows.INSERT_HISTORY);
          CallbackRows.bindHistory(history, updates.get(i).updated().id(), updates.get(i).updated().version(), change);
          history.add();
        }
      }
      if (history != null) {
        history.execute();
      }
    });
    int changed = 0;
    for (boolean one : stored) {
      changed += one ? 1 : 0;
    }
    statistics.wrote(changed);
    return stored;
  }

  /** Whether a change touches only its row and history: owner, bookings and lookup keys stay. */
  private boolean plain(Callback old, Callback updated) {
    return !takes(old, updated) && !old.holdsPlace() && !updated.holdsPlace()
        && old.properties().equals(updated.properties())
        && Objects.equals(old.customerNumber(), updated.customerNumber());
  }

  /** Every column a change may set; an owner taken ({@code :owner}) is appended by {@link #write}. */
  private static final String SET_ROW = "UPDATE callback SET state = :state, reason = :reason,"
      + " customer_number = :customer, desired_time = :desired,"
      + " expiration_time = :expiration, due_time = :due, properties = :properties,"
      + " server_state = :serverState, immediate = :immediate,"
      + " version = :newVersion, updated_at = :updated";
  /** The versioned condition: the row as it was read, or nothing changes. */
  private static final String AT_VERSION = " WHERE id = :id AND version = :version";
  private static final String UPDATE_ROW = SET_ROW + AT_VERSION;
  /** The fencing token of an engine's write in a cluster: this node, or no node, owns the row. */
  private static final String FENCE = " AND (owner_node IS NULL OR owner_node = :me)";

  private void bindRow(org.jdbi.v3.core.statement.SqlStatement<?> statement, Callback updated, int expectedVersion) {
    statement
        .bind("state", updated.state().name())
        .bind("reason", updated.reason())
        .bind("customer", updated.customerNumber())
        .bind("desired", updated.desiredTime().toEpochMilli())
        .bind("expiration", updated.expirationTime().toEpochMilli())
        .bind("due", CallbackRows.millis(updated.dueTime()))
        .bind("properties", callbackRows.write(updated.properties()))
        .bind("serverState", callbackRows.write(updated.serverState()))
        .bind("immediate", updated.immediate())
        .bind("newVersion", updated.version())
        .bind("updated", updated.updatedAt().toEpochMilli())
        .bind("id", updated.id())
        .bind("version", expectedVersion);
  }

  private boolean write(Handle handle, Callback old, Callback updated, StateChange change, boolean fenced) {
    int expectedVersion = old.version();
    boolean takes = takes(old, updated);
    org.jdbi.v3.core.statement.Update statement = handle.createUpdate(SET_ROW
        + (takes ? ", owner_node = :owner" : "") + AT_VERSION + (fenced ? FENCE : ""));
    bindRow(statement, updated, expectedVersion);
    int rows = statement
        .bindMap(fenced ? Map.of("me", nodeId) : Map.of())
        .bindMap(takes ? Map.of("owner", nodeId) : Map.of())
        .execute();
    if (rows != 1) {
      return false;
    }
    boolean sameSlot = AdmissionCounts.slot(old.desiredTime()) == AdmissionCounts.slot(updated.desiredTime());
    if (old.holdsPlace() && !(updated.holdsPlace() && sameSlot)) {
      admission.book(handle, old, -1);
    }
    if (updated.holdsPlace() && !(old.holdsPlace() && sameSlot)) {
      admission.book(handle, updated, 1);
    }
    if (!old.properties().equals(updated.properties())
        || !Objects.equals(old.customerNumber(), updated.customerNumber())) {
      handle.createUpdate("DELETE FROM callback_key WHERE callback_id = :id")
          .bind("id", updated.id())
          .execute();
      CallbackRows.insertKeys(handle, updated);
    }
    if (change != null) {
      // the version is unique per callback and grows with every change: it orders the history
      CallbackRows.insertHistory(handle, updated.id(), updated.version(), change);
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
    if (query.service() != null && query.keys().isEmpty()) {
      // with keys, each key's range names the service (a key row carries its callback's service):
      // said of the callback as well, it let SQLite read the service's callbacks (SqlitePlanTest)
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
    return reads.withHandle(
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
          return q.map((rs, ctx) -> callbackRows.read(rs)).list();
        });
  }

  @Override
  public List<StateChange> history(String id) {
    return reads.withHandle(
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
    return reads.withHandle(
        handle ->
            handle
                .createQuery("SELECT " + COLUMNS + " FROM callback WHERE expiration_time < :now"
                    + " AND state <> 'COMPLETED' ORDER BY expiration_time LIMIT :limit")
                .bind("now", now.toEpochMilli())
                .bind("limit", limit)
                .map((rs, ctx) -> callbackRows.read(rs))
                .list());
  }

  @Override
  public List<Callback> scheduledWithKey(String service, String keyName, Instant from, Instant to,
      Instant afterTime, String afterId, int limit) {
    return reports.scheduledWithKey(service, keyName, from, to, afterTime, afterId, limit);
  }

  @Override
  public int purgeThrottleCounts(Instant now, int limit) {
    return purged(purges.throttleCounts(now, limit));
  }

  @Override
  public int purgeBookings(Instant now, int limit) {
    return purged(purges.bookings(now, limit));
  }

  @Override
  public int purgeDeadNodes(Instant deadBefore) {
    return purged(purges.deadNodes(deadBefore));
  }

  @Override
  public int forgetThrottleCounts(java.util.Collection<String> values) {
    return purges.forgetThrottled(values);
  }

  private int purged(int rows) {
    statistics.purged(rows);
    return rows;
  }

  @Override
  public int purgeCompleted(Instant expiredBefore, Instant completedBefore, int limit) {
    return purged(jdbi.inTransaction(
        handle -> {
          List<String> ids =
              handle
                  .createQuery("SELECT id FROM " + dialect.indexed("callback", "callback_expiration")
                      + " WHERE expiration_time < :expired"
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
        }));
  }

  @Override
  public Map<Instant, Integer> bookedSlots(String service, Instant from, Instant to) {
    return reads.withHandle(
        handle -> {
          Map<Instant, Integer> slots = new LinkedHashMap<>();
          handle.createQuery("SELECT slot_start, taken FROM booking_count WHERE service = :service"
                  + " AND slot_start >= :from AND slot_start < :to AND taken > 0 ORDER BY slot_start")
              .bind("service", service)
              .bind("from", AdmissionCounts.slot(from))
              .bind("to", to.toEpochMilli())
              .map((rs, ctx) -> Map.entry(Instant.ofEpochMilli(rs.getLong(1)), rs.getInt(2)))
              .forEach(e -> slots.put(e.getKey(), e.getValue()));
          return slots;
        });
  }

  @Override
  public List<Due> scheduledDue(Instant from, Instant until, int limit) {
    return reads.withHandle(
        handle ->
            handle
                .createQuery("SELECT id, service, due_time, version FROM callback WHERE state = 'SCHEDULED'"
                    + " AND due_time >= :from AND due_time <= :until ORDER BY due_time LIMIT :limit")
                .bind("from", from.toEpochMilli())
                .bind("until", until.toEpochMilli())
                .bind("limit", limit)
                .map((rs, ctx) -> due(rs))
                .list());
  }

  @Override
  public List<Due> scheduledOf(java.util.Collection<String> ids) {
    if (ids.isEmpty()) {
      return List.of();
    }
    // by key only, the state compared here (as in versionsInState: statistics that saw few
    // SCHEDULED callbacks would send "state = 'SCHEDULED' AND id IN" through the state index)
    return reads.withHandle(handle -> handle
        .createQuery("SELECT id, service, due_time, version, state FROM callback WHERE id IN (<ids>)")
        .bindList("ids", List.copyOf(ids))
        .map((rs, ctx) -> "SCHEDULED".equals(rs.getString(5)) && rs.getObject(3) != null ? due(rs) : null)
        .stream().filter(java.util.Objects::nonNull).toList());
  }

  private static Due due(java.sql.ResultSet rs) throws java.sql.SQLException {
    return new Due(rs.getString(1), rs.getString(2), Instant.ofEpochMilli(rs.getLong(3)), rs.getInt(4));
  }

  @Override
  public List<Callback> claimDue(List<String> ids, Instant now, String source) {
    if (ids.isEmpty()) {
      return List.of();
    }
    // the same order in every claimer, so that two claimers (two nodes) never deadlock
    List<String> sorted = ids.stream().distinct().sorted().toList();
    List<Callback> taken = jdbi.inTransaction(
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
              .map((rs, ctx) -> callbackRows.read(rs))
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
    statistics.wrote(taken.size());
    return taken;
  }

  @Override
  public Map<String, Integer> versionsInState(java.util.Collection<String> ids, CallbackState state) {
    if (ids.isEmpty()) {
      return Map.of();
    }
    return reads.withHandle(
        handle -> {
          Map<String, Integer> versions = new HashMap<>();
          // by key only, the state compared here: with the state in the WHERE clause, SQLite's
          // statistics taken before a burst (no callback QUEUED then) sent this read through the
          // state index, reading every QUEUED callback per chunk (SqlitePlanTest)
          handle.createQuery("SELECT id, version, state FROM callback WHERE id IN (<ids>)")
              .bindList("ids", List.copyOf(ids))
              .map((rs, ctx) -> state.name().equals(rs.getString(3)) ? Map.entry(rs.getString(1), rs.getInt(2)) : null)
              .forEach(entry -> {
                if (entry != null) {
                  versions.put(entry.getKey(), entry.getValue());
                }
              });
          return versions;
        });
  }

  @Override
  public List<Callback> inStates(java.util.Set<CallbackState> states, String afterId, int limit) {
    if (states.isEmpty()) {
      return List.of();
    }
    return reads.withHandle(
        handle ->
            handle
                .createQuery("SELECT " + COLUMNS + " FROM callback WHERE state IN (<states>)"
                    + " AND id > :after ORDER BY id LIMIT :limit")
                .bindList("states", states.stream().map(Enum::name).toList())
                .bind("after", afterId == null ? "" : afterId)
                .bind("limit", limit)
                .map((rs, ctx) -> callbackRows.read(rs))
                .list());
  }

  @Override
  public long count() {
    return reads.withHandle(
        handle -> handle.createQuery("SELECT COUNT(*) FROM callback").mapTo(Long.class).one());
  }

  private static final int MAX_DELETE_ATTEMPTS = 10;

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
            admission.lockService(handle, callback.service());
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
              admission.book(handle, callback, -1);
            }
            return true;
          }));
      if (deleted) {
        return new DeleteResult(callback, true);
      }
    }
    throw new IllegalStateException("callback " + id + " kept changing while it was being deleted");
  }

  // the admin, UI and report queries: ReportQueries

  @Override
  public List<Callback> inQueue(QueueQuery query) {
    return reports.inQueue(query);
  }

  @Override
  public Map<String, Map<CallbackState, Long>> countByServiceAndState() {
    return reports.countByServiceAndState();
  }

  @Override
  public Map<String, Long> countInStates(java.util.Set<CallbackState> states, Instant changedSince) {
    return reports.countInStates(states, changedSince);
  }

  @Override
  public List<String> idsByCustomerNumber(String customerNumber, int limit) {
    return reports.idsByCustomerNumber(customerNumber, limit);
  }

  @Override
  public List<Callback> completedWithReason(String reason, Instant from, Instant to, int limit) {
    return reports.completedWithReason(reason, from, to, limit);
  }

  @Override
  public List<Callback> search(CallbackSearch search) {
    return reports.search(search);
  }

  @Override
  public long countMatching(CallbackSearch search) {
    return reports.countMatching(search);
  }

  @Override
  public Map<String, Long> countDesiredBetween(CallbackState state, Instant from, Instant to) {
    return reports.countDesiredBetween(state, from, to);
  }

  @Override
  public List<ActivityCount> activity(Instant from, java.time.Duration bucket) {
    return reports.activity(from, bucket);
  }
}
