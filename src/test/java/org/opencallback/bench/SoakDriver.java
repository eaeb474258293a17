package org.opencallback.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * The soak (bench/soak.sh, docs/benchmarks.md): starts {@code total} immediate callbacks on a
 * loopback server as fast as {@code clients} connections allow (the built-in engine's simulated
 * agents take each to COMPLETED in milliseconds: the engine's times scaled down), and every 10 % of
 * the run reports the server's heap after a full GC (jcmd GC.run, then jstat), the row count of every
 * table and the disk used by the data directories. At the end it waits for every callback to be
 * COMPLETED and counts callbacks that reached PROCESSING more than once (dialled twice). At most
 * {@code -Dsoak.window} (500) callbacks are accepted and not yet COMPLETED at any time, as the
 * server's counters on {@code /metrics} tell.
 *
 * <p>Usage: SoakDriver BASE_URL SERVER_PID JDBC_URL TOTAL CLIENTS DIR… (JDBC_URL: PostgreSQL, the
 * server's SQLite file, or its H2 file opened with AUTO_SERVER)
 */
public final class SoakDriver {
  private SoakDriver() {}

  public static void main(String[] args) throws Exception {
    String base = args[0];
    long pid = Long.parseLong(args[1]);
    String jdbc = args[2];
    long total = Long.parseLong(args[3]);
    int clients = Integer.parseInt(args[4]);
    List<Path> dirs = Stream.of(args).skip(5).map(Path::of).toList();
    // HttpURLConnection, blocking with keep-alive (one pooled connection per client thread): the
    // driver costs 0.36 ms of CPU per start where java.net.http's HttpClient cost 1.2 ms
    System.setProperty("http.maxConnections", String.valueOf(clients));
    URL start = URI.create(base + "/genesys/1/service/callback/Soak").toURL();
    // a closed loop: at most WINDOW callbacks accepted and not yet COMPLETED (the server's own
    // counters on /metrics, read every 100 ms). Flat out, the starts outran the engine: 80,000
    // QUEUED after 860,000, a backlog no real day builds at 20 callbacks/s, and the soak measured it
    long window = Long.getLong("soak.window", 500);
    URL metrics = URI.create(base + "/metrics").toURL();
    AtomicLong completedSeen = new AtomicLong();
    Thread watcher = new Thread(() -> {
      while (!Thread.currentThread().isInterrupted()) {
        try {
          completedSeen.set(completed(metrics));
        } catch (IOException | RuntimeException e) {
          // the next read tries again; a server gone for good ends the run by its refused starts
        }
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
      }
    }, "soak-window");
    watcher.setDaemon(true);
    watcher.start();
    AtomicLong next = new AtomicLong();
    AtomicLong accepted = new AtomicLong();
    AtomicLong refused = new AtomicLong();
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    long began = System.nanoTime();
    for (int c = 0; c < clients; c++) {
      pool.execute(() -> {
        long i;
        while ((i = next.getAndIncrement()) < total) {
          while (accepted.get() - completedSeen.get() >= window) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
          }
          String number = String.format("+1617%07d", i % 10_000_000);
          String body = "{\"_customer_number\":\"" + number + "\",\"soak\":\"" + i + "\"}";
          try {
            if (post(start, body) == 200) {
              accepted.incrementAndGet();
            } else {
              refused.incrementAndGet();
            }
          } catch (IOException e) {
            refused.incrementAndGet();
          }
        }
      });
    }
    pool.shutdown();
    System.out.println("| done | elapsed s | accepted | refused | heap after full GC MB | disk MB | rows |");
    System.out.println("| --- | --- | --- | --- | --- | --- | --- |");
    long step = Math.max(1, total / 10);
    long reported = 0;
    while (!pool.awaitTermination(200, TimeUnit.MILLISECONDS) || reported < total) {
      long done = accepted.get() + refused.get();
      if (done >= reported + step || (pool.isTerminated() && done > reported)) {
        reported = done >= total ? total : done - done % step;
        checkpoint(reported * 100 / total, began, accepted.get(), refused.get(), pid, jdbc, dirs);
      }
      if (pool.isTerminated() && done >= total) {
        break;
      }
    }
    double seconds = (System.nanoTime() - began) / 1e9;
    System.out.printf("%nstarted %d in %.0f s: %.0f callbacks/s (%d accepted, %d refused)%n", total, seconds,
        total / seconds, accepted.get(), refused.get());
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
    long active;
    while ((active = count(jdbc, "SELECT COUNT(*) FROM callback WHERE state <> 'COMPLETED'")) > 0
        && System.nanoTime() < deadline) {
      Thread.sleep(1000);
    }
    System.out.println("not COMPLETED after the run: " + active);
    System.out.println("completed: " + count(jdbc, "SELECT COUNT(*) FROM callback WHERE state = 'COMPLETED'"));
    System.out.println("COMPLETED by reason: " + grouped(jdbc,
        "SELECT reason, COUNT(*) FROM callback WHERE state = 'COMPLETED' GROUP BY reason ORDER BY reason"));
    System.out.println("dialled twice (PROCESSING more than once): " + count(jdbc,
        "SELECT COUNT(*) FROM (SELECT callback_id FROM callback_history WHERE state = 'PROCESSING'"
            + " GROUP BY callback_id HAVING COUNT(*) > 1) twice"));
    checkpoint(100, began, accepted.get(), refused.get(), pid, jdbc, dirs);
    // what the driver itself cost (its HTTP client included), beside the server's and PostgreSQL's
    System.out.printf("driver CPU: %.1f s%n", ((com.sun.management.OperatingSystemMXBean)
        java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime() / 1e9);
  }

  /** The server's COMPLETED callbacks, every reason summed ({@code opencallback_callbacks_completed_total}). */
  private static long completed(URL metrics) throws IOException {
    HttpURLConnection connection = (HttpURLConnection) metrics.openConnection();
    connection.setConnectTimeout(5_000);
    connection.setReadTimeout(30_000);
    try (InputStream in = connection.getInputStream()) {
      double sum = 0;
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (line.startsWith("opencallback_callbacks_completed_total{")) {
          sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        }
      }
      return (long) sum;
    }
  }

  /** POSTs {@code body} as JSON; the answer is read to its end so that the connection is kept for the next. */
  private static int post(URL url, String body) throws IOException {
    HttpURLConnection connection = (HttpURLConnection) url.openConnection();
    connection.setConnectTimeout(5_000);
    connection.setReadTimeout(30_000);
    connection.setRequestMethod("POST");
    connection.setDoOutput(true);
    connection.setRequestProperty("Content-Type", "application/json");
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    connection.setFixedLengthStreamingMode(bytes.length);
    try (OutputStream out = connection.getOutputStream()) {
      out.write(bytes);
    }
    int status = connection.getResponseCode();
    try (InputStream in = status < 400 ? connection.getInputStream() : connection.getErrorStream()) {
      if (in != null) {
        in.readAllBytes();
      }
    }
    return status;
  }

  private static void checkpoint(long percent, long began, long accepted, long refused, long pid, String jdbc,
      List<Path> dirs) throws Exception {
    double heap = heapAfterFullGc(pid);
    long disk = 0;
    for (Path dir : dirs) {
      disk += size(dir);
    }
    System.out.printf("| %d %% | %.0f | %d | %d | %.1f | %.1f | %s |%n", percent, (System.nanoTime() - began) / 1e9,
        accepted, refused, heap, disk / 1e6, rows(jdbc));
  }

  /** jcmd PID GC.run, then the used heap from jstat -gc (KB columns ending in U), in MB. */
  static double heapAfterFullGc(long pid) throws Exception {
    run("jcmd", String.valueOf(pid), "GC.run");
    List<String> lines = run("jstat", "-gc", String.valueOf(pid));
    String[] names = lines.get(0).trim().split("\\s+");
    String[] values = lines.get(1).trim().split("\\s+");
    double used = 0;
    for (int i = 0; i < names.length; i++) {
      if (List.of("S0U", "S1U", "EU", "OU").contains(names[i])) {
        used += Double.parseDouble(values[i]);
      }
    }
    return used / 1024;
  }

  private static List<String> run(String... command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    List<String> lines = new String(process.getInputStream().readAllBytes()).lines().toList();
    process.waitFor();
    return lines;
  }

  private static long size(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return 0;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(file -> file.toFile().length()).sum();
    }
  }

  private static String rows(String jdbc) throws SQLException {
    Map<String, Long> counts = new LinkedHashMap<>();
    try (Connection connection = DriverManager.getConnection(jdbc); Statement statement = connection.createStatement()) {
      List<String> tables = new ArrayList<>();
      String names = jdbc.startsWith("jdbc:sqlite:")
          ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%' ORDER BY name"
          : "SELECT table_name FROM information_schema.tables"
              + " WHERE LOWER(table_schema) = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name";
      try (ResultSet rows = statement.executeQuery(names)) {
        while (rows.next()) {
          tables.add(rows.getString(1));
        }
      }
      for (String table : tables) {
        try (ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM \"" + table + "\"")) {
          rows.next();
          counts.put(table, rows.getLong(1));
        }
      }
    }
    StringBuilder text = new StringBuilder();
    counts.forEach((table, count) -> text.append(text.length() == 0 ? "" : ", ").append(table).append(' ').append(count));
    return text.toString();
  }

  private static long count(String jdbc, String sql) throws SQLException {
    try (Connection connection = DriverManager.getConnection(jdbc); Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      rows.next();
      return rows.getLong(1);
    }
  }

  private static String grouped(String jdbc, String sql) throws SQLException {
    StringBuilder text = new StringBuilder();
    try (Connection connection = DriverManager.getConnection(jdbc); Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      while (rows.next()) {
        text.append(rows.getString(1)).append('=').append(rows.getLong(2)).append(' ');
      }
    }
    return text.toString().trim();
  }
}
