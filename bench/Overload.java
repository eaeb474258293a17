// Constant-rate (open-loop) create load with a /health/live probe every 100 ms, for bench/overload.sh.
// A request is sent on schedule whatever the answers before it (wrk2 style); at most MAX_IN_FLIGHT are
// outstanding (beyond that the send is counted as "client-limited", not queued). Every answer that is
// not a 200 must carry the GMS error body {code, phrase, message, exception, properties}.
// Run with the server jar on the class path (Jackson):
//   java -cp target/opencallback.jar bench/Overload.java BASE_URL SERVICE RATE SECONDS MAX_IN_FLIGHT OFFSET
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

public class Overload {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String[] AREAS = {"617", "508", "781", "857", "978"};

  public static void main(String[] args) throws Exception {
    String base = args[0];
    String service = args[1];
    double rate = Double.parseDouble(args[2]);
    int seconds = Integer.parseInt(args[3]);
    int maxInFlight = Integer.parseInt(args[4]);
    long offset = Long.parseLong(args[5]);
    URI create = URI.create(base + "/genesys/1/service/callback/" + service);
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).executor(Executors.newFixedThreadPool(4)).build();
    Map<String, AtomicLong> outcomes = new ConcurrentHashMap<>();
    List<Long> okLatencies = Collections.synchronizedList(new ArrayList<>());
    List<Long> shedLatencies = Collections.synchronizedList(new ArrayList<>());
    List<String> badBodies = Collections.synchronizedList(new ArrayList<>());
    Semaphore inFlight = new Semaphore(maxInFlight);
    long firstSlot = (Instant.now().getEpochSecond() / 3600 + 2) * 3600;

