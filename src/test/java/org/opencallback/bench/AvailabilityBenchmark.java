package org.opencallback.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.opencallback.callback.admission.Availability;
import org.opencallback.callback.admission.ServiceCalendars;
import org.opencallback.calendar.Slot;
import org.opencallback.config.ConfigHolder;
import org.opencallback.config.ConfigLoader;
import org.opencallback.config.Configuration;
import org.opencallback.domain.Callback;
import org.opencallback.domain.CallbackState;
import org.opencallback.domain.StateChange;
import org.opencallback.store.Database;
import org.opencallback.store.JdbcCallbackStore;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Issue 4 item 8: availability v2 for 30 days in 5-minute buckets over a service with 100,000
 * booked scheduled callbacks, computed from the per-slot booking counts (one indexed range read),
 * never by loading callbacks.
 *
 * <p>Setup (once per fork): an H2 file database in a temporary directory, migrated by Flyway
 * ({@link Database#open}), filled with 100,000 SCHEDULED callbacks through {@link
 * JdbcCallbackStore#insert} — the path the API takes, booking_count included — spread evenly over
 * the 30 days measured (about 11.6 per 5-minute slot). The office is open around the clock, so all
 * 8,640 buckets are computed and listed ({@code report-busy=true}, no {@code max-time-slots}).
 *
 * <p>Run it (see docs/benchmarks.md): {@code ./mvnw -B -q -Pbench test-compile exec:exec
 * -Djmh.args="AvailabilityBenchmark -f 1 -wi 3 -i 5"}. Not a test: surefire never runs it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class AvailabilityBenchmark {
  static final String SERVICE = "Bench";
  static final int CALLBACKS = 100_000;
  static final Duration RANGE = Duration.ofDays(30);
  /** "Now" for the whole run: Monday 2030-01-07 00:00 UTC. */
  static final Instant START = Instant.parse("2030-01-07T00:00:00Z");
  static final String CONFIG = String.join("\n",
      "service." + SERVICE + ":",
      "  _type: ors",
      "  _business_hours_service: hours",
      "  _request_time_bucket: 5",
      "  _max_request_by_time_bucket: 100",
      "service.hours:",
      "  _type: builtin",
      "  _service: office-hours",
      "  _timezone: Europe/Paris",
      "  _bh_regular1: Mon-Sun 0:00-24:00",
      "");

  private Path dir;
  private Database database;
  private Availability availability;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    dir = Files.createTempDirectory("opencallback-bench-");
    // the default H2 write delay (not the server's WRITE_DELAY=0) only to fill the table faster
    database = Database.open("jdbc:h2:file:" + dir.resolve("bench").toAbsolutePath(), null, null, 4);
    JdbcCallbackStore store = new JdbcCallbackStore(database.dataSource(), new ObjectMapper());
    long began = System.nanoTime();
    long step = RANGE.toMillis() / CALLBACKS;
    for (int i = 0; i < CALLBACKS; i++) {
      Instant desired = START.plusMillis(step * i + 1);
      Callback callback = new Callback(
          "bench-" + i, SERVICE, CallbackState.SCHEDULED, null, "+3314000" + String.format("%05d", i), desired,
          START, desired.plusSeconds(3600), desired.minusSeconds(120), Map.of(), Map.of(), false, 1, START);
      store.insert(callback, new StateChange(CallbackState.SCHEDULED, null, START, "bench"));
    }
    long filled = System.nanoTime();
    Configuration configuration = Configuration.from(
        ConfigLoader.parse(CONFIG.getBytes(StandardCharsets.UTF_8), "bench.yaml", "bench"), "bench");
    availability = new Availability(new ConfigHolder(configuration), store, new ServiceCalendars(),
        Clock.fixed(START, ZoneOffset.UTC));
    List<Slot> slots = thirtyDays();
    int booked = slots.stream().mapToInt(s -> s.total() - s.free()).sum();
    System.out.printf("%nSetup: %d callbacks stored in %.1f s (store count %d); 30 days = %d slots, %d places booked%n",
        CALLBACKS, (filled - began) / 1e9, store.count(), slots.size(), booked);
    if (slots.size() != 30 * 24 * 12 || booked != CALLBACKS) {
      throw new IllegalStateException("unexpected setup: " + slots.size() + " slots, " + booked + " booked");
    }
  }

  private List<Slot> thirtyDays() {
    return availability.slots(SERVICE, START, START.plus(RANGE), true, 0).slots();
  }

  @Benchmark
  public List<Slot> availabilityV2ThirtyDays() {
    return thirtyDays();
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    database.close();
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
