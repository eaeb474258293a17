package org.opencallback.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.opencallback.domain.Callback;
import org.opencallback.domain.CallbackState;
import org.opencallback.domain.StateChange;
import org.opencallback.testing.TestDatabase;

/**
 * The plans SQLite chooses for the hot queries, for the SQL the store sends ({@code EXPLAIN QUERY
 * PLAN}): each reads the index it was written for, never a scan of the callbacks. Run on a store
 * just opened (its statistics taken empty) and on one holding callbacks whose statistics were
 * refreshed as at start ({@code PRAGMA optimize=0x10002}): without statistics SQLite read a
 * service's callbacks for a number lookup (0.8 s at a million stored, shared/notes/embedded-store.md).
 */
class SqlitePlanTest {
  private static final Instant NOW = Instant.parse("2026-03-02T10:00:00Z");

  @TempDir
  Path dir;

  private Database database;
  private final RecordedSql sent = new RecordedSql();
  private JdbcCallbackStore store;

  @AfterEach
  void close() {
    database.close();
  }

  private void open(int callbacks) {
    database = TestDatabase.sqlite(dir);
    JdbcCallbackStore real = new JdbcCallbackStore(database, new ObjectMapper());
    for (int i = 0; i < callbacks; i++) {
      CallbackState state = i % 4 == 0 ? CallbackState.COMPLETED : CallbackState.SCHEDULED;
      Instant desired = NOW.plus(Duration.ofMinutes(i % 600));
      Map<String, Object> properties = new LinkedHashMap<>();
      properties.put("_customer_number", "+1617555" + String.format("%04d", i));
      properties.put("account", "A" + i);
      Callback callback = new Callback(String.format("id-%06d", i), "svc" + (i % 3), state,
          state == CallbackState.COMPLETED ? "CANCELLED" : null, "+1617555" + String.format("%04d", i), desired, NOW,
          desired.plus(Duration.ofHours(1)), state == CallbackState.SCHEDULED ? desired.minusSeconds(60) : null,
          properties, Map.of(), false, 1, NOW);
      real.insert(callback, new StateChange(state, null, NOW, "api"));
    }
    if (callbacks > 0) {
      SqlitePools.refreshStatistics(database.dataSource(), true);
    }
    store = new JdbcCallbackStore(sent.recording(database.dataSource()), new ObjectMapper(), Dialect.SQLITE);
  }

  @ParameterizedTest(name = "{0} callbacks stored")
  @ValueSource(ints = {0, 3000})
  void every_hot_query_reads_its_index_and_no_query_scans_the_callbacks(int callbacks) throws Exception {
    open(callbacks);
    Map<String, String> plans = new LinkedHashMap<>();
    record(plans, "lookup by number", s -> s.lookup(new LookupQuery("svc1",
        Map.of("_customer_number", "+16175550001"), false, null, false, null, null, 1000)), "callback_key");
    record(plans, "lookup by two keys", s -> s.lookup(new LookupQuery(null,
        Map.of("_customer_number", "+16175550001", "account", "A1"), true, CallbackState.SCHEDULED, true, null, null,
        10)), "callback_key");
    record(plans, "by id", s -> s.find("id-000001"), "WHERE id =");
    record(plans, "history", s -> s.history("id-000001"), "callback_history");
    record(plans, "due", s -> s.scheduledDue(NOW, NOW.plusSeconds(60), 500), "due_time >=");
    record(plans, "claim", s -> s.claimDue(List.of("id-000001"), NOW, "test"), "UPDATE callback SET state = 'QUEUED'");
    record(plans, "queue", s -> s.inQueue(new QueueQuery("svc1", EnumSet.of(CallbackState.SCHEDULED), NOW,
        NOW.plusSeconds(3600), Map.of(), 100)), "c.service = ");
    record(plans, "expired", s -> s.expiredActive(NOW, 100), "expiration_time <");
    record(plans, "purge completed", s -> s.purgeCompleted(NOW, NOW, 100), "state = 'COMPLETED' AND updated_at");
    record(plans, "purge throttle", s -> s.purgeThrottleCounts(NOW, 100), "DELETE FROM throttle_count");
    record(plans, "purge bookings", s -> s.purgeBookings(NOW, 100), "DELETE FROM booking_count");
    record(plans, "forget throttled", s -> s.forgetThrottleCounts(List.of("+16175550001")), "param_value IN");
    record(plans, "callbacks of a number", s -> s.idsByCustomerNumber("+16175550001", 10), "customer_number");
    AdmissionGuard counting = counts -> {
      counts.activeForNumber("svc1", "+16175550001");
      counts.inState("svc1", CallbackState.QUEUED, 100);
      counts.immediateSince("svc1", NOW);
      counts.booked("svc1", NOW, NOW.plusSeconds(3600));
      counts.parameterCount("svc1", "_customer_number", "+16175550001", NOW);
      return List.of();
    };
    Callback created = new Callback("new", "svc1", CallbackState.QUEUED, null, "+16175550001", NOW, NOW,
        NOW.plusSeconds(3600), null, Map.of("_customer_number", "+16175550001"), Map.of(), true, 1, NOW);
    record(plans, "admission: active of a number", s -> s.insert(created, new StateChange(CallbackState.QUEUED,
        null, NOW, "api"), counting), "customer_number = :number".replace(":number", "?"));
    plans.put("admission: in a state", planOf(sent.first("AND state = ?")));
    plans.put("admission: immediate since", planOf(sent.first("immediate = TRUE")));
    plans.put("admission: booked", planOf(sent.first("SUM(taken)")));
    plans.put("admission: throttled", planOf(sent.first("MAX(taken)")));

    assertThat(plans).allSatisfy((name, plan) -> assertThat(plan).as(name)
        .doesNotContainPattern("SCAN (c|callback|callback_key|callback_history)\\b"));
    assertThat(plans.get("lookup by number")).contains("callback_key_lookup (key_name=? AND key_value=? AND service=?)")
        .contains("(id=?)").doesNotContain("callback_service_state");
    assertThat(plans.get("lookup by two keys").split("callback_key_lookup", -1)).hasSizeGreaterThanOrEqualTo(3);
    assertThat(plans.get("lookup by two keys")).contains("(id=?)").doesNotContain("callback_state_due");
    assertThat(plans.get("by id")).contains("(id=?)");
    assertThat(plans.get("history")).contains("(callback_id=?)");
    assertThat(plans.get("due")).contains("callback_state_due (state=? AND due_time>? AND due_time<?)");
    assertThat(plans.get("claim")).contains("(id=?)");
    assertThat(plans.get("queue")).contains("callback_service_state (service=? AND state=? AND desired_time>?");
    assertThat(plans.get("expired")).contains("callback_expiration (expiration_time<?)");
    // ordered by the index, stopping at the limit: not every completed callback read and sorted
    assertThat(plans.get("purge completed")).contains("callback_expiration (expiration_time<?)")
        .doesNotContain("TEMP B-TREE");
    assertThat(plans.get("purge throttle")).contains("throttle_count_day (day_start<?)");
    assertThat(plans.get("purge bookings")).contains("booking_count_slot (slot_start<?)");
    assertThat(plans.get("forget throttled")).contains("throttle_count_value (param_value=?)");
    assertThat(plans.get("callbacks of a number")).contains("callback_customer (customer_number=?)");
    assertThat(plans.get("admission: active of a number")).contains("callback_service_number (service=? AND customer_number=?)");
    assertThat(plans.get("admission: in a state")).contains("callback_service_state (service=? AND state=?)");
    assertThat(plans.get("admission: immediate since"))
        .contains("callback_service_created (service=? AND immediate=? AND time_scheduled>?)");
    assertThat(plans.get("admission: booked")).contains("(service=? AND slot_start>? AND slot_start<?)");
    assertThat(plans.get("admission: throttled"))
        .contains("(service=? AND param_name=? AND param_value=? AND day_start=?)");
  }

