package org.opencallback.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opencallback.domain.Callback;
import org.opencallback.domain.CallbackState;
import org.opencallback.domain.ServerState;
import org.opencallback.domain.StateChange;

/** What every {@link CallbackStore} database must do; one subclass per database. */
abstract class CallbackStoreContract {
  static final Instant NOW = Instant.parse("2026-03-02T10:00:00Z");

  Database database;
  CallbackStore store;

  /** A fresh, migrated database. */
  abstract Database open();

  @BeforeEach
  void setUp() {
    database = open();
    store = new JdbcCallbackStore(database, new ObjectMapper());
  }

  @AfterEach
  void tearDown() {
    database.close();
  }

  static Callback scheduled(String id, String service, String number, Instant desired) {
    Map<String, Object> properties = new LinkedHashMap<>();
    properties.put("_customer_number", number);
    properties.put("order", "A-" + id);
    properties.put("nested", Map.of("x", 1));
    return new Callback(id, service, CallbackState.SCHEDULED, null, number, desired, NOW,
        desired.plus(Duration.ofHours(1)), desired.minusSeconds(60), properties, Map.of(), false, 1, NOW);
  }

  static Callback immediate(String id, String service, String number) {
    return new Callback(id, service, CallbackState.QUEUED, null, number, NOW, NOW,
        NOW.plus(Duration.ofHours(1)), null, Map.of("_customer_number", number), Map.of(), true, 1, NOW);
  }

  static StateChange first(Callback callback) {
    return new StateChange(callback.state(), null, NOW, "api");
  }

  @Test
  void insertsAndFinds() {
    Callback callback = scheduled("c1", "svc", "5551000", NOW.plusSeconds(3600));
    store.insert(callback, first(callback));
    assertThat(store.find("c1")).contains(callback);
    assertThat(store.find("nope")).isEmpty();
    assertThat(store.count()).isEqualTo(1);
    assertThat(store.history("c1")).containsExactly(first(callback));
  }

  @Test
  void updatesWithOptimisticLocking() {
    Callback callback = scheduled("c1", "svc", "5551000", NOW.plusSeconds(3600));
    store.insert(callback, first(callback));
    Instant later = NOW.plusSeconds(5);
    Callback done = callback.withState(CallbackState.COMPLETED, "CANCELLED", null, later);
    StateChange change = new StateChange(CallbackState.COMPLETED, "CANCELLED", later, "api");
    assertThat(store.update(done, 1, change)).isTrue();
    assertThat(store.update(done, 1, change)).isFalse();
    assertThat(store.find("c1")).contains(done);
    assertThat(store.history("c1")).extracting(StateChange::state)
        .containsExactly(CallbackState.SCHEDULED, CallbackState.COMPLETED);
    Callback renamed = done.withProperties(Map.of("_customer_number", "5552000", "k", "v"), "5552000", later);
    assertThat(store.update(renamed, 2, null)).isTrue();
    assertThat(store.lookup(new LookupQuery(null, Map.of("k", "v"), false, null, false, null, null, 10)))
        .extracting(Callback::id).containsExactly("c1");
    assertThat(store.lookup(new LookupQuery(null, Map.of("order", "A-c1"), false, null, false, null, null, 10)))
        .isEmpty();
  }

