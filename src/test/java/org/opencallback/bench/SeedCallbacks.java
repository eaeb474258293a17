package org.opencallback.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import org.opencallback.domain.Callback;
import org.opencallback.domain.CallbackState;
import org.opencallback.domain.StateChange;
import org.opencallback.store.Database;
import org.opencallback.store.Dialect;

/**
 * Fills a database with N callbacks fast (issue 10, benchmarks 2 and 5; issue 8): batched JDBC
 * writing exactly the rows {@code JdbcCallbackStore.insert} and {@code update} would write for the
 * same callbacks and state changes ({@code callback}, {@code callback_key}, {@code
 * callback_history}, {@code booking_count}); {@code SeedCallbacksTest} checks that against the store.
 * The schema comes from the real migrations ({@link Database#open}).
 *
 * <p>Two shapes. The default is a realistic spread: several services, a unique customer number
 * each, desired times over 30 days (10 past, 20 ahead); the ones ahead are SCHEDULED, the past ones
 * COMPLETED with a mix of reasons (a tenth of them immediate ones). {@code --due-in S} instead
 * makes every callback SCHEDULED and due S seconds from now, in one service (dispatch benchmarks).
 *
 * <p>Arguments: {@code --data-dir DIR [--store h2|sqlite]} (an embedded store, as the server opens
 * it; H2 unless {@code --store sqlite}) or {@code --db-url URL [--db-user U] [--db-password P]}
 * (PostgreSQL, or {@code jdbc:sqlite:}/{@code jdbc:h2:} as given); {@code --schema-version V}:
 * migrates only up to V (Flyway target) before seeding, for timing a server's migration from V (the
 * seeded columns exist from V9 on); {@code --count N} (1000000); {@code --services A,B,…}; {@code
 * --ttl-days D} (35, expiration = desired + D days: keep it within the services' {@code _ttl} so the
 * housekeeper purges nothing while measuring); {@code --paths-dir DIR}: writes {@code ids.txt} and
 * {@code numbers.txt}, request paths of a random sample (at most {@code --sample} = 100000) for
 * the wrk scripts; {@code --seed S}; {@code --number-offset K} (customer numbers start at index K); {@code
 * --threads T} (2): writers, each with its own connection and share of the callbacks (1 on SQLite,
 * which has one writer).
 */
public final class SeedCallbacks {
  static final List<String> DEFAULT_SERVICES = List.of("Sales", "Support", "Billing", "Claims", "Retention");
  private static final String[] AREAS = {"212", "312", "415", "646", "718"};
  private static final String[] REASONS = {
    "AGENT_CONNECTED", "AGENT_CONNECTED", "AGENT_CONNECTED", "AGENT_CONNECTED", "AGENT_CONNECTED",
    "CANCELLED", "ANSWERING_MACHINE", "FAIL_CALL_TO_CUSTOMER", "ABANDONED_IN_QUEUE", "FAIL_TIMEOUT_TTL"};
  private static final long DAY = 86_400_000L;
  private static final long SLOT = 300_000L;
  private static final int BATCH = 2_000;

  private final ObjectMapper json = new ObjectMapper();

  /** One generated callback: its final record and every state change leading there. */
  record Seeded(Callback callback, List<StateChange> history) {}

