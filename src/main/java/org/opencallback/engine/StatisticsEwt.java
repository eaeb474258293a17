package org.opencallback.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.opencallback.config.Configuration;
import org.opencallback.config.ServiceConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The expected wait time of services that an external engine (ORS, a webhook receiver) executes, read
 * from a statistics URL the operator provides ({@code _ewt_url}, service or {@code callback} section):
 * {@code GET {_ewt_url}?service={name}&stat={_request_queue_time_stat}} answering {@code {"ewt":
 * seconds}}. This is what GMS asks Stat Server for; OpenCallback cannot see an external engine's
 * queue, so the operator points it at whatever knows it (a Stat Server bridge, a WFM feed, the
 * receiver itself). docs/decisions.md says why.
 *
 * <p>The URL is read from the configured service, never from a request's filled tokens, so no
 * client chooses what the server calls. A value is kept for {@link #FRESH}; a stale one is served
 * while one background refresh runs, so a slow or dead statistics source never holds a request for
 * longer than the first fetch ({@link #TIMEOUT}). A failure counts as unknown: EWT 0, logged once per
 * failure streak. Thread-safe.
 */
public final class StatisticsEwt {
  private static final Logger LOG = LoggerFactory.getLogger(StatisticsEwt.class);
  /** How long a fetched value is used before it is asked again. */
  static final Duration FRESH = Duration.ofSeconds(10);
  static final Duration TIMEOUT = Duration.ofSeconds(2);
  /** A statistic beyond a day is taken as a day. */
  private static final Duration MAX_EWT = Duration.ofDays(1);

  private final Supplier<Configuration> config;
  private final Clock clock;
  private final ObjectMapper json;
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
  /** One entry per configured service that asked; bounded by the services in the configuration. */
  private final Map<String, Reading> readings = new ConcurrentHashMap<>();
  /** One refresh at a time; at most 64 waiting (one per stale service), the rest skipped. */
  private final ExecutorService refresher = new ThreadPoolExecutor(
      1, 1, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(64), runnable -> {
        Thread thread = new Thread(runnable, "ewt-statistics");
        thread.setDaemon(true);
        return thread;
      });

  private record Reading(Duration ewt, Instant at, boolean failed) {}

  public StatisticsEwt(Supplier<Configuration> config, Clock clock, ObjectMapper json) {
    this.config = config;
    this.clock = clock;
    this.json = json;
    ((ThreadPoolExecutor) refresher).allowCoreThreadTimeOut(true);
  }

  /** The service's EWT from its statistics URL; zero when it has none or the source fails. */
  public Duration ewt(ServiceConfig service) {
    Optional<ServiceConfig> configured = config.get().service(service.name());
    Optional<String> url = configured.flatMap(s -> s.options().get("_ewt_url")).map(String::trim).filter(u -> !u.isEmpty());
    if (url.isEmpty()) {
      readings.remove(service.name());
      return Duration.ZERO;
    }
    String stat = configured.get().options().get("_request_queue_time_stat").orElse("");
    Reading reading = readings.get(service.name());
    if (reading == null) {
      return fetch(service.name(), url.get(), stat).ewt();
    }
    if (Duration.between(reading.at(), clock.instant()).compareTo(FRESH) >= 0) {
      readings.put(service.name(), new Reading(reading.ewt(), clock.instant(), reading.failed())); // one refresh per period
      try {
        refresher.execute(() -> fetch(service.name(), url.get(), stat));
      } catch (RejectedExecutionException e) {
        LOG.debug("EWT refresh of service {} skipped: too many waiting", service.name());
      }
    }
    return reading.ewt();
  }

  private Reading fetch(String service, String url, String stat) {
    Reading previous = readings.get(service);
    Reading reading;
    try {
      reading = new Reading(ask(url, service, stat), clock.instant(), false);
      if (previous != null && previous.failed()) {
        LOG.info("EWT statistics of service {} answer again", service);
      }
    } catch (RuntimeException e) {
      if (previous == null || !previous.failed()) {
        LOG.warn("EWT statistics of service {} failed, EWT counts as 0 until it answers: {}", service, e.getMessage());
      }
      reading = new Reading(Duration.ZERO, clock.instant(), true);
    }
    readings.put(service, reading);
    return reading;
  }

  private Duration ask(String url, String service, String stat) {
    String query = "service=" + encode(service) + (stat.isBlank() ? "" : "&stat=" + encode(stat.trim()));
    HttpResponse<String> response;
    try {
      HttpRequest request = HttpRequest.newBuilder(URI.create(url + (url.contains("?") ? "&" : "?") + query))
          .timeout(TIMEOUT).header("Accept", "application/json").GET().build();
      response = client.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException | IllegalArgumentException e) {
      throw new EngineException("GET " + url + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EngineException("GET " + url + " interrupted", e);
    }
    if (response.statusCode() / 100 != 2) {
      throw new EngineException("GET " + url + " answered " + response.statusCode());
    }
    try {
      JsonNode ewt = json.readTree(response.body()).get("ewt");
      double seconds = ewt.isNumber() ? ewt.asDouble() : Double.parseDouble(ewt.asText().trim());
      if (!(seconds >= 0)) {
        throw new EngineException("GET " + url + " answered a negative or undefined ewt: " + ewt);
      }
      Duration value = Duration.ofMillis(Math.round(Math.min(seconds, MAX_EWT.toSeconds()) * 1000));
      return value;
    } catch (IOException | RuntimeException e) {
      if (e instanceof EngineException engine) {
        throw engine;
      }
      throw new EngineException("GET " + url + " answered no {\"ewt\": seconds}", e);
    }
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
