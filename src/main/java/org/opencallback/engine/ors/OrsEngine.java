package org.opencallback.engine.ors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.opencallback.config.Configuration;
import org.opencallback.config.ServiceConfig;
import org.opencallback.engine.CallbackReporter;
import org.opencallback.engine.EngineException;
import org.opencallback.engine.ExecutionEngine;
import org.opencallback.engine.QueuePosition;
import org.opencallback.domain.Callback;
import org.opencallback.domain.ServerState;
import org.opencallback.domain.Times;
import org.opencallback.outbound.OutboundHttp;
import org.opencallback.outbound.OutboundRefused;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands due callbacks to Genesys Orchestration Server the way GMS does ({@code _execution: ors}, or
 * {@code _ors} set): {@code POST {ors}/scxml/session/start}, form-encoded, {@code src} = the
 * service's {@code _service}, then the service's own options and the callback's properties as
 * session parameters. The session id is stored as {@code _ors_session_id} (and the ORS that holds it
 * as {@code _ors_url}); cancel and check-queue-position are relayed to the session. ORS reports
 * progress with the usual {@code PUT}. Several {@code _ors} URLs are balanced by {@code
 * _ors_lb_strategy}. docs/engine.md lists every field.
 *
 * <p>The service's own {@code _ors} URLs are the operator's and trusted. A request's {@code _ors}
 * (when {@code _overwritable_options} lists it) is called only through {@link OutboundHttp}, which
 * checks it against {@code [server] outbound-allowed-urls} and the address rules at every connection
 * (docs/security.md, "Outbound URLs"). No error message carries what an ORS answered: it reaches API
 * clients (check-queue-position, cancel), so the answer's body is only logged, at DEBUG.
 *
 * <p>Calls block for at most {@link #TIMEOUT}; the dispatcher calls {@link #submit} from this
 * engine's own pool. Thread-safe.
 */
public final class OrsEngine implements ExecutionEngine {
  private static final Logger LOG = LoggerFactory.getLogger(OrsEngine.class);
  public static final String SESSION_ID = ServerState.ORS_SESSION_ID;
  public static final String ORS_URL = ServerState.ORS_URL;
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  static final Duration TIMEOUT = Duration.ofSeconds(10);
  /** Options never sent to ORS. */
  static final Set<String> SECRET_OPTIONS = Set.of("username", "password", "_webhook_secret");

  private final Supplier<Configuration> config;
  private final CallbackReporter reporter;
  private final Function<String, Optional<Callback>> callbacks;
  private final Supplier<String> publicUrl;
  private final ObjectMapper json;
  private final HttpClient client;
  private final OutboundHttp outbound;
  /** One counter per configured service name: bounded by the configuration. */
  private final Map<String, AtomicInteger> turns = new ConcurrentHashMap<>();

  /** An ORS answer. */
  private record Reply(int status, String body) {}

  /**
   * @param callbacks finds a stored callback by id (for the queue position)
   * @param publicUrl this server's base URL as others reach it ({@code [server] public-url})
   * @param outbound the checked client for request-chosen ORS URLs
   */
  public OrsEngine(
      Supplier<Configuration> config,
      CallbackReporter reporter,
      Function<String, Optional<Callback>> callbacks,
      Supplier<String> publicUrl,
      ObjectMapper json,
      OutboundHttp outbound) {
    this.config = config;
    this.reporter = reporter;
    this.callbacks = callbacks;
    this.publicUrl = publicUrl;
    this.json = json;
    this.client = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
    this.outbound = outbound;
  }

  @Override
  public void submit(Callback callback, ServiceConfig service) {
    List<String> urls = urls(callback, service);
    if (urls.isEmpty()) {
      throw new EngineException("service " + service.name() + " has no _ors URL");
    }
    String form = form(fields(callback, service));
    boolean trusted = !requested(callback, service);
    EngineException last = null;
    for (String url : order(service, urls)) {
      try {
        Reply response = post(url + "/scxml/session/start", form, trusted);
        if (response.status() / 100 != 2) {
          throw answered(url, response, "to session start of callback " + callback.id());
        }
        String session = sessionId(response.body())
            .orElseThrow(() -> answered(url, response, "with no session id"));
        reporter.report(callback.id(), null, null, Map.of(SESSION_ID, session, ORS_URL, url));
        return;
      } catch (EngineException e) {
        last = e;
      }
    }
    throw last;
  }

  @Override
  public void cancel(Callback callback) {
    Object session = callback.serverState().get(SESSION_ID);
    if (session == null) {
      return; // no session to tell
    }
    String url = sessionOrs(callback);
    Reply response = post(url + "/scxml/session/" + encode(session) + "/event/cancel", "", trusted(callback, url));
    if (response.status() / 100 != 2) {
      throw answered(url, response, "to cancel of callback " + callback.id());
    }
  }

  @Override
  public Optional<QueuePosition> position(String callbackId) {
    Optional<Callback> found = callbacks.apply(callbackId);
    if (found.isEmpty() || found.get().serverState().get(SESSION_ID) == null) {
      return Optional.empty();
    }
    Callback callback = found.get();
    String url = sessionOrs(callback);
    Reply response = post(url + "/scxml/session/" + encode(callback.serverState().get(SESSION_ID))
        + "/request/check-queue-position", "", trusted(callback, url));
    if (response.status() == 404) {
      return Optional.empty(); // the session is gone: 500 "… 404 Not Found"
    }
    if (response.status() / 100 != 2) {
      throw answered(url, response, "to check-queue-position");
    }
    try {
      JsonNode body = json.readTree(response.body());
      JsonNode answer = body.has("response") ? body.get("response") : body;
      double ewt = number(answer.get("ewt"));
      int position = (int) number(answer.get("position"));
      String queue = text(answer.get("queue"))
          .or(() -> text(answer.get("vq")))
          .orElse(String.valueOf(callback.properties().getOrDefault("_urs_virtual_queue", "")));
      return Optional.of(new QueuePosition(queue, position, Duration.ofMillis(Math.round(ewt * 1000))));
    } catch (JsonProcessingException | RuntimeException e) {
      throw answered(url, response, "to check-queue-position with no position");
    }
  }

  /** ORS holds the session; after a restart there is nothing to give back. */
  @Override
  public void recover(Callback callback, ServiceConfig service) {}

  @Override
  public boolean handedOver(Callback callback) {
    return callback.serverState().get(SESSION_ID) != null;
  }

  @Override
  public Duration ewt(ServiceConfig service) {
    return Duration.ZERO;
  }

  @Override
  public void close() {}

  // ------------------------------------------------------------------ wire format

  /**
   * The session parameters, in order (a later one wins): {@code src}, the service section's own
   * options (credentials left out), the callback's properties, then its system fields.
   */
  Map<String, String> fields(Callback callback, ServiceConfig service) {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("src", service.options().string("_service", "callback"));
    service.options().own().forEach((key, value) -> {
      if (!SECRET_OPTIONS.contains(key)) {
        fields.put(key, value);
      }
    });
    callback.properties().forEach((key, value) -> {
      if (value != null) {
        fields.put(key, asText(value));
      }
    });
    fields.put("_id", callback.id());
    fields.put("_service_name", callback.service());
    if (callback.customerNumber() != null) {
      fields.put("_customer_number", callback.customerNumber());
    }
    fields.put("_desired_time", Times.format(callback.desiredTime()));
    fields.put("_expiration_time", Times.format(callback.expirationTime()));
    fields.put("_url", stripSlash(publicUrl.get()) + "/genesys/1/service/callback/" + callback.service() + "/" + callback.id());
    fields.put("src", service.options().string("_service", "callback"));
    return fields;
  }

  /** The ORS URLs: the request's {@code _ors} when {@code _overwritable_options} allows it, else the service's. */
  static List<String> urls(Callback callback, ServiceConfig service) {
    String value = requested(callback, service)
        ? String.valueOf(callback.properties().get("_ors"))
        : service.options().get("_ors").orElse("");
    return split(value);
  }

  /** Whether the ORS URLs come from the request (checked) rather than from the service section (trusted). */
  static boolean requested(Callback callback, ServiceConfig service) {
    Object requested = callback.properties().get("_ors");
    return requested != null && !String.valueOf(requested).isBlank()
        && service.options().list("_overwritable_options").contains("_ors");
  }

  private static List<String> split(String value) {
    return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty())
        .map(OrsEngine::stripSlash).collect(Collectors.toList());
  }

  /** A session's ORS is trusted when it is one of its service section's own URLs. */
  private boolean trusted(Callback callback, String url) {
    return config.get().service(callback.service())
        .map(service -> split(service.options().get("_ors").orElse("")).contains(stripSlash(url)))
        .orElse(false);
  }

  /** An answer that is not what was asked for: status only in the message, the body logged at DEBUG. */
  private static EngineException answered(String url, Reply response, String what) {
    LOG.debug("ORS {} answered {} {}: {}", url, response.status(), what, abbreviate(response.body()));
    return new EngineException("ORS " + url + " answered " + response.status() + " " + what);
  }

  /** circular: start at the next URL in turn; linear: always at the first. Either way, fall through the rest. */
  List<String> order(ServiceConfig service, List<String> urls) {
    if (urls.size() < 2) {
      return urls;
    }
    int start = 0;
    if (!service.options().string("_ors_lb_strategy", "circular").trim().equalsIgnoreCase("linear")) {
      start = Math.floorMod(turns.computeIfAbsent(service.name(), s -> new AtomicInteger()).getAndIncrement(), urls.size());
    }
    List<String> ordered = new ArrayList<>(urls.subList(start, urls.size()));
    ordered.addAll(urls.subList(0, start));
    return ordered;
  }

  private String sessionOrs(Callback callback) {
    Object url = callback.serverState().get(ORS_URL);
    if (url != null) {
      return String.valueOf(url);
    }
    return config.get().service(callback.service()).map(service -> urls(callback, service))
        .filter(list -> !list.isEmpty()).map(list -> list.get(0))
        .orElseThrow(() -> new EngineException("no ORS known for callback " + callback.id()));
  }

  private Reply post(String url, String form, boolean trusted) {
    if (!trusted) {
      try {
        OutboundHttp.Answer answer = outbound.postAndWait(
            url, "application/x-www-form-urlencoded", form.getBytes(StandardCharsets.UTF_8), TIMEOUT);
        return new Reply(answer.status(), answer.body());
      } catch (OutboundRefused refused) {
        throw new EngineException("ORS URL refused: " + refused.getMessage(), refused);
      } catch (java.io.UncheckedIOException e) {
        throw new EngineException("ORS request " + url + " failed: " + e.getCause().getMessage(), e);
      }
    }
    try {
      HttpRequest request = HttpRequest.newBuilder(URI.create(url))
          .timeout(TIMEOUT)
          .header("Content-Type", "application/x-www-form-urlencoded")
          .POST(HttpRequest.BodyPublishers.ofString(form))
          .build();
      HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
      return new Reply(response.statusCode(), response.body());
    } catch (IOException | IllegalArgumentException e) {
      throw new EngineException("ORS request " + url + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EngineException("ORS request " + url + " interrupted", e);
    }
  }

  /** {@code {"sessionid":"…"}} as ORS answers, or {@code {"id":…}}. */
  Optional<String> sessionId(String body) {
    try {
      JsonNode node = json.readTree(body);
      if (node == null || !node.isObject()) {
        return Optional.empty();
      }
      return text(node.get("sessionid")).or(() -> text(node.get("id")));
    } catch (JsonProcessingException e) {
      return Optional.empty();
    }
  }

  private String asText(Object value) {
    if (value instanceof Map || value instanceof List) {
      try {
        return json.writeValueAsString(value);
      } catch (JsonProcessingException e) {
        return String.valueOf(value);
      }
    }
    return String.valueOf(value);
  }

  static String form(Map<String, String> fields) {
    return fields.entrySet().stream()
        .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
        .collect(Collectors.joining("&"));
  }

  private static String encode(Object value) {
    return URLEncoder.encode(String.valueOf(value), StandardCharsets.UTF_8);
  }

  private static Optional<String> text(JsonNode node) {
    if (node == null || node.isNull() || node.asText().isBlank()) {
      return Optional.empty();
    }
    return Optional.of(node.asText());
  }

  private static double number(JsonNode node) {
    if (node == null || node.isNull()) {
      return 0;
    }
    return node.isNumber() ? node.asDouble() : Double.parseDouble(node.asText().trim());
  }

  private static String abbreviate(String body) {
    if (body == null) {
      return "";
    }
    String printable = body.replaceAll("\\p{Cntrl}", "?");
    return printable.length() > 200 ? printable.substring(0, 200) + "…" : printable;
  }

  static String stripSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }
}