  @Test
  void an_update_from_the_row_just_read_is_versioned_and_fenced_by_the_owner() {
    ((JdbcCallbackStore) store).ownedBy("me");
    Callback callback = immediate("o1", "svc", "5551");
    store.insert(callback, first(callback));
    Instant later = NOW.plusSeconds(5);
    Callback routing = callback.withState(CallbackState.ROUTING, null, null, later).atVersion(2, later);
    StateChange change = new StateChange(CallbackState.ROUTING, null, later, "engine");
    assertThat(store.update(callback, routing, change, true)).isTrue();
    // a stale read (version 1) changes nothing
    Callback processing = callback.withState(CallbackState.PROCESSING, null, null, later).atVersion(2, later);
    assertThat(store.update(callback, processing, change, true)).isFalse();
    assertThat(store.find("o1")).contains(routing);

    // taken over by another node: this node's engine writes are refused, the API's are not
    row("UPDATE callback SET owner_node = 'other' WHERE id = 'o1'");
    Callback fenced = routing.withState(CallbackState.PROCESSING, null, null, later).atVersion(3, later);
    StateChange processingChange = new StateChange(CallbackState.PROCESSING, null, later, "engine");
    assertThat(store.update(routing, fenced, processingChange, true)).isFalse();
    assertThat(store.updateAsOwner(fenced, 2, processingChange)).isFalse();
    assertThat(store.ownedElsewhere("o1")).isTrue();
    assertThat(store.find("o1")).contains(routing);
    assertThat(store.update(routing, fenced, processingChange, false)).isTrue();
    assertThat(store.history("o1")).extracting(StateChange::state)
        .containsExactly(CallbackState.QUEUED, CallbackState.ROUTING, CallbackState.PROCESSING);

    // no owner (e.g. given up): any node may write
    row("UPDATE callback SET owner_node = NULL WHERE id = 'o1'");
    Callback done = fenced.withState(CallbackState.COMPLETED, "AGENT_CONNECTED", null, later).atVersion(4, later);
    assertThat(store.update(fenced, done, new StateChange(CallbackState.COMPLETED, "AGENT_CONNECTED", later, "engine"),
        true)).isTrue();
    assertThat(store.find("o1")).contains(done);
  }

  @Test
  void server_state_is_stored_apart_from_the_properties_and_never_looked_up() {
    Callback callback = scheduled("c1", "svc", "5551000", NOW.plusSeconds(3600));
    store.insert(callback, first(callback));
    Callback reported = callback.withServerState(
        Map.of(ServerState.ORS_SESSION_ID, "S-1", ServerState.EXTERNAL_LIFECYCLE, true), NOW.plusSeconds(1));
    assertThat(store.update(reported, 1, null)).isTrue();
    Callback found = store.find("c1").orElseThrow();
    assertThat(found.serverState())
        .containsExactlyInAnyOrderEntriesOf(Map.of(ServerState.ORS_SESSION_ID, "S-1", ServerState.EXTERNAL_LIFECYCLE, true));
    assertThat(found.properties()).doesNotContainKeys(ServerState.ORS_SESSION_ID, ServerState.EXTERNAL_LIFECYCLE);
    assertThat(found.isExternallyDriven()).isTrue();
    assertThat(store.lookup(new LookupQuery(null, Map.of(ServerState.ORS_SESSION_ID, "S-1"), false, null, false, null, null, 10)))
        .isEmpty();
  }

  @Test
  void the_v10_migration_moves_server_keys_of_old_rows_out_of_the_properties() throws Exception {
    Callback callback = scheduled("old", "svc", "5551000", NOW.plusSeconds(3600));
    store.insert(callback, first(callback));
    // a row as stored before V10: the server's keys among the request's properties, and indexed
    try (java.sql.Connection connection = database.dataSource().getConnection();
        java.sql.Statement statement = connection.createStatement()) {
      statement.executeUpdate("UPDATE callback SET server_state = '{}', properties = '{\"order\":\"A-old\","
          + "\"_ors_session_id\":\"S-9\",\"_ors_url\":\"http://10.0.0.7:9200\",\"_webhook_delivered_at\":\"x\","
          + "\"_external_lifecycle\":true,\"_disposition\":\"SALE\"}' WHERE id = 'old'");
      statement.executeUpdate("INSERT INTO callback_key (callback_id, service, key_name, key_value)"
          + " VALUES ('old', 'svc', '_ors_session_id', 'S-9')");
      connection.setAutoCommit(false);
      new V10_1__MoveServerOwnedKeys().migrate(new org.flywaydb.core.api.migration.Context() {
        @Override
        public org.flywaydb.core.api.configuration.Configuration getConfiguration() {
          return null;
        }

        @Override
        public java.sql.Connection getConnection() {
          return connection;
        }
      });
      connection.commit();
    }
    Callback migrated = store.find("old").orElseThrow();
    assertThat(migrated.properties()).containsOnlyKeys("order");
    assertThat(migrated.serverState()).containsOnlyKeys(ServerState.ORS_SESSION_ID, ServerState.ORS_URL,
        ServerState.WEBHOOK_DELIVERED_AT, ServerState.EXTERNAL_LIFECYCLE, ServerState.DISPOSITION);
    assertThat(migrated.isExternallyDriven()).isTrue();
    assertThat(store.lookup(new LookupQuery(null, Map.of(ServerState.ORS_SESSION_ID, "S-9"), false, null, false, null, null, 10)))
        .isEmpty();
  }

