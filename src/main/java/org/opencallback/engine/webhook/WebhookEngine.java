package org.opencallback.engine.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.opencallback.engine.CallbackOptions;
import org.opencallback.config.Configuration;
import org.opencallback.config.ServiceConfig;
import org.opencallback.engine.CallbackReporter;
import org.opencallback.engine.EngineException;
import org.opencallback.engine.ExecutionEngine;
import org.opencallback.engine.QueuePosition;
import org.opencallback.engine.StatisticsEwt;
import org.opencallback.outbound.OutboundHttp;
import org.opencallback.outbound.OutboundRefused;
import org.opencallback.domain.Callback;
import org.opencallback.domain.ServerState;
import org.opencallback.domain.Times;

/**
 * Hands due callbacks to any system over HTTP ({@code _execution: webhook}): a JSON {@code POST} to
 * {@code _webhook_url}, signed with {@code _webhook_secret} (header {@value #SIGNATURE_HEADER}); a
 * 2xx answer means the receiver took the callback, which then reports progress with the usual
 * {@code PUT} on {@code report_url}. A cancel is sent to the same URL as event {@value #CANCELLED}.
 * docs/engine.md shows the wire format.
 *
 * <p>Calls block the calling thread for at most {@code _webhook_timeout}; the dispatcher calls
 * {@link #submit} from this engine's own pool. Thread-safe, stateless.
 */
public final class WebhookEngine implements ExecutionEngine {
  public static final String SIGNATURE_HEADER = "X-OpenCallback-Signature";
  public static final String EVENT_HEADER = "X-OpenCallback-Event";
  /**
   * The callback's {@code _id}, the same on every attempt: a hand-off whose answer was lost (time-out)
   * is sent again, and the receiver treats a key it already took as taken (docs/engine.md).
   */
  public static final String IDEMPOTENCY_HEADER = "Idempotency-Key";
  public static final String DUE = "callback.due";
  public static final String CANCELLED = "callback.cancelled";
  /** Property stored once the receiver took the callback. */
  public static final String DELIVERED = ServerState.WEBHOOK_DELIVERED_AT;
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
  /** Options never sent to the receiver. */
  static final java.util.Set<String> SECRET_OPTIONS = java.util.Set.of("username", "password", "_webhook_secret");

  private final Supplier<Configuration> config;
  private final CallbackReporter reporter;
  private final Clock clock;
  private final Supplier<String> publicUrl;
  private final ObjectMapper json;
  private final HttpClient client;
  private final StatisticsEwt statistics;
  private final OutboundHttp outbound;

  /**
   * @param publicUrl this server's base URL as others reach it ({@code [server] public-url})
   * @param statistics where the EWT of webhook services comes from ({@code _ewt_url})
   * @param outbound the checked client for a {@code _webhook_url} a request filled ({@code $token$})
   */
  public WebhookEngine(
      Supplier<Configuration> config, CallbackReporter reporter, Clock clock, Supplier<String> publicUrl, ObjectMapper json,
      StatisticsEwt statistics, OutboundHttp outbound) {
    this.statistics = statistics;
    this.outbound = outbound;
    this.config = config;
    this.reporter = reporter;
    this.clock = clock;
    this.publicUrl = publicUrl;
    this.json = json;
    this.client = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
  }

  @Override
  public void submit(Callback callback, ServiceConfig service) {
    send(service, callback, DUE);
    reporter.report(callback.id(), null, null, Map.of(DELIVERED, Times.format(clock.instant())));
  }

  @Override
  public void cancel(Callback callback) {
    if (!handedOver(callback)) {
      return; // the receiver never had it
    }
    ServiceConfig service = CallbackOptions.of(config.get(), callback)
        .orElseThrow(() -> new EngineException("service " + callback.service() + " is not configured"));
    send(service, callback, CANCELLED);
  }

  /** The receiver owns a callback it took; after a restart there is nothing to give back. */
  @Override
  public void recover(Callback callback, ServiceConfig service) {}

  @Override
  public boolean handedOver(Callback callback) {
    return callback.serverState().containsKey(DELIVERED);
  }

  @Override
  public Optional<QueuePosition> position(String callbackId) {
    return Optional.empty();
  }

  /** From the service's statistics URL ({@code _ewt_url}); zero without one. */
  @Override
  public Duration ewt(ServiceConfig service) {
    return statistics.ewt(service);
  }

  @Override
  public void close() {}

