package org.opencallback.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.opencallback.config.ConfigHolder;
import org.opencallback.config.ConfigLoader;
import org.opencallback.config.Configuration;
import org.opencallback.config.ServiceConfig;
import org.opencallback.scheduling.Dispatcher;
import org.opencallback.engine.EngineRegistry;
import org.opencallback.engine.ExecutionEngine;
import org.opencallback.engine.QueuePosition;
import org.opencallback.domain.Callback;
import org.opencallback.domain.CallbackState;
import org.opencallback.domain.StateChange;
import org.opencallback.engine.builtin.BuiltinEngine;
import org.opencallback.store.AdmissionGuard;
import org.opencallback.store.Database;
import org.opencallback.store.Dialect;
import org.opencallback.store.JdbcCallbackStore;

/**
 * Dispatch lateness and rate: N scheduled callbacks (default 100,000) fall due within one minute (or
 * all at the same instant); how late is each handed to its engine, and how fast does one node
 * dispatch? Runs the real Dispatcher over the embedded H2 file database on the real clock (fifth
 * argument: {@code h2}, the default, {@code sqlite}, or the JDBC URL of a PostgreSQL database,
 * which the benchmark fills and leaves behind).
 * Arguments: count (100000), seconds before the first falls due (240, room for inserting), seconds
 * they are spread over (60; 0 = all at once, to measure the burst rate), engine ({@code recorder}:
 * an engine that only notes the time; {@code builtin}: the built-in engine with {@code agents: 0},
 * timed at its door). Ends with one {@code RESULT} line. Command in docs/benchmarks.md.
 */
public final class DispatchBenchmark {
  private static final int WARM_UP = 2_000;

  private DispatchBenchmark() {}