  @Test
  void looksUpByKeysStateAndTime() {
    for (int i = 0; i < 5; i++) {
      Callback callback = scheduled("c" + i, i < 3 ? "svc" : "other", "555100" + (i % 2), NOW.plusSeconds(600 * (i + 1)));
      store.insert(callback, first(callback));
    }
    LookupQuery byNumber = new LookupQuery("svc", Map.of("_customer_number", "5551000"), false, null, false, null, null, 10);
    assertThat(store.lookup(byNumber)).extracting(Callback::id).containsExactly("c0", "c2");
    LookupQuery any = new LookupQuery(null, Map.of("order", "A-c1", "_customer_number", "5551000"), true,
        CallbackState.COMPLETED, true, NOW.plusSeconds(1000), null, 10);
    assertThat(store.lookup(any)).extracting(Callback::id).containsExactly("c1", "c2", "c4");
    assertThat(store.idsByCustomerNumber("5551001", 10)).containsExactly("c1", "c3");
    assertThat(store.inStates(EnumSet.of(CallbackState.SCHEDULED), "c2", 10)).extracting(Callback::id)
        .containsExactly("c3", "c4");
    assertThat(store.countByServiceAndState())
        .isEqualTo(Map.of("other", Map.of(CallbackState.SCHEDULED, 2L), "svc", Map.of(CallbackState.SCHEDULED, 3L)));
    assertThat(store.search(new CallbackSearch("svc", null, "5551", null, null, 0, 10)))
        .extracting(Callback::id).containsExactly("c0", "c1", "c2");
  }