  private void send(ServiceConfig service, Callback callback, String event) {
    String url = service.options().get("_webhook_url").map(String::trim).filter(u -> !u.isEmpty())
        .orElseThrow(() -> new EngineException("service " + service.name() + " has no _webhook_url"));
    byte[] body;
    try {
      body = json.writeValueAsBytes(payload(callback, service, event));
    } catch (JsonProcessingException e) {
      throw new EngineException("callback " + callback.id() + " cannot be written as JSON", e);
    }
    Duration timeout = service.options().duration("_webhook_timeout", DEFAULT_TIMEOUT);
    HttpRequest.Builder request;
    try {
      request = HttpRequest.newBuilder(URI.create(url));
    } catch (IllegalArgumentException e) {
      throw new EngineException("_webhook_url of service " + service.name() + " is not a URL: " + url, e);
    }
    request.timeout(timeout.isZero() ? DEFAULT_TIMEOUT : timeout)
        .header("Content-Type", "application/json")
        .header(EVENT_HEADER, event)
        .header(IDEMPOTENCY_HEADER, callback.id() + (DUE.equals(event) ? "" : ":" + event))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    service.options().get("_webhook_secret").filter(s -> !s.isEmpty())
        .ifPresent(secret -> request.header(SIGNATURE_HEADER, Signatures.sign(secret, body)));
    if (callback.resolvedOptions().containsKey("_webhook_url")) {
      // filled from the request: allow-list and every resolved address (docs/security.md, "Outbound URLs")
      sendChecked(url, request.build(), body, timeout.isZero() ? DEFAULT_TIMEOUT : timeout, callback, event);
      return;
    }
    HttpResponse<Void> response;
    try {
      response = client.send(request.build(), HttpResponse.BodyHandlers.discarding());
    } catch (IOException e) {
      throw new EngineException("webhook " + url + " for callback " + callback.id() + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EngineException("webhook " + url + " for callback " + callback.id() + " interrupted", e);
    }
    if (response.statusCode() / 100 != 2) {
      throw new EngineException(
          "webhook " + url + " answered " + response.statusCode() + " to " + event + " of callback " + callback.id());
    }
  }

  private void sendChecked(String url, HttpRequest built, byte[] body, Duration timeout, Callback callback, String event) {
    Map<String, String> headers = new LinkedHashMap<>();
    built.headers().map().forEach((name, values) -> {
      if (!name.equalsIgnoreCase("Content-Type")) {
        headers.put(name, values.get(0));
      }
    });
    OutboundHttp.Answer answer;
    try {
      answer = outbound.postAndWait(url, "application/json", body, timeout, headers);
    } catch (OutboundRefused refused) {
      throw new EngineException("webhook URL refused: " + refused.getMessage(), refused);
    } catch (java.io.UncheckedIOException e) {
      throw new EngineException("webhook " + url + " for callback " + callback.id() + " failed: " + e.getCause().getMessage(), e);
    }
    if (answer.status() / 100 != 2) {
      throw new EngineException(
          "webhook " + url + " answered " + answer.status() + " to " + event + " of callback " + callback.id());
    }
  }

  /**
   * The JSON sent: the callback's fields, every property, its user data, the service's own options as
   * they apply to this callback ({@code options}: tokens filled, allowed overrides taken, credentials
   * left out) and where to report.
   */
  Map<String, Object> payload(Callback callback, ServiceConfig service, String event) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("event", event);
    body.put("_id", callback.id());
    body.put("_service_name", callback.service());
    body.put("_customer_number", callback.customerNumber());
    body.put("_desired_time", Times.format(callback.desiredTime()));
    body.put("_expiration_time", Times.format(callback.expirationTime()));
    body.put("_callback_state", callback.state().name());
    body.put("report_url", reportUrl(callback));
    body.put("properties", callback.properties());
    Map<String, Object> userData = new LinkedHashMap<>();
    callback.properties().forEach((key, value) -> {
      if (!key.startsWith("_")) {
        userData.put(key, value);
      }
    });
    body.put("user_data", userData);
    Map<String, String> options = new LinkedHashMap<>(service.options().own());
    options.keySet().removeAll(SECRET_OPTIONS);
    body.put("options", options);
    return body;
  }

  private String reportUrl(Callback callback) {
    return stripSlash(publicUrl.get()) + "/genesys/1/service/callback/" + callback.service() + "/" + callback.id();
  }

  static String stripSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }
}