  public static void main(String[] args) throws Exception {
    Map<String, String> options = options(args);
    String url = url(options);
    if (url == null) {
      System.err.println("usage: SeedCallbacks --data-dir DIR [--store h2|sqlite] | --db-url URL [--count N]"
          + " [--services A,B] [--due-in SECONDS] [--paths-dir DIR] [--sample N] [--ttl-days D] [--seed S]"
          + " [--number-offset K] [--threads T] [--schema-version V]");
      System.exit(2);
    }
    int count = Integer.parseInt(options.getOrDefault("--count", "1000000"));
    List<String> services = options.containsKey("--services")
        ? List.of(options.get("--services").split(",")) : DEFAULT_SERVICES;
    long seed = Long.parseLong(options.getOrDefault("--seed", "1"));
    long numberOffset = Long.parseLong(options.getOrDefault("--number-offset", "0"));
    int ttlDays = Integer.parseInt(options.getOrDefault("--ttl-days", "35"));
    Instant now = Instant.now();
    SeedCallbacks seeder = new SeedCallbacks();
    Generator generator = options.containsKey("--due-in")
        ? seeder.dueAt(services.get(0), now, now.plusSeconds(Long.parseLong(options.get("--due-in"))), numberOffset)
        : seeder.spread(services, now, ttlDays, numberOffset, seed);
    Path paths = options.containsKey("--paths-dir") ? Path.of(options.get("--paths-dir")) : null;
    int sample = Integer.parseInt(options.getOrDefault("--sample", "100000"));
    if (url.startsWith("jdbc:postgresql:") && !url.contains("reWriteBatchedInserts")) {
      url += (url.contains("?") ? "&" : "?") + "reWriteBatchedInserts=true";
    }
    long start = System.nanoTime();
    Dialect dialect = Database.dialectOf(url);
    // SQLite has one writer (the store's one writer connection): more threads would only queue for it
    int threads = dialect == Dialect.SQLITE ? 1 : Integer.parseInt(options.getOrDefault("--threads", "2"));
    try (SeedTarget database = SeedTarget.open(url, options.get("--db-user"), options.get("--db-password"), threads,
            options.get("--schema-version"));
        Sample written = new Sample(paths, count, sample, seed)) {
      AtomicInteger done = new AtomicInteger();
      ExecutorService writers = Executors.newFixedThreadPool(threads);
      List<Future<Map<String, TreeMap<Long, Integer>>>> parts = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int first = t;
        parts.add(writers.submit(() -> {
          try (Connection connection = database.dataSource().getConnection()) {
            return seeder.write(connection, i -> generator.next(first + i * threads),
                (count - first + threads - 1) / threads, written, batch -> {
                  int total = done.addAndGet(batch);
                  if (total / 100_000 != (total - batch) / 100_000) {
                    System.out.printf("seeded %,d (%.0f s)%n", total, (System.nanoTime() - start) / 1e9);
                  }
                });
          }
        }));
      }
      writers.shutdown();
      Map<String, TreeMap<Long, Integer>> bookings = new LinkedHashMap<>();
      for (Future<Map<String, TreeMap<Long, Integer>>> part : parts) {
        part.get().forEach((service, slots) -> slots.forEach(
            (slot, taken) -> bookings.computeIfAbsent(service, s -> new TreeMap<>()).merge(slot, taken, Integer::sum)));
      }
      try (Connection connection = database.dataSource().getConnection()) {
        writeBookings(connection, dialect, bookings);
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf("RESULT seeded=%d seconds=%.1f rate=%.0f%n", count, seconds, count / seconds);
  }

  /**
   * The JDBC URL to seed: {@code --db-url} as given, or the embedded store of {@code --data-dir}
   * ({@code --store h2}, the default, or {@code sqlite}: the files a server opens with {@code
   * --db-url jdbc:h2:file:DIR/opencallback…} or, by default, {@code --data-dir DIR}). H2 without the
   * server's {@code WRITE_DELAY=0} (the seed need not reach the disk commit by commit), with a larger
   * cache and no retention of old file chunks (the file would grow several times over).
   */
  static String url(Map<String, String> options) throws IOException {
    if (!options.containsKey("--data-dir")) {
      return options.get("--db-url");
    }
    Path dir = Path.of(options.get("--data-dir"));
    Files.createDirectories(dir);
    return switch (options.getOrDefault("--store", "h2")) {
      case "h2" -> Database.embeddedUrl(dir, Dialect.H2)
          .replace(";WRITE_DELAY=0", System.getProperty("seed.h2", ";CACHE_SIZE=262144;RETENTION_TIME=0"));
      case "sqlite" -> Database.embeddedUrl(dir, Dialect.SQLITE);
      default -> throw new IllegalArgumentException("--store is h2 or sqlite");
    };
  }

  /** Generates the i-th callback. */
  interface Generator {
    Seeded next(int i);
  }

  /** The realistic spread described in the class comment. */
  Generator spread(List<String> services, Instant now, int ttlDays, long numberOffset, long seed) {
    long from = now.toEpochMilli() - 10 * DAY;
    long span = 30 * DAY;
    return i -> {
      SplittableRandom random = new SplittableRandom(seed * 1_000_003L + i);
      String service = services.get(i % services.size());
      Instant desired = Instant.ofEpochMilli(from + random.nextLong(span) / 1000 * 1000);
      Map<String, Object> properties = properties(i, service, random);
      String number = number(numberOffset + i);
      Instant expiration = desired.plus(Duration.ofDays(ttlDays));
      if (desired.isAfter(now)) {
        Instant created = now.minusSeconds(random.nextLong(7 * 86_400));
        Callback callback = new Callback(id(i, random), service, CallbackState.SCHEDULED, null, number, desired,
            created, expiration, desired, properties, Map.of(), false, 1, created);
        return new Seeded(callback, List.of(new StateChange(CallbackState.SCHEDULED, null, created, "api")));
      }
      boolean immediate = random.nextInt(10) == 0;
      Instant created = immediate ? desired : desired.minusSeconds(random.nextLong(7 * 86_400));
      String reason = REASONS[random.nextInt(REASONS.length)];
      List<StateChange> history = new ArrayList<>();
      history.add(new StateChange(immediate ? CallbackState.QUEUED : CallbackState.SCHEDULED, null, created, "api"));
      if (!immediate) {
        history.add(new StateChange(CallbackState.QUEUED, null, desired, "dispatch"));
      }
      history.add(new StateChange(CallbackState.ROUTING, null, desired.plusSeconds(30), "engine"));
      Instant completed = desired.plusSeconds(60 + random.nextInt(600));
      history.add(new StateChange(CallbackState.COMPLETED, reason, completed, "engine"));
      Callback callback = new Callback(id(i, random), service, CallbackState.COMPLETED, reason, number, desired,
          created, expiration, null, properties, Map.of(), immediate, history.size(), completed);
      return new Seeded(callback, history);
    };
  }

  /** Every callback SCHEDULED in {@code service}, due (and desired) at {@code due}. */
  Generator dueAt(String service, Instant now, Instant due, long numberOffset) {
    return i -> {
      Callback callback = new Callback(id(i, new SplittableRandom(i)), service, CallbackState.SCHEDULED, null,
          number(numberOffset + i),
          due, now, due.plus(Duration.ofDays(1)), due, Map.of("seq", i), Map.of(), false, 1, now);
      return new Seeded(callback, List.of(new StateChange(CallbackState.SCHEDULED, null, now, "api")));
    };
  }

  /**
   * The i-th id: the server's form ({@code <node>-<uuid>}, a version-4 UUID layout) but ascending
   * with i, so that the inserts append to the primary-key indexes of {@code callback}, {@code
   * callback_key} and {@code callback_history} instead of rewriting pages all over them (several
   * times faster on H2). Lookups by a random id cost the same either way.
   */
  static String id(long i, SplittableRandom random) {
    long high = (i << 20) | 0x4000L | random.nextInt(0x1000);
    long low = (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
    return "1-" + new UUID(high, low);
  }

  private static Map<String, Object> properties(int i, String service, SplittableRandom random) {
    Map<String, Object> properties = new LinkedHashMap<>();
    properties.put("_urs_virtual_queue", "VQ_" + service);
    properties.put("first_name", "Customer" + i);
    properties.put("account_number", String.format("AC%09d", random.nextInt(1_000_000_000)));
    return properties;
  }

  /** The i-th customer number: unique for i below 35,000,000, a valid NANP number in E.164 form. */
  static String number(long i) {
    long line = i % 10_000;
    long exchange = 200 + (i / 10_000) % 700;
    String area = AREAS[(int) ((i / 7_000_000) % AREAS.length)];
    return String.format("+1%s%03d%04d", area, exchange, line);
  }

  /** Writes callbacks, their keys and history and their booking counts, in one thread. */
  void write(Connection connection, Dialect dialect, Generator generator, int count, Sample sample,
      IntConsumer progress) throws SQLException {
    writeBookings(connection, dialect, write(connection, generator, count, sample, progress));
  }

  /**
   * Writes {@code count} generated callbacks with their keys and history in batches, committing each
   * batch (progress gets the batch's size); answers the places they took, per service and slot.
   */
  Map<String, TreeMap<Long, Integer>> write(Connection connection, Generator generator, int count, Sample sample,
      IntConsumer progress) throws SQLException {
    connection.setAutoCommit(false);
    Map<String, TreeMap<Long, Integer>> bookings = new LinkedHashMap<>();
    try (PreparedStatement callbacks = connection.prepareStatement(
            "INSERT INTO callback (id, service, state, reason, customer_number, desired_time, time_scheduled,"
                + " expiration_time, due_time, properties, immediate, version, updated_at, owner_node)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        PreparedStatement keys = connection.prepareStatement(
            "INSERT INTO callback_key (callback_id, service, key_name, key_value) VALUES (?, ?, ?, ?)");
        PreparedStatement history = connection.prepareStatement(
            "INSERT INTO callback_history (callback_id, seq, state, reason, changed_at, source)"
                + " VALUES (?, ?, ?, ?, ?, ?)")) {
      for (int i = 0; i < count; i++) {
        Seeded seeded = generator.next(i);
        Callback c = seeded.callback();
        callbacks.setString(1, c.id());
        callbacks.setString(2, c.service());
        callbacks.setString(3, c.state().name());
        callbacks.setString(4, c.reason());
        callbacks.setString(5, c.customerNumber());
        callbacks.setLong(6, c.desiredTime().toEpochMilli());
        callbacks.setLong(7, c.timeScheduled().toEpochMilli());
        callbacks.setLong(8, c.expirationTime().toEpochMilli());
        if (c.dueTime() == null) {
          callbacks.setNull(9, Types.BIGINT);
        } else {
          callbacks.setLong(9, c.dueTime().toEpochMilli());
        }
        callbacks.setString(10, write(c.properties()));
        callbacks.setBoolean(11, c.immediate());
        callbacks.setInt(12, c.version());
        callbacks.setLong(13, c.updatedAt().toEpochMilli());
        callbacks.setNull(14, Types.VARCHAR); // no node holds a SCHEDULED or COMPLETED callback
        callbacks.addBatch();
        // as CallbackRows.insertKeys: every scalar property, then the customer number
        Map<String, String> keyRows = new LinkedHashMap<>();
        c.properties().forEach((name, value) -> {
          if (value != null && !(value instanceof Map) && !(value instanceof List)) {
            keyRows.put(name, String.valueOf(value));
          }
        });
        if (c.customerNumber() != null) {
          keyRows.put("_customer_number", c.customerNumber());
        }
        for (Map.Entry<String, String> key : keyRows.entrySet()) {
          keys.setString(1, c.id());
          keys.setString(2, c.service());
          keys.setString(3, key.getKey());
          keys.setString(4, key.getValue());
          keys.addBatch();
        }
        // history: the version is the sequence number, the first change is version 1
        int seq = c.version() - seeded.history().size() + 1;
        for (StateChange change : seeded.history()) {
          history.setString(1, c.id());
          history.setInt(2, seq++);
          history.setString(3, change.state().name());
          history.setString(4, change.reason());
          history.setLong(5, change.at().toEpochMilli());
          history.setString(6, change.source());
          history.addBatch();
        }
        if (!c.immediate()) {
          // booked when created; a completed one gave its place back, leaving the slot's row (at 0)
          long slot = Math.floorDiv(c.desiredTime().toEpochMilli(), SLOT) * SLOT;
          bookings.computeIfAbsent(c.service(), s -> new TreeMap<>()).merge(slot, c.holdsPlace() ? 1 : 0, Integer::sum);
        }
        sample.offer(c);
        if ((i + 1) % BATCH == 0 || i + 1 == count) {
          callbacks.executeBatch();
          keys.executeBatch();
          history.executeBatch();
          connection.commit();
          progress.accept(i % BATCH + 1);
        }
      }
    }
    return bookings;
  }

  /** Adds the places taken to {@code booking_count}, as the store's increments would have. */
  static void writeBookings(Connection connection, Dialect dialect, Map<String, TreeMap<Long, Integer>> bookings)
      throws SQLException {
    connection.setAutoCommit(false);
    // PostgreSQL and SQLite (3.24+) share the UPSERT; H2 has MERGE (as store.Dialect.incrementBooking)
    String upsert = dialect != Dialect.H2
        ? "INSERT INTO booking_count (service, slot_start, taken) VALUES (?, ?, ?)"
            + " ON CONFLICT (service, slot_start) DO UPDATE SET taken = booking_count.taken + EXCLUDED.taken"
        : "MERGE INTO booking_count t USING (VALUES (CAST(? AS VARCHAR(255)), CAST(? AS BIGINT), CAST(? AS INTEGER)))"
            + " s(service, slot_start, taken) ON t.service = s.service AND t.slot_start = s.slot_start"
            + " WHEN MATCHED THEN UPDATE SET taken = t.taken + s.taken"
            + " WHEN NOT MATCHED THEN INSERT (service, slot_start, taken) VALUES (s.service, s.slot_start, s.taken)";
    try (PreparedStatement booking = connection.prepareStatement(upsert)) {
      for (Map.Entry<String, TreeMap<Long, Integer>> service : bookings.entrySet()) {
        for (Map.Entry<Long, Integer> slot : service.getValue().entrySet()) {
          booking.setString(1, service.getKey());
          booking.setLong(2, slot.getKey());
          booking.setInt(3, slot.getValue());
          booking.addBatch();
        }
      }
      booking.executeBatch();
    }
    connection.commit();
  }

  private String write(Map<String, Object> properties) {
    try {
      return json.writeValueAsString(properties);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static Map<String, String> options(String[] args) {
    Map<String, String> options = new LinkedHashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      options.put(args[i], args[i + 1]);
    }
    return options;
  }

  /**
   * A uniform random sample of the written callbacks (reservoir sampling), written at close as
   * request paths for wrk: {@code ids.txt} ({@code /genesys/1/service/callback/SVC/ID}) and {@code
   * numbers.txt} ({@code /genesys/1/service/callback/SVC?_customer_number=%2B1…}).
   */
  static final class Sample implements AutoCloseable {
    private final Path dir;
    private final int size;
    private final SplittableRandom random;
    private final String[] ids;
    private final String[] numbers;
    private int seen;

    Sample(Path dir, int count, int size, long seed) {
      this.dir = dir;
      this.size = dir == null ? 0 : Math.min(size, count);
      this.random = new SplittableRandom(seed);
      this.ids = new String[this.size];
      this.numbers = new String[this.size];
    }

    synchronized void offer(Callback callback) {
      if (size == 0) {
        return;
      }
      int slot = seen < size ? seen : random.nextInt(seen + 1);
      seen++;
      if (slot < size) {
        String base = "/genesys/1/service/callback/" + callback.service();
        ids[slot] = base + "/" + callback.id();
        numbers[slot] = base + "?_customer_number=" + callback.customerNumber().replace("+", "%2B");
      }
    }

    @Override
    public void close() throws IOException {
      if (dir == null) {
        return;
      }
      Files.createDirectories(dir);
      int n = Math.min(seen, size);
      try (BufferedWriter idOut = Files.newBufferedWriter(dir.resolve("ids.txt"));
          BufferedWriter numberOut = Files.newBufferedWriter(dir.resolve("numbers.txt"))) {
        for (int i = 0; i < n; i++) {
          idOut.write(ids[i]);
          idOut.newLine();
          numberOut.write(numbers[i]);
          numberOut.newLine();
        }
      }
    }
  }
}