  public static void main(String[] args) throws Exception {
    int count = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    int lead = args.length > 1 ? Integer.parseInt(args[1]) : 240;
    int spread = args.length > 2 ? Integer.parseInt(args[2]) : 60;
    String engineName = args.length > 3 ? args[3] : "recorder";
    // issue 18: the store to measure, h2 (as before), sqlite or a JDBC URL (PostgreSQL: bench/stores.sh)
    String store = args.length > 4 ? args[4] : "h2";
    Path dir = Files.createTempDirectory("dispatch-bench-");
    try {
      run(count, lead, spread, engineName, dir, store);
    } finally {
      // every commit of the fill leaves a chunk behind (WRITE_DELAY=0): gigabytes for 100,000
      try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
      }
    }
  }

  private static void run(int count, int lead, int spread, String engineName, Path dir, String storeName)
      throws Exception {
    boolean url = storeName.startsWith("jdbc:");
    if (!url && !storeName.equals("h2") && !storeName.equals("sqlite")) {
      throw new IllegalArgumentException("the store is h2, sqlite or a JDBC URL, not " + storeName);
    }
    try (Database database = url ? Database.open(storeName, null, null, 8)
        : Database.open(Database.embeddedUrl(dir, storeName.equals("sqlite") ? Dialect.SQLITE : Dialect.H2), "sa", "", 8)) {
      JdbcCallbackStore store = new JdbcCallbackStore(database, new ObjectMapper());
      if (database.isPostgres()) {
        store.ownedBy("bench1"); // as a server on PostgreSQL (cluster mode): claims record their node
      }
      Configuration configuration = Configuration.from(ConfigLoader.parse(
          "service.S:\n  _request_execution_time_buffer: 0\nengine:\n  agents: 0\n".getBytes(StandardCharsets.UTF_8), "b.yaml", "b"), "b");
      Instant now = Instant.now();
      Instant firstDue = now.plusSeconds(lead);
      System.out.printf("inserting %d callbacks due between %s and %s%n", count, firstDue, firstDue.plusSeconds(spread));
      long insertStart = System.nanoTime();
      ExecutorService inserters = Executors.newFixedThreadPool(4);
      AtomicLong inserted = new AtomicLong();
      for (int t = 0; t < 4; t++) {
        int thread = t;
        inserters.execute(() -> {
          for (int i = thread; i < count; i += 4) {
            Instant due = firstDue.plusMillis(1000L * spread * i / count);
            Callback callback = new Callback("1-" + UUID.randomUUID(), "S", CallbackState.SCHEDULED, null,
                "+1617555" + String.format("%04d", i % 10000), due, now, due.plusSeconds(86400), due,
                Map.of("bench", i), Map.of(), true, 1, now);
            store.insert(callback, new StateChange(CallbackState.SCHEDULED, null, now, "bench"), AdmissionGuard.NONE);
            inserted.incrementAndGet();
          }
        });
      }
      inserters.shutdown();
      inserters.awaitTermination(30, TimeUnit.MINUTES);
      // a running server's claim path is warm: 2,000 callbacks fall due 30 s before the measured ones
      Instant warmUp = firstDue.minusSeconds(30);
      for (int i = 0; i < WARM_UP; i++) {
        Instant due = warmUp.plusMillis(5_000L * i / WARM_UP);
        Callback callback = new Callback("0-" + UUID.randomUUID(), "S", CallbackState.SCHEDULED, null,
            "+1617556" + String.format("%04d", i), due, now, due.plusSeconds(86400), due, Map.of("warm", i), Map.of(), true, 1, now);
        store.insert(callback, new StateChange(CallbackState.SCHEDULED, null, now, "bench"), AdmissionGuard.NONE);
      }
      System.out.printf("inserted in %.1f s%n", (System.nanoTime() - insertStart) / 1e9);
      if (Instant.now().isAfter(firstDue)) {
        System.out.println("WARNING: inserting took longer than the lead time; raise the second argument");
      }

      ConfigHolder holder = new ConfigHolder(configuration);
      ScheduledExecutorService timers = Executors.newScheduledThreadPool(2);
      ExecutionEngine engine = "builtin".equals(engineName)
          ? new BuiltinEngine(holder, (id, state, reason, props) -> Optional.empty(), Clock.systemUTC(), timers)
          : null;
      Recorder recorder = new Recorder(engine);
      // the server's wiring: 4 worker threads
      Dispatcher dispatcher = new Dispatcher(holder, store,
          new EngineRegistry(Map.of(EngineRegistry.BUILTIN, recorder)),
          (id, state, reason, props) -> Optional.empty(), Clock.systemUTC(), 4);
      long cpuBefore = processCpuNanos();
      dispatcher.start();
      long deadline = System.currentTimeMillis() + Duration.ofSeconds(lead + 300).toMillis();
      while (recorder.lateness.size() < count && System.currentTimeMillis() < deadline) {
        Thread.sleep(200);
      }
      long cpu = processCpuNanos() - cpuBefore;
      dispatcher.close();
      recorder.close();
      timers.shutdownNow();
      report(count, spread, engineName, firstDue, recorder, cpu);
    }
  }

  /** CPU time of this process: less noisy than rates on a shared machine. */
  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static void report(int count, int spread, String engine, Instant firstDue, Recorder recorder, long cpu) {
    long[] late = recorder.lateness.values().stream().mapToLong(Long::longValue).sorted().toArray();
    System.out.printf("dispatched %d of %d%n", late.length, count);
    if (late.length == 0) {
      System.out.printf("RESULT dispatch_count=%d spread_s=%d engine=%s dispatched=0%n", count, spread, engine);
      return;
    }
    double seconds = (recorder.last.get() - recorder.first.get()) / 1000.0;
    // from the (first) due instant to the last hand-off: in a burst, how fast the node empties it
    double sinceDue = Math.max(0.001, (recorder.last.get() - firstDue.toEpochMilli()) / 1000.0);
    long p50 = late[late.length / 2];
    long p99 = late[(int) (late.length * 0.99)];
    long max = late[late.length - 1];
    System.out.printf("lateness ms: p50 %d, p99 %d, max %d, mean %.1f%n", p50, p99, max,
        Arrays.stream(late).average().orElse(0));
    System.out.printf("dispatch span %.1f s, rate %.0f/s; from the first due time to the last hand-off %.2f s, %.0f/s%n",
        seconds, late.length / Math.max(seconds, 0.001), sinceDue, late.length / sinceDue);
    System.out.printf("RESULT dispatch_count=%d spread_s=%d engine=%s dispatched=%d p50_ms=%d p99_ms=%d max_ms=%d"
        + " rate_per_s=%.0f burst_rate_per_s=%.0f cpu_ms_per_1000=%.0f load_average=%s%n", count, spread, engine,
        late.length, p50, p99, max, late.length / Math.max(seconds, 0.001), late.length / sinceDue,
        cpu / 1e6 / late.length * 1000, loadAverage());
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (java.io.IOException e) {
      return "unknown";
    }
  }

  /**
   * Records when each callback reached the engine, against its due time; then hands it to the
   * built-in engine when there is one.
   */
  private static final class Recorder implements ExecutionEngine {
    final Map<String, Long> lateness = new ConcurrentHashMap<>();
    final AtomicLong first = new AtomicLong(Long.MAX_VALUE);
    final AtomicLong last = new AtomicLong();
    private final ExecutionEngine next;

    Recorder(ExecutionEngine next) {
      this.next = next;
    }

    @Override
    public void submit(Callback callback, ServiceConfig service) {
      if (callback.id().startsWith("0-")) {
        return; // warm-up
      }
      if (next != null) {
        next.submit(callback, service);
      }
      long now = System.currentTimeMillis();
      // the claimed record no longer has its due time; the desired time equals it (buffer 0)
      lateness.put(callback.id(), now - callback.desiredTime().toEpochMilli());
      first.accumulateAndGet(now, Math::min);
      last.accumulateAndGet(now, Math::max);
    }

    @Override
    public void cancel(Callback callback) {}

    @Override
    public void recover(Callback callback, ServiceConfig service) {}

    @Override
    public Optional<QueuePosition> position(String callbackId) {
      return Optional.empty();
    }

    @Override
    public Duration ewt(ServiceConfig service) {
      return Duration.ZERO;
    }

    @Override
    public void close() {
      if (next != null) {
        next.close();
      }
    }
  }

}