    // the health probe: its own client and connection, every 100 ms
    AtomicBoolean probing = new AtomicBoolean(true);
    List<Long> health = Collections.synchronizedList(new ArrayList<>());
    AtomicLong healthFailed = new AtomicLong();
    Thread probe = new Thread(() -> {
      HttpClient probeClient = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5)).build();
      HttpRequest live = HttpRequest.newBuilder(URI.create(base + "/health/live")).timeout(Duration.ofSeconds(5)).build();
      long next = System.nanoTime();
      while (probing.get()) {
        long start = System.nanoTime();
        try {
          HttpResponse<String> response = probeClient.send(live, HttpResponse.BodyHandlers.ofString());
          if (response.statusCode() == 200) {
            health.add(System.nanoTime() - start);
          } else {
            healthFailed.incrementAndGet();
          }
        } catch (Exception e) {
          healthFailed.incrementAndGet();
        }
        next += TimeUnit.MILLISECONDS.toNanos(100);
        LockSupport.parkNanos(Math.max(0, next - System.nanoTime()));
      }
    }, "health-probe");
    probe.start();

    long total = (long) (rate * seconds);
    long start = System.nanoTime();
    for (long k = 0; k < total; k++) {
      long due = start + (long) (k * 1e9 / rate);
      long wait = due - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
      if (!inFlight.tryAcquire()) {
        count(outcomes, "client_limited");
        continue;
      }
      long i = offset + k;
      String number = String.format("+1%s%03d%04d", AREAS[(int) (i / 7_000_000 % AREAS.length)], 200 + i / 10_000 % 700, i % 10_000);
      String desired = Instant.ofEpochSecond(firstSlot + (i % 8000) * 300).truncatedTo(ChronoUnit.SECONDS) + "";
      String body = "{\"_customer_number\":\"" + number + "\",\"_desired_time\":\"" + desired.replace("Z", ".000Z") + "\"}";
      HttpRequest request = HttpRequest.newBuilder(create).timeout(Duration.ofSeconds(10))
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
      long sent = System.nanoTime();
      client.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((response, failure) -> {
        inFlight.release();
        long latency = System.nanoTime() - sent;
        if (failure != null) {
          Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
          count(outcomes, cause instanceof HttpTimeoutException ? "timeout"
              : cause instanceof ConnectException ? "connect_error" : "io_error");
          return;
        }
        int status = response.statusCode();
        count(outcomes, "status_" + status);
        if (status == 200) {
          okLatencies.add(latency);
          return;
        }
        if (status == 503 || status == 429) {
          shedLatencies.add(latency);
        }
        if (!gmsBody(response.body())) {
          count(outcomes, "bad_body");
          if (badBodies.size() < 5) {
            badBodies.add(status + " " + response.body());
          }
        }
      });
    }
    double sendSeconds = (System.nanoTime() - start) / 1e9;
    // what is still outstanding ends within the request time-out
    inFlight.tryAcquire(maxInFlight, 15, TimeUnit.SECONDS);
    probing.set(false);
    probe.join();

    // recovery: once the load stops, how soon does a create succeed?
    long stopped = System.nanoTime();
    double recovery = -1;
    for (int attempt = 0; attempt < 150 && recovery < 0; attempt++) {
      long i = offset + total + attempt;
      String body = "{\"_customer_number\":\"+1978" + String.format("%03d%04d", 200 + i / 10_000 % 700, i % 10_000)
          + "\",\"_desired_time\":\"" + Instant.ofEpochSecond(firstSlot + 600).truncatedTo(ChronoUnit.SECONDS)
          .toString().replace("Z", ".000Z") + "\"}";
      try {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(create).timeout(Duration.ofSeconds(5))
            .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
            HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200) {
          recovery = (System.nanoTime() - stopped) / 1e9;
        }
      } catch (Exception e) {
        // not yet
      }
      if (recovery < 0) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
      }
    }

    Map<String, Long> sorted = new TreeMap<>();
    outcomes.forEach((name, value) -> sorted.put(name, value.get()));
    long ok = sorted.getOrDefault("status_200", 0L);
    long shed = sorted.getOrDefault("status_503", 0L) + sorted.getOrDefault("status_429", 0L);
    long other5xx = sorted.entrySet().stream()
        .filter(e -> e.getKey().startsWith("status_5") && !e.getKey().equals("status_503")).mapToLong(Map.Entry::getValue).sum();
    System.out.println("outcomes: " + sorted);
    badBodies.forEach(b -> System.out.println("  not a GMS error body: " + b));
    System.out.printf("sent for %.1f s at %.0f/s: %d accepted (%.0f/s), %d shed (503/429)%n",
        sendSeconds, rate, ok, ok / sendSeconds, shed);
    System.out.printf("create latency ms, 200: p50 %s p99 %s max %s; shed: p50 %s p99 %s%n",
        pct(okLatencies, 50), pct(okLatencies, 99), pct(okLatencies, 100), pct(shedLatencies, 50), pct(shedLatencies, 99));
    System.out.printf("health/live: %d probes, failed %d, ms p50 %s p99 %s max %s%n",
        health.size(), healthFailed.get(), pct(health, 50), pct(health, 99), pct(health, 100));
    System.out.printf("recovery: first create accepted %.2f s after the load stopped%n", recovery);
    System.out.printf("RESULT target_rate=%.0f sent=%d ok=%d ok_rate=%.0f shed=%d other_5xx=%d bad_body=%d timeouts=%d"
        + " io_errors=%d connect_errors=%d client_limited=%d ok_p99_ms=%s health_p50_ms=%s health_p99_ms=%s"
        + " health_max_ms=%s health_failed=%d recovery_s=%.2f%n",
        rate, total, ok, ok / sendSeconds, shed, other5xx, sorted.getOrDefault("bad_body", 0L),
        sorted.getOrDefault("timeout", 0L), sorted.getOrDefault("io_error", 0L), sorted.getOrDefault("connect_error", 0L),
        sorted.getOrDefault("client_limited", 0L), pct(okLatencies, 99), pct(health, 50), pct(health, 99),
        pct(health, 100), healthFailed.get(), recovery);
    System.exit(0);
  }

  private static void count(Map<String, AtomicLong> outcomes, String name) {
    outcomes.computeIfAbsent(name, key -> new AtomicLong()).incrementAndGet();
  }

  private static boolean gmsBody(String body) {
    try {
      JsonNode node = JSON.readTree(body);
      return node.has("code") && node.has("phrase") && node.has("message") && node.has("exception")
          && node.has("properties");
    } catch (Exception e) {
      return false;
    }
  }

  /** The percentile in milliseconds, "-" when there is nothing. */
  private static String pct(List<Long> nanos, int percentile) {
    long[] values;
    synchronized (nanos) {
      values = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
    }
    if (values.length == 0) {
      return "-";
    }
    int index = Math.min(values.length - 1, (int) Math.ceil(values.length * percentile / 100.0) - 1);
    return String.format("%.1f", values[Math.max(0, index)] / 1e6);
  }
}
