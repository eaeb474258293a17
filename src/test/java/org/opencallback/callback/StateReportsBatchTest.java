package org.opencallback.callback;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opencallback.domain.Callback;
import org.opencallback.domain.CallbackListener;
import org.opencallback.domain.CallbackState;
import org.opencallback.domain.StateChange;
import org.opencallback.engine.CallbackReporter;
import org.opencallback.engine.CallbackReporter.Report;
import org.opencallback.store.CallbackStore;
import org.opencallback.store.Database;
import org.opencallback.store.Dialect;
import org.opencallback.store.JdbcCallbackStore;
import org.opencallback.testing.TestDatabase;

/**
 * Engine reports made together ({@link StateReports#reportAll}, the built-in engine's outbox): each
 * answered and stored as if reported alone, in one transaction, listeners told in order.
 */
class StateReportsBatchTest {
  private static final Instant NOW = Instant.parse("2026-03-02T10:00:00Z");

  private Database database;
  private JdbcCallbackStore jdbc;
  private final List<String> told = new ArrayList<>();
  private final CallbackListener listener = new CallbackListener() {
    @Override
    public void changed(Callback before, Callback after) {
      told.add(after.id() + " " + after.state());
    }
  };

  @BeforeEach
  void open() {
    database = TestDatabase.h2();
    jdbc = new JdbcCallbackStore(database.dataSource(), new ObjectMapper(), Dialect.H2).ownedBy("me");
  }

  @AfterEach
  void close() {
    database.close();
  }

  private void queued(String id) {
    Callback callback = new Callback(id, "svc", CallbackState.QUEUED, null, "5551", NOW, NOW,
        NOW.plus(Duration.ofHours(1)), null, Map.of("_customer_number", "5551"), Map.of(), true, 1, NOW);
    jdbc.insert(callback, new StateChange(CallbackState.QUEUED, null, NOW, "api"));
  }

  private StateReports reports(CallbackStore store) {
    return new StateReports(store, Clock.fixed(NOW.plusSeconds(1), ZoneOffset.UTC), listener);
  }

  private List<String> history(String id) {
    return jdbc.history(id).stream().map(change -> change.state() + (change.reason() == null ? "" : " " + change.reason()))
        .toList();
  }

  private static Report report(String id, CallbackState state, String reason) {
    return new Report(id, state, reason, Map.of());
  }

  @Test
  void reports_of_several_callbacks_are_stored_and_answered_each_as_if_alone() {
    queued("a");
    queued("b");
    queued("c");
    jdbc.update(jdbc.find("c").orElseThrow(), jdbc.find("c").orElseThrow()
        .withState(CallbackState.COMPLETED, "CANCELLED", null, NOW).atVersion(2, NOW), null, false);

    List<Optional<Callback>> answers = reports(jdbc).asOwner().reportAll(List.of(
        report("a", CallbackState.ROUTING, null),
        new Report("b", CallbackState.ROUTING, null, Map.of("_session", "s-1")),
        report("c", CallbackState.ROUTING, null), // cancelled meanwhile: no longer active
        report("gone", CallbackState.ROUTING, null)));

    assertThat(answers).hasSize(4);
    assertThat(answers.get(0)).get().extracting(Callback::state, Callback::version)
        .containsExactly(CallbackState.ROUTING, 2);
    assertThat(answers.get(1)).get().extracting(callback -> callback.serverState().get("_session"))
        .isEqualTo("s-1");
    assertThat(answers.get(2)).isEmpty();
    assertThat(answers.get(3)).isEmpty();
    assertThat(jdbc.find("a")).isEqualTo(answers.get(0));
    assertThat(jdbc.find("b")).isEqualTo(answers.get(1));
    assertThat(history("a")).containsExactly("QUEUED", "ROUTING");
    assertThat(history("c")).containsExactly("QUEUED");
    assertThat(told).containsExactly("a ROUTING", "b ROUTING");
  }

  @Test
  void reports_of_one_callback_in_one_batch_are_made_one_after_the_other() {
    queued("a");
    List<Optional<Callback>> answers = reports(jdbc).asOwner().reportAll(List.of(
        report("a", CallbackState.ROUTING, null),
        report("a", CallbackState.PROCESSING, null),
        report("a", CallbackState.COMPLETED, "AGENT_CONNECTED")));
    assertThat(answers).allSatisfy(answer -> assertThat(answer).isPresent());
    assertThat(history("a")).containsExactly("QUEUED", "ROUTING", "PROCESSING", "COMPLETED AGENT_CONNECTED");
    assertThat(told).containsExactly("a ROUTING", "a PROCESSING", "a COMPLETED");
  }

  @Test
  void a_callback_another_node_took_over_is_fenced_in_a_batch_too() {
    queued("a");
    queued("b");
    Jdbi.create(database.dataSource()).useHandle(handle -> handle.execute("UPDATE callback SET owner_node = 'other' WHERE id = 'b'"));

    List<Optional<Callback>> answers = reports(jdbc).asOwner().reportAll(List.of(
        report("a", CallbackState.ROUTING, null), report("b", CallbackState.ROUTING, null)));

    assertThat(answers.get(0)).isPresent();
    assertThat(answers.get(1)).isEmpty();
    assertThat(history("b")).containsExactly("QUEUED");
    assertThat(told).containsExactly("a ROUTING");
    // the API's reports (not as owner) are not fenced
    assertThat(reports(jdbc).reportAll(List.of(report("b", CallbackState.ROUTING, null))).get(0)).isPresent();
  }

  @Test
  void when_the_batch_cannot_be_stored_each_report_is_made_on_its_own_and_none_twice() {
    queued("a");
    queued("b");
    AtomicInteger batches = new AtomicInteger();
    // the batch commits, but its answer is lost (the connection broke): the store throws
    CallbackStore lostAnswer = (CallbackStore) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {CallbackStore.class}, (proxy, method, args) -> {
          try {
            Object result = method.invoke(jdbc, args);
            if (method.getName().equals("updateAll") && batches.getAndIncrement() == 0) {
              throw new IllegalStateException("connection reset");
            }
            return result;
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });

    List<Optional<Callback>> answers = reports(lostAnswer).asOwner().reportAll(List.of(
        report("a", CallbackState.ROUTING, null), report("b", CallbackState.ROUTING, null)));

    assertThat(answers).allSatisfy(answer -> assertThat(answer).get().extracting(Callback::state)
        .isEqualTo(CallbackState.ROUTING));
    assertThat(history("a")).containsExactly("QUEUED", "ROUTING");
    assertThat(history("b")).containsExactly("QUEUED", "ROUTING");
    assertThat(told).containsExactly("a ROUTING", "b ROUTING");
  }

  @Test
  void the_default_of_the_engine_port_reports_one_by_one() {
    queued("a");
    CallbackReporter single = reports(jdbc)::reportAsOwner;
    assertThat(single.reportAll(List.of(report("a", CallbackState.ROUTING, null), report("a", CallbackState.QUEUED, null),
        report("nope", CallbackState.ROUTING, null))))
        .extracting(Optional::isPresent).containsExactly(true, true, false);
    assertThat(history("a")).containsExactly("QUEUED", "ROUTING", "QUEUED");
  }
}
