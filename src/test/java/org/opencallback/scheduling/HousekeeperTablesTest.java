package org.opencallback.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.opencallback.store.Database;
import org.opencallback.store.JdbcCallbackStore;
import org.opencallback.testing.EmbeddedStore;

/** One housekeeping round purges the bookkeeping tables (docs/reliability.md, "Every table and its purge"). */
/** Runs on each embedded store: H2 and SQLite. */
@ParameterizedClass
@EnumSource(EmbeddedStore.class)
class HousekeeperTablesTest {
  private static final Instant NOW = Instant.parse("2026-03-02T10:00:00Z");
  private static final long DAY = 86_400_000L;
  private final Database database;
  private final Jdbi jdbi;

  HousekeeperTablesTest(EmbeddedStore kind) {
    database = kind.open();
    jdbi = Jdbi.create(database.dataSource());
  }

  @AfterEach
  void close() {
    database.close();
  }

  private long count(String table) {
    return jdbi.withHandle(handle -> handle.createQuery("SELECT COUNT(*) FROM " + table).mapTo(Long.class).one());
  }

  @Test
  void a_round_purges_past_throttle_days_past_slots_and_long_dead_nodes_in_batches() {
    long today = NOW.toEpochMilli() / DAY * DAY;
    jdbi.useHandle(handle -> {
      // more than one batch (500) of old throttle rows: a round takes them all
      for (int i = 0; i < 1_200; i++) {
        handle.execute("INSERT INTO throttle_count VALUES ('svc', '_customer_number', ?, ?, 1)",
            "555" + i, today - 3 * DAY);
      }
      handle.execute("INSERT INTO throttle_count VALUES ('svc', '_customer_number', '5551', ?, 1)", today);
      handle.execute("INSERT INTO booking_count VALUES ('svc', ?, 1)", NOW.minus(Duration.ofDays(2)).toEpochMilli());
      handle.execute("INSERT INTO booking_count VALUES ('svc', ?, 1)", NOW.minus(Duration.ofHours(1)).toEpochMilli());
      handle.execute("INSERT INTO booking_count VALUES ('svc', ?, 1)", NOW.plus(Duration.ofHours(1)).toEpochMilli());
      long old = NOW.minus(Duration.ofDays(3)).toEpochMilli();
      handle.execute("INSERT INTO node VALUES ('gone', 'i', ?, ?)", old, old);
      handle.execute("INSERT INTO node VALUES ('live', 'i', ?, ?)", old, NOW.toEpochMilli());
    });
    JdbcCallbackStore store = new JdbcCallbackStore(database, new ObjectMapper());
    Housekeeper housekeeper = new Housekeeper(store, (id, state, reason, properties) -> Optional.empty(),
        Clock.fixed(NOW, ZoneOffset.UTC));

    housekeeper.runOnce();

    assertThat(count("throttle_count")).isEqualTo(1); // today's
    assertThat(count("booking_count")).isEqualTo(2); // within the day's margin, and ahead
    java.util.List<String> nodes =
        jdbi.withHandle(handle -> handle.createQuery("SELECT node_id FROM node").mapTo(String.class).list());
    assertThat(nodes).containsExactly("live");
  }
}
