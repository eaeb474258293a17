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
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.opencallback.config.ConfigHolder;
import org.opencallback.config.ConfigLoader;
import org.opencallback.config.Configuration;
import org.opencallback.config.ServiceConfig;
import org.opencallback.dispatch.Dispatcher;
import org.opencallback.dispatch.EngineRegistry;
import org.opencallback.dispatch.ExecutionEngine;
import org.opencallback.dispatch.QueuePosition;
import org.opencallback.domain.Callback;
import org.opencallback.domain.CallbackState;
import org.opencallback.domain.StateChange;
import org.opencallback.store.AdmissionGuard;
import org.opencallback.store.Database;
import org.opencallback.store.JdbcCallbackStore;

/**
 * Dispatch lateness: N scheduled callbacks (default 100,000) fall due within one minute; how late
 * is each handed to its engine, and how fast does one node dispatch? Runs the real Dispatcher over
 * the embedded H2 file database on the real clock. Arguments: count (100000), seconds before the
 * first falls due (240, room for inserting), seconds they are spread over (60; 0 = all at once, to
 * measure the rate). Command in docs/benchmarks.md.
 */
public final class DispatchBenchmark {
  private static final int WARM_UP = 2_000;

  private DispatchBenchmark() {}

  public static void main(String[] args) throws Exception {
    int count = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    int lead = args.length > 1 ? Integer.parseInt(args[1]) : 240;
    int spread = args.length > 2 ? Integer.parseInt(args[2]) : 60;
    Path dir = Files.createTempDirectory("dispatch-bench-");
    try (Database database = Database.open(Database.embeddedUrl(dir), "sa", "", 8)) {
      JdbcCallbackStore store = new JdbcCallbackStore(database.dataSource(), new ObjectMapper());
      Configuration configuration = Configuration.from(ConfigLoader.parse(
          "service.S:\n  _request_execution_time_buffer: 0\n".getBytes(StandardCharsets.UTF_8), "b.yaml", "b"), "b");
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
                Map.of("bench", i), true, 1, now);
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
            "+1617556" + String.format("%04d", i), due, now, due.plusSeconds(86400), due, Map.of("warm", i), true, 1, now);
        store.insert(callback, new StateChange(CallbackState.SCHEDULED, null, now, "bench"), AdmissionGuard.NONE);
      }
      System.out.printf("inserted in %.1f s%n", (System.nanoTime() - insertStart) / 1e9);
      if (Instant.now().isAfter(firstDue)) {
        System.out.println("WARNING: inserting took longer than the lead time; raise the second argument");
      }

      Recorder recorder = new Recorder();
      Dispatcher dispatcher = new Dispatcher(new ConfigHolder(configuration), store,
          new EngineRegistry(Map.of(EngineRegistry.BUILTIN, recorder)),
          (id, state, reason, props) -> Optional.empty(), Clock.systemUTC(), 2);
      dispatcher.start();
      long deadline = System.currentTimeMillis() + Duration.ofSeconds(lead + 300).toMillis();
      while (recorder.lateness.size() < count && System.currentTimeMillis() < deadline) {
        Thread.sleep(200);
      }
      dispatcher.close();
      report(count, recorder);
    }
  }

  private static void report(int count, Recorder recorder) {
    long[] late = recorder.lateness.values().stream().mapToLong(Long::longValue).sorted().toArray();
    System.out.printf("dispatched %d of %d%n", late.length, count);
    if (late.length == 0) {
      return;
    }
    double seconds = (recorder.last.get() - recorder.first.get()) / 1000.0;
    System.out.printf("lateness ms: p50 %d, p99 %d, max %d, mean %.1f%n",
        late[late.length / 2], late[(int) (late.length * 0.99)], late[late.length - 1],
        Arrays.stream(late).average().orElse(0));
    System.out.printf("dispatch span %.1f s, rate %.0f/s%n", seconds, late.length / Math.max(seconds, 0.001));
  }

  /** Records when each callback reached the engine, against its due time. */
  private static final class Recorder implements ExecutionEngine {
    final Map<String, Long> lateness = new ConcurrentHashMap<>();
    final AtomicLong first = new AtomicLong(Long.MAX_VALUE);
    final AtomicLong last = new AtomicLong();

    @Override
    public void submit(Callback callback, ServiceConfig service) {
      if (callback.id().startsWith("0-")) {
        return; // warm-up
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
    public void close() {}
  }

}
