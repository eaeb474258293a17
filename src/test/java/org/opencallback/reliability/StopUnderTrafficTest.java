package org.opencallback.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencallback.testing.EmbeddedStore;
import org.opencallback.testing.ForkedServer;

/**
 * Issue 16, restart under traffic: the server (its own process, the embedded default store, the
 * built-in engine with simulated agents) gets SIGTERM while clients start immediate callbacks and its
 * agents are ringing and talking. The graceful stop must store every report its engine made before
 * the database closes: a lost ROUTING → PROCESSING report would leave a callback whose customer was
 * connected looking unconnected, and the restart would dial that customer again (docs/engine.md
 * "Cancel, restart"). Then the server starts again on the same data and finishes every callback.
 *
 * <p>Checks: the stop ends with exit code 0 and no ERROR line (a report after the database closed
 * logs one); every acknowledged callback is stored and ends COMPLETED; none reached PROCESSING twice;
 * every callback stored as PROCESSING at the stop is completed {@code AGENT_CONNECTED} after the
 * restart, not dialled again; the store is intact.
 */
class StopUnderTrafficTest {
  private static final int CLIENTS = 6;
  private static final EmbeddedStore STORE = EmbeddedStore.SQLITE;

  @Test
  void a_sigterm_under_traffic_loses_no_report_and_the_restart_dials_nobody_twice(@TempDir Path dir) throws Exception {
    Path config = dir.resolve("opencallback.yaml");
    Files.writeString(config, String.join("\n",
        "service.S:",
        "  _type: ors",
        "  _enable_in_queue_checking: false",
        "  _throttle_ttl_1: 0",
        "  _throttle_ttl_2: 0",
        "  _throttle_customer_number_limit: 1000000",
        "  _throttle_request_parameters_limit: 1000000",
        "engine:",
        "  agents: 30",
        "  ring_time: 30ms",
        "  talk_time: 150ms",
        ""));
    Path data = dir.resolve("data");
    Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
    Map<String, String> atStop;
    try {
      int port = ForkedServer.freePort();
      try (ForkedServer server = ForkedServer.start(dir, port, args(config, port, data))) {
        assertThat(server.awaitListening(Duration.ofSeconds(60))).as(String.join("\n", server.output())).isTrue();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger sequence = new AtomicInteger();
        for (int c = 0; c < CLIENTS; c++) {
          clients.execute(() -> {
            while (!stop.get()) {
              String id = server.startCallback("S",
                  "{\"_customer_number\":\"" + ForkedServer.customerNumber(sequence.getAndIncrement()) + "\"}");
              if (id != null) {
                acknowledged.add(id);
              }
            }
          });
        }
        // traffic at its height: agents busy, callbacks in every state
        await().atMost(Duration.ofSeconds(60)).until(() -> acknowledged.size() >= 600);
        assertThat(server.terminate(Duration.ofSeconds(30))).as(String.join("\n", server.output())).isZero();
        stop.set(true);
        List<String> errors = server.output().stream().filter(line -> line.contains(" ERROR ")).toList();
        assertThat(errors).as("ERROR lines while stopping under traffic").isEmpty();
      }
      clients.shutdown();
      assertThat(clients.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
      STORE.assertIntact(data);
      atStop = states(data);
      assertThat(atStop.keySet()).as("every acknowledged callback is stored").containsAll(acknowledged);
      assertThat(atStop.values()).as("the stop fell amid calls").contains("PROCESSING");

      int port2 = ForkedServer.freePort();
      try (ForkedServer server = ForkedServer.start(dir, port2, args(config, port2, data))) {
        assertThat(server.awaitListening(Duration.ofSeconds(60))).as(String.join("\n", server.output())).isTrue();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
            .until(() -> activeCount(data) == 0);
        assertThat(server.terminate(Duration.ofSeconds(30))).isZero();
      }
    } finally {
      clients.shutdownNow();
    }
    STORE.assertIntact(data);
    Map<String, String> after = states(data);
    Map<String, Integer> processing = processingEntries(data);
    List<String> wrong = new ArrayList<>();
    after.forEach((id, state) -> {
      if (!state.startsWith("COMPLETED")) {
        wrong.add(id + " left " + state);
      }
      if (processing.getOrDefault(id, 0) > 1) {
        wrong.add(id + " reached PROCESSING " + processing.get(id) + " times");
      }
      if ("PROCESSING".equals(atStop.get(id)) && !"COMPLETED AGENT_CONNECTED".equals(state)) {
        wrong.add(id + " was talking to an agent at the stop and ended " + state);
      }
    });
    System.out.printf("acknowledged %d; stored at the stop by state: %s%n", acknowledged.size(),
        new java.util.TreeMap<>(atStop.values().stream().collect(
            java.util.stream.Collectors.groupingBy(state -> state, java.util.stream.Collectors.counting()))));
    assertThat(wrong).as("callbacks not finished once (of %d acknowledged)", acknowledged.size()).isEmpty();
  }

  private static String[] args(Path config, int port, Path data) {
    List<String> args = new ArrayList<>(List.of("--config", config.toString(), "--port", String.valueOf(port),
        "--host", "127.0.0.1"));
    args.addAll(STORE.args(data));
    return args.toArray(String[]::new);
  }

  /** Callbacks of S not yet COMPLETED, read beside the running server (WAL lets a reader in). */
  private static int activeCount(Path data) throws Exception {
    try (Connection connection = STORE.connect(data);
        Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery("SELECT COUNT(*) FROM callback WHERE state <> 'COMPLETED'")) {
      result.next();
      return result.getInt(1);
    }
  }

  /** Each stored callback's state (and reason, when COMPLETED), read from the file while no server runs. */
  private static Map<String, String> states(Path data) throws Exception {
    Map<String, String> rows = new HashMap<>();
    try (Connection connection = STORE.connect(data);
        Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery("SELECT id, state, reason FROM callback WHERE service = 'S'")) {
      while (result.next()) {
        String state = result.getString(2);
        rows.put(result.getString(1), "COMPLETED".equals(state) ? state + " " + result.getString(3) : state);
      }
    }
    return rows;
  }

  private static Map<String, Integer> processingEntries(Path data) throws Exception {
    Map<String, Integer> rows = new HashMap<>();
    try (Connection connection = STORE.connect(data);
        Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery("SELECT callback_id, COUNT(*) FROM callback_history"
            + " WHERE state = 'PROCESSING' GROUP BY callback_id")) {
      while (result.next()) {
        rows.put(result.getString(1), result.getInt(2));
      }
    }
    return rows;
  }
}