  /**
   * A state the statistics never saw: taken while no callback was QUEUED (before a burst), they
   * make SQLite (with its per-value samples, {@code sqlite_stat4}) expect next to no QUEUED row,
   * so a read of claimed callbacks by key that also named the state went through the state index
   * and read every QUEUED callback, once per chunk of 50: a burst of 100,000 due at once read them
   * 2,000 times over (3,220/s against H2's 5,584/s, docs/benchmarks.md).
   */
  @org.junit.jupiter.api.Test
  void reads_by_key_stay_on_the_key_when_the_statistics_saw_no_callback_in_that_state() throws Exception {
    open(3000);
    sent.clear();
    List<String> chunk = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      chunk.add(String.format("id-%06d", i)); // the Submitter's chunk
    }
    store.versionsInState(chunk, CallbackState.QUEUED);
    String plan = planOf(sent.first("FROM callback WHERE id IN"), CallbackState.QUEUED.name());
    assertThat(plan).contains("(id=?)").doesNotContain("callback_state_due").doesNotContain("callback_service_state");
    sent.clear();
    store.scheduledOf(chunk);
    assertThat(planOf(sent.first("FROM callback WHERE id IN"), CallbackState.SCHEDULED.name()))
        .contains("(id=?)").doesNotContain("callback_state_due").doesNotContain("callback_service_state");
  }

  private void record(Map<String, String> plans, String name, Consumer<JdbcCallbackStore> query, String part)
      throws Exception {
    sent.clear();
    query.accept(store);
    plans.put(name, planOf(sent.first(part)));
  }

  /** SQLite's plan of {@code sql}, its lines joined by " | ". */
  private String planOf(String sql) throws Exception {
    return planOf(sql, null);
  }

  /**
   * SQLite's plan of {@code sql} with every parameter bound to {@code text} (null: the number 1);
   * with {@code sqlite_stat4} the plan can depend on the value compared with an indexed column.
   */
  private String planOf(String sql, String text) throws Exception {
    List<String> lines = new ArrayList<>();
    try (Connection connection = database.readDataSource().getConnection();
        PreparedStatement explain = connection.prepareStatement("EXPLAIN QUERY PLAN " + sql)) {
      for (int i = 1; i <= explain.getParameterMetaData().getParameterCount(); i++) {
        if (text == null) {
          explain.setLong(i, 1);
        } else {
          explain.setString(i, text);
        }
      }
      try (ResultSet rs = explain.executeQuery()) {
        while (rs.next()) {
          lines.add(rs.getString("detail"));
        }
      }
    }
    return String.join(" | ", lines);
  }
}