  @Test
  void claimsDueOnlyOnce() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      Callback callback = scheduled("c" + i, "svc", "555" + i, NOW.plusSeconds(60 + i));
      store.insert(callback, first(callback));
      ids.add(callback.id());
    }
    Instant at = NOW.plusSeconds(10);
    assertThat(store.scheduledDue(NOW.minusSeconds(3600), at, 100)).hasSize(11);
    List<Callback> claimed = store.claimDue(ids, at, "dispatch");
    assertThat(claimed).hasSize(11).allMatch(c -> c.state() == CallbackState.QUEUED && c.version() == 2);
    assertThat(store.claimDue(ids, at, "dispatch")).isEmpty();
    assertThat(store.history("c0")).extracting(StateChange::state)
        .containsExactly(CallbackState.SCHEDULED, CallbackState.QUEUED);
    // the hand-off checks a claimed batch with one read
    assertThat(store.versionsInState(List.of("c0", "c10", "c11", "unknown"), CallbackState.QUEUED))
        .isEqualTo(Map.of("c0", 2, "c10", 2));
    assertThat(store.versionsInState(List.of("c0", "c11"), CallbackState.SCHEDULED)).isEqualTo(Map.of("c11", 1));
    assertThat(store.versionsInState(List.of(), CallbackState.QUEUED)).isEmpty();
    // a claim that missed re-reads its rows: only those still SCHEDULED come back, as due entries
    assertThat(store.scheduledOf(List.of("c0", "c11", "c12", "unknown")))
        .extracting(CallbackStore.Due::id, CallbackStore.Due::version)
        .containsExactlyInAnyOrder(tuple("c11", 1), tuple("c12", 1));
    assertThat(store.scheduledOf(List.of("c11")).get(0).dueTime()).isEqualTo(NOW.plusSeconds(11));
    assertThat(store.scheduledOf(List.of())).isEmpty();
  }

  @Test
  void concurrentClaimsNeverOverlap() throws Exception {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      Callback callback = scheduled(String.format("c%03d", i), "svc", "555" + i, NOW);
      store.insert(callback, first(callback));
      ids.add(callback.id());
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<List<Callback>>> results = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        List<String> mine = new ArrayList<>(ids);
        java.util.Collections.shuffle(mine, new java.util.Random(t));
        results.add(pool.submit(() -> store.claimDue(mine, NOW, "dispatch")));
      }
      List<String> all = new ArrayList<>();
      for (Future<List<Callback>> result : results) {
        result.get(60, TimeUnit.SECONDS).forEach(c -> all.add(c.id()));
      }
      assertThat(all).hasSize(200).doesNotHaveDuplicates();
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void booksPlacesAndGivesThemBack() {
    Instant desired = Instant.parse("2026-03-02T12:03:00Z");
    Callback a = scheduled("a", "svc", "5551", desired);
    Callback b = scheduled("b", "svc", "5552", desired.plusSeconds(60));
    store.insert(a, first(a));
    store.insert(b, first(b));
    Instant slot = Instant.parse("2026-03-02T12:00:00Z");
    assertThat(store.bookedSlots("svc", slot, slot.plusSeconds(3600))).isEqualTo(Map.of(slot, 2));
    Callback moved = a.rescheduled(desired.plusSeconds(600), a.expirationTime().plusSeconds(600),
        CallbackState.SCHEDULED, desired.plusSeconds(540), NOW);
    assertThat(store.update(moved, 1, new StateChange(CallbackState.SCHEDULED, null, NOW, "api"))).isTrue();
    assertThat(store.bookedSlots("svc", slot, slot.plusSeconds(3600)))
        .isEqualTo(Map.of(slot, 1, slot.plusSeconds(600), 1));
    assertThat(store.delete("b", EnumSet.of(CallbackState.SCHEDULED)).deleted()).isTrue();
    assertThat(store.find("b")).isEmpty();
    assertThat(store.history("b")).isEmpty();
    assertThat(store.bookedSlots("svc", slot, slot.plusSeconds(3600))).isEqualTo(Map.of(slot.plusSeconds(600), 1));
    assertThat(store.delete("a", EnumSet.of(CallbackState.COMPLETED)).deleted()).isFalse();
  }

  @Test
  void admissionGuardCountsAndRefuses() {
    AdmissionGuard throttled = query -> {
      int taken = query.parameterCount("svc", "_segment", "gold", NOW.truncatedTo(java.time.temporal.ChronoUnit.DAYS));
      if (taken >= 2) {
        throw new IllegalStateException("full");
      }
      return List.of(new AdmissionGuard.ParameterValue("_segment", "gold"));
    };
    store.insert(immediate("i1", "svc", "5551"), first(immediate("i1", "svc", "5551")), throttled);
    store.insert(immediate("i2", "svc", "5552"), first(immediate("i2", "svc", "5552")), throttled);
    assertThatThrownBy(() -> store.insert(immediate("i3", "svc", "5553"), first(immediate("i3", "svc", "5553")), throttled))
        .hasMessageContaining("full");
    assertThat(store.find("i3")).isEmpty();
    AdmissionGuard counts = query -> {
      assertThat(query.activeForNumber("svc", "5551")).isEqualTo(1);
      assertThat(query.inState("svc", CallbackState.QUEUED, 10)).isEqualTo(2);
      // counted up to the limit being checked, no further
      assertThat(query.inState("svc", CallbackState.QUEUED, 1)).isEqualTo(1);
      assertThat(query.inState("svc", CallbackState.QUEUED, 0)).isEqualTo(0);
      assertThat(query.immediateSince("svc", NOW.minusSeconds(1))).isEqualTo(2);
      assertThat(query.booked("svc", NOW, NOW.plusSeconds(7200))).isEqualTo(0);
      return List.of();
    };
    Callback s = scheduled("s1", "svc", "5559", NOW.plusSeconds(3600));
    store.insert(s, first(s), counts);
    assertThat(store.find("s1")).isPresent();
  }

  @Test
  void racingAdmissionsTakeExactlyTheLastPlaces() throws Exception {
    AdmissionGuard atMostFive = query -> {
      if (query.inState("svc", CallbackState.QUEUED, 5) >= 5) {
        throw new IllegalStateException("full");
      }
      return List.of();
    };
    ExecutorService pool = Executors.newFixedThreadPool(8);
    AtomicInteger admitted = new AtomicInteger();
    try {
      List<Future<?>> tasks = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        String id = "r" + i;
        tasks.add(pool.submit(() -> {
          try {
            store.insert(immediate(id, "svc", "555" + id), first(immediate(id, "svc", "555" + id)), atMostFive);
            admitted.incrementAndGet();
          } catch (IllegalStateException full) {
            // refused
          }
        }));
      }
      for (Future<?> task : tasks) {
        task.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(admitted).hasValue(5);
    assertThat(store.count()).isEqualTo(5);
  }

  @Test
  void concurrentInsertsStoreEachWholeAndAFailingOneFailsAlone() throws Exception {
    Callback existing = scheduled("taken", "svc", "5550000", NOW.plusSeconds(3600));
    store.insert(existing, first(existing));
    ExecutorService pool = Executors.newFixedThreadPool(16);
    List<Future<?>> tasks = new ArrayList<>();
    try {
      for (int i = 0; i < 200; i++) {
        // every 50th reuses the stored id: its INSERT fails inside whatever group it joins
        String id = i % 50 == 7 ? "taken" : "g" + i;
        Callback callback = scheduled(id, "svc", "555" + (1000 + i), NOW.plusSeconds(600L * (i % 20) + 3600));
        tasks.add(pool.submit(() -> {
          store.insert(callback, first(callback));
          return null;
        }));
      }
      int failed = 0;
      for (Future<?> task : tasks) {
        try {
          task.get(60, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
          failed++;
        }
      }
      assertThat(failed).isEqualTo(4);
    } finally {
      pool.shutdownNow();
    }
    assertThat(store.count()).isEqualTo(1 + 196);
    assertThat(store.find("taken")).contains(existing);
    for (int i = 0; i < 200; i++) {
      if (i % 50 != 7) {
        assertThat(store.history("g" + i)).hasSize(1);
        assertThat(store.lookup(new LookupQuery("svc", Map.of("order", "A-g" + i), false, null, false, null, null, 10)))
            .extracting(Callback::id).containsExactly("g" + i);
      }
    }
    // places: one per stored scheduled callback, none for the failed ones
    assertThat(store.bookedSlots("svc", NOW, NOW.plusSeconds(86_400)).values().stream()
        .mapToInt(Integer::intValue).sum()).isEqualTo(197);
  }

  @Test
  void concurrentInsertsShareTransactions() throws Exception {
    JdbcCallbackStore jdbc = (JdbcCallbackStore) store;
    ExecutorService pool = Executors.newFixedThreadPool(32);
    List<Future<?>> tasks = new ArrayList<>();
    try {
      for (int i = 0; i < 1_600; i++) {
        Callback callback = scheduled("t" + i, "svc", "556" + (10_000 + i), NOW.plusSeconds(3600 + 300L * (i % 50)));
        tasks.add(pool.submit(() -> {
          store.insert(callback, first(callback), query -> {
            query.activeForNumber("svc", callback.customerNumber());
            return List.of();
          });
          return null;
        }));
      }
      for (Future<?> task : tasks) {
        task.get(120, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(store.count()).isEqualTo(1_600);
    assertThat(jdbc.insertsGrouped()).isEqualTo(1_600);
    // 32 callers at once: while one group commits the others gather (one by one would be 1.0)
    assertThat((double) jdbc.insertsGrouped() / jdbc.insertTransactions()).isGreaterThan(2.0);
  }

  @Test
  void expiresAndPurges() {
    Callback old = scheduled("old", "svc", "5551", NOW.minusSeconds(7200));
    store.insert(old, first(old));
    assertThat(store.expiredActive(NOW, 10)).extracting(Callback::id).containsExactly("old");
    Callback done = old.withState(CallbackState.COMPLETED, "EXPIRED", null, NOW);
    store.update(done, 1, new StateChange(CallbackState.COMPLETED, "EXPIRED", NOW, "housekeeping"));
    assertThat(store.expiredActive(NOW, 10)).isEmpty();
    assertThat(store.completedWithReason("EXPIRED", NOW.minusSeconds(9000), NOW, 10)).hasSize(1);
    assertThat(store.countInStates(Set.of(CallbackState.COMPLETED), NOW.minusSeconds(1))).isEqualTo(Map.of("svc", 1L));
    assertThat(store.activity(NOW.minusSeconds(3600), Duration.ofHours(1))).hasSize(1);
    assertThat(store.purgeCompleted(NOW, NOW.plusSeconds(1), 10)).isEqualTo(1);
    assertThat(store.count()).isZero();
  }

  @Test
  void pauseStoreRemembersPausedServices() {
    ServicePauseStore pauses = new JdbcServicePauseStore(database.dataSource(), database.readDataSource(),
        Clock.systemUTC());
    pauses.set("b", true);
    pauses.set("a", true);
    pauses.set("a", true);
    assertThat(pauses.paused()).containsExactly("a", "b");
    pauses.set("b", false);
    assertThat(pauses.paused()).containsExactly("a");
    // the periodic read goes to the readers, never to the (on SQLite: single) writer
    javax.sql.DataSource noWriter = (javax.sql.DataSource) java.lang.reflect.Proxy.newProxyInstance(
        getClass().getClassLoader(), new Class<?>[] {javax.sql.DataSource.class}, (proxy, method, args) -> {
          throw new java.sql.SQLException("the writer is busy");
        });
    assertThat(new JdbcServicePauseStore(noWriter, database.readDataSource(), Clock.systemUTC()).paused())
        .containsExactly("a");
  }

  // Housekeeping of the bookkeeping tables (docs/reliability.md, "Every table and its purge")

  private void row(String sql, Object... values) {
    org.jdbi.v3.core.Jdbi.create(database.dataSource()).useHandle(handle -> {
      var update = handle.createUpdate(sql);
      for (int i = 0; i < values.length; i++) {
        update.bind(i, values[i]);
      }
      update.execute();
    });
  }

  private long rows(String table) {
    return org.jdbi.v3.core.Jdbi.create(database.dataSource()).withHandle(handle ->
        handle.createQuery("SELECT COUNT(*) FROM " + table).mapTo(Long.class).one());
  }

  private static final long DAY = 86_400_000L;

  @Test
  void purgesThrottleCountsOfEndedDaysOnly() {
    long today = NOW.toEpochMilli() / DAY * DAY;
    for (long day : new long[] {today - 2 * DAY, today - DAY, today}) {
      row("INSERT INTO throttle_count VALUES ('svc', '_customer_number', '5551', ?, 3)", day);
    }
    assertThat(store.purgeThrottleCounts(NOW, 1)).isEqualTo(1);
    assertThat(store.purgeThrottleCounts(NOW, 10)).isEqualTo(1);
    assertThat(store.purgeThrottleCounts(NOW, 10)).isZero();
    AdmissionGuard todayCount = query -> {
      assertThat(query.parameterCount("svc", "_customer_number", "5551", Instant.ofEpochMilli(today))).isEqualTo(3);
      return List.of();
    };
    store.insert(immediate("i1", "svc", "5551"), first(immediate("i1", "svc", "5551")), todayCount);
    assertThat(rows("throttle_count")).isEqualTo(1);
  }

  @Test
  void purgesBookingsOfEndedSlotsOnly() {
    Instant slot = NOW; // 10:00, a slot start
    for (int minutes : new int[] {-10, -5, 0, 5}) {
      row("INSERT INTO booking_count VALUES ('svc', ?, 1)", slot.plusSeconds(minutes * 60L).toEpochMilli());
    }
    assertThat(store.purgeBookings(NOW, 500)).isEqualTo(2);
    assertThat(store.bookedSlots("svc", NOW.minusSeconds(3600), NOW.plusSeconds(3600)))
        .isEqualTo(Map.of(slot, 1, slot.plusSeconds(300), 1));
  }

  @Test
  void purgesDeadNodesButNeverALiveOneNorOneOwningActiveCallbacks() {
    long old = NOW.minus(Duration.ofDays(2)).toEpochMilli();
    row("INSERT INTO node VALUES ('live', 'i', ?, ?)", old, NOW.toEpochMilli());
    row("INSERT INTO node VALUES ('gone', 'i', ?, ?)", old, old);
    row("INSERT INTO node VALUES ('owner', 'i', ?, ?)", old, old);
    row("INSERT INTO engine_node VALUES ('live', '[]', ?)", old); // a live node that published long ago
    row("INSERT INTO engine_node VALUES ('gone', '[]', ?)", old);
    Callback owned = immediate("q1", "svc", "5551");
    store.insert(owned, first(owned));
    row("UPDATE callback SET owner_node = 'owner' WHERE id = 'q1'");

    assertThat(store.purgeDeadNodes(NOW.minus(Duration.ofDays(1)))).isEqualTo(2);
    List<String> nodes = org.jdbi.v3.core.Jdbi.create(database.dataSource()).withHandle(handle -> handle
        .createQuery("SELECT node_id FROM node ORDER BY node_id").mapTo(String.class).list());
    assertThat(nodes).containsExactly("live", "owner");
    assertThat(rows("engine_node")).isEqualTo(1);
  }

  @Test
  void forgetsTheThrottleCountsOfANumber() {
    long today = NOW.toEpochMilli() / DAY * DAY;
    row("INSERT INTO throttle_count VALUES ('svc', '_customer_number', '5551', ?, 2)", today);
    row("INSERT INTO throttle_count VALUES ('other', 'x-caller', '5551', ?, 1)", today);
    row("INSERT INTO throttle_count VALUES ('svc', '_customer_number', '5552', ?, 1)", today);
    assertThat(store.forgetThrottleCounts(List.of("5551", "+5551"))).isEqualTo(2);
    assertThat(store.forgetThrottleCounts(List.of())).isZero();
    assertThat(rows("throttle_count")).isEqualTo(1);
  }

  @Test
  void pagesScheduledCallbacksWithAKeyByDesiredTimeThenId() {
    Instant desired = NOW.plusSeconds(600);
    for (String id : List.of("k3", "k1", "k2")) {
      Callback callback = scheduled(id, "svc", "5551", desired);
      Map<String, Object> properties = new LinkedHashMap<>(callback.properties());
      properties.put("_device_os", "httpcb");
      Callback keyed = callback.withProperties(properties, callback.customerNumber(), NOW);
      store.insert(keyed, first(keyed));
    }
    Callback plain = scheduled("k0", "svc", "5551", desired);
    store.insert(plain, first(plain));
    Instant to = desired.plusSeconds(1);
    List<Callback> page = store.scheduledWithKey("svc", "_device_os", NOW, to, null, null, 2);
    assertThat(page).extracting(Callback::id).containsExactly("k1", "k2");
    assertThat(store.scheduledWithKey("svc", "_device_os", NOW, to, desired, "k2", 2))
        .extracting(Callback::id).containsExactly("k3");
  }
}
