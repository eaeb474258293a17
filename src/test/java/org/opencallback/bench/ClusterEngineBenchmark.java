package org.opencallback.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.opencallback.testing.TestPostgres;
import org.opencallback.testing.TestServer;

/**
 * The built-in engine across two nodes (docs/benchmarks.md, "Cluster engine"): two servers in this
 * JVM on one embedded PostgreSQL, simulated agents on both, immediate callbacks created at a steady
 * rate alternately on each node. Measures the hand-off latency (accepted → ROUTING: the callback is
 * published, a free agent of either node claims it), the completion rate, and how many callbacks an
 * agent of the other node took. Prints {@code RESULT …} at the end.
 *
 * <p>Arguments: callbacks (default 2000), creation rate per second (default 100), simulated agents
 * per node (default 20), talk time in ms (default 200).
 */
public final class ClusterEngineBenchmark {
  private ClusterEngineBenchmark() {}

  public static void main(String[] args) throws Exception {
    int count = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
    int rate = args.length > 1 ? Integer.parseInt(args[1]) : 100;
    int agents = args.length > 2 ? Integer.parseInt(args[2]) : 20;
    int talkMillis = args.length > 3 ? Integer.parseInt(args[3]) : 200;
    String config = String.join("\n",
        "service.Bench:", "  _type: ors", "  _enable_in_queue_checking: false", "  _throttle_ttl_1: 0",
        "  _throttle_ttl_2: 0", "  _max_queued_callbacks_per_service: 1000000", "  _max_request_by_time_bucket: 1000000",
        "engine:", "  agents: " + agents, "  ring_time: 10ms", "  talk_time: " + talkMillis + "ms", "");
    String url = TestPostgres.newDatabaseUrl();
    ExecutorService clients = Executors.newFixedThreadPool(8);
    try (TestServer a = TestServer.start(config, "--db-url", url, "--node-id", "a");
        TestServer b = TestServer.start(config, "--db-url", url, "--node-id", "b")) {
      // warm-up: a few callbacks through both nodes
      run(List.of(a, b), List.of("a", "b"), 100, 50, clients);
      await(url, 100, Duration.ofSeconds(60));
      System.out.printf("creating %d callbacks at %d/s, %d simulated agents per node, talk %d ms%n",
          count, rate, agents, talkMillis);
      long start = System.nanoTime();
      Map<String, String> creators = run(List.of(a, b), List.of("a", "b"), count, rate, clients);
      await(url, count + 100, Duration.ofMinutes(10));
      double seconds = (System.nanoTime() - start) / 1e9;
      List<Long> handOff = handOffs(url);
      Map<String, String> owners = owners(url);
      long remote = creators.entrySet().stream().filter(e -> !e.getValue().equals(owners.get(e.getKey()))).count();
      handOff.sort(null);
      System.out.printf("hand-off accepted -> ROUTING: p50 %d ms, p99 %d ms, max %d ms; %d of %d taken by the"
              + " other node's agents; %.1f s%n", pct(handOff, 50), pct(handOff, 99), handOff.get(handOff.size() - 1),
          remote, creators.size(), seconds);
      System.out.printf("RESULT cluster_engine_callbacks=%d rate=%d agents_per_node=%d handoff_p50_ms=%d"
              + " handoff_p99_ms=%d handoff_max_ms=%d completed_per_s=%.1f remote_share=%.2f%n",
          count, rate, agents, pct(handOff, 50), pct(handOff, 99), handOff.get(handOff.size() - 1),
          (count + 100) / seconds, remote / (double) creators.size());
    } finally {
      clients.shutdownNow();
    }
    System.exit(0);
  }

  /** Creates {@code count} immediate callbacks at {@code rate} per second, alternately on each node. */
  private static Map<String, String> run(List<TestServer> nodes, List<String> names, int count, int rate,
      ExecutorService clients) throws Exception {
    long start = System.nanoTime();
    List<Future<String>> created = new ArrayList<>();
    List<String> creator = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      long due = start + TimeUnit.SECONDS.toNanos(1) * i / rate;
      long wait = due - System.nanoTime();
      if (wait > 0) {
        TimeUnit.NANOSECONDS.sleep(wait); // pacing the load generator, not waiting for a state
      }
      TestServer node = nodes.get(i % nodes.size());
      creator.add(names.get(i % nodes.size()));
      String number = "+1617" + String.format("%07d", (long) (Math.random() * 9_999_999));
      created.add(clients.submit(() -> {
        TestServer.Response response = node.postJson("/genesys/1/service/callback/Bench", Map.of("_customer_number", number));
        if (response.status() != 200) {
          throw new IllegalStateException(response.body());
        }
        return String.valueOf(response.map().get("_id"));
      }));
    }
    Map<String, String> creators = new java.util.HashMap<>();
    for (int i = 0; i < created.size(); i++) {
      creators.put(created.get(i).get(60, TimeUnit.SECONDS), creator.get(i));
    }
    return creators;
  }

  /** The node whose engine last held each callback. */
  private static Map<String, String> owners(String url) throws Exception {
    Map<String, String> owners = new java.util.HashMap<>();
    try (Connection connection = DriverManager.getConnection(url);
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT id, owner_node FROM callback")) {
      while (rows.next()) {
        owners.put(rows.getString(1), rows.getString(2));
      }
    }
    return owners;
  }

  private static void await(String url, int completed, Duration within) throws Exception {
    long deadline = System.nanoTime() + within.toNanos();
    while (query(url, "SELECT COUNT(*) FROM callback WHERE state = 'COMPLETED'").get(0) < completed) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("callbacks not completed in " + within);
      }
      TimeUnit.MILLISECONDS.sleep(200); // polling the database for the end of the run
    }
  }

  private static List<Long> handOffs(String url) throws Exception {
    return query(url, "SELECT r.changed_at - q.changed_at FROM callback_history q JOIN callback_history r"
        + " ON r.callback_id = q.callback_id AND r.state = 'ROUTING' AND q.seq = 1"
        + " WHERE r.seq = (SELECT MIN(seq) FROM callback_history x WHERE x.callback_id = q.callback_id"
        + " AND x.state = 'ROUTING')");
  }

  private static List<Long> query(String url, String sql) throws Exception {
    List<Long> values = new ArrayList<>();
    try (Connection connection = DriverManager.getConnection(url);
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      while (rows.next()) {
        values.add(rows.getLong(1));
      }
    }
    return values;
  }

  private static long pct(List<Long> sorted, int percent) {
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(sorted.size() * percent / 100.0) - 1));
  }
}
