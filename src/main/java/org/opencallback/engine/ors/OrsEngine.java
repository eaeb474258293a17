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
import org.opencallback.engine.CallbackOptions;
import org.opencallback.config.Configuration;
import org.opencallback.config.OptionCatalog;
import org.opencallback.config.OptionScope;
import org.opencallback.config.ServiceConfig;
import org.opencallback.engine.CallbackReporter;
import org.opencallback.engine.EngineException;
import org.opencallback.engine.ExecutionEngine;
import org.opencallback.engine.QueuePosition;
import org.opencallback.engine.StatisticsEwt;
import org.opencallback.domain.Callback;
import org.opencallback.domain.ServerState;
import org.opencallback.domain.Times;
import org.opencallback.outbound.OutboundHttp;
import org.opencallback.outbound.OutboundRefused;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands due callbacks to Genesys Orchestration Server the way GMS does ({@code _execution: ors}, or
 * {@code _ors} set): {@code POST {ors}/scxml/session/start}, form-encoded, {@code src} = the SCXML
 * application the service names ({@link #application}), then the callback's properties and the
 * service's own options as they apply to the callback (tokens filled, allowed overrides taken: the
 * {@link ServiceConfig} it is given) as session parameters. The session id is stored as {@code _ors_session_id} (and the ORS that holds it
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
  /** Request parameters GMS documents that share a service option's name: passed through as given. */
  static final Set<String> REQUEST_PARAMETERS = Set.of("_request_queue_time_stat");

  private final Supplier<Configuration> config;
  private final CallbackReporter reporter;
  private final Function<String, Optional<Callback>> callbacks;
  private final Supplier<String> publicUrl;
  private final ObjectMapper json;
  private final HttpClient client;
  private final OutboundHttp outbound;
  /** One counter per configured service name with several _ors URLs: bounded by the configuration. */
  private final Map<String, AtomicInteger> turns = new ConcurrentHashMap<>();
  private final StatisticsEwt statistics;

  /** An ORS answer. */
  private record Reply(int status, String body) {}

  /**
   * @param callbacks finds a stored callback by id (for the queue position)
   * @param publicUrl this server's base URL as others reach it ({@code [server] public-url})
   * @param statistics where the EWT of ORS services comes from ({@code _ewt_url})
   * @param outbound the checked client for request-chosen ORS URLs
   */
  public OrsEngine(
      Supplier<Configuration> config,
      CallbackReporter reporter,
      Function<String, Optional<Callback>> callbacks,
      Supplier<String> publicUrl,
      ObjectMapper json,
      StatisticsEwt statistics,
      OutboundHttp outbound) {
    this.statistics = statistics;
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
    List<String> urls = urls(service);
    if (urls.isEmpty()) {
      throw new EngineException("service " + service.name() + " has no _ors URL");
    }
    String form = form(fields(callback, service, application(service)));
    boolean trusted = !requested(callback);
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
          .orElse(CallbackOptions.of(config.get(), callback).flatMap(service -> service.options().get("_urs_virtual_queue"))
              .orElse(""));
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

  /** From the service's statistics URL ({@code _ewt_url}); zero without one. */
  @Override
  public Duration ewt(ServiceConfig service) {
    return statistics.ewt(service);
  }

  @Override
  public void close() {}

  // ------------------------------------------------------------------ wire format

  /**
   * The SCXML application ORS starts ({@code src}), as GMS does: {@code _service} when it is the URL
   * of a custom application; for {@code _service: callback} (GMS's own callback application, which
   * OpenCallback does not ship) the URL where the operator deployed it, {@code _callback_scxml_url}
   * (service, else {@code callback} section). Without one the hand-off fails with a message naming
   * both options: ORS could not run a session without its application.
   */
  static String application(ServiceConfig service) {
    String named = service.options().string("_service", "callback").trim();
    if (named.regionMatches(true, 0, "http://", 0, 7) || named.regionMatches(true, 0, "https://", 0, 8)) {
      return named;
    }
    return service.options().get("_callback_scxml_url").map(String::trim).filter(url -> !url.isEmpty())
        .orElseThrow(() -> new EngineException("service " + service.name() + " names no SCXML application for ORS:"
            + " _service is '" + named + "' and _callback_scxml_url is not set (the URL of the callback SCXML"
            + " application ORS should run; docs/engine.md)"));
  }

  /**
   * The session parameters, in order (a later one wins): {@code src}, the callback's properties (the
   * request's own keys, except those that name a service option: a request changes an option only
   * through {@code _overwritable_options}, already applied to {@code service}), the service's own
   * options as they apply to this callback (credentials left out), then its system fields.
   */
  Map<String, String> fields(Callback callback, ServiceConfig service, String application) {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("src", application);
    callback.properties().forEach((key, value) -> {
      if (value != null && !namesAnOption(key)) {
        fields.put(key, asText(value));
      }
    });
    service.options().own().forEach((key, value) -> {
      if (!SECRET_OPTIONS.contains(key)) {
        fields.put(key, value);
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
    fields.put("src", application);
    return fields;
  }

  /**
   * Whether a request key is the name of a callback-service option (and not one of the few that GMS
   * documents as request parameters of their own, such as {@code _request_queue_time_stat}).
   */
  static boolean namesAnOption(String key) {
    return !REQUEST_PARAMETERS.contains(key) && OptionCatalog.find(OptionScope.SERVICE, key).isPresent();
  }

  /**
   * The ORS URLs of the service as it applies to the callback (the request's {@code _ors} only when
   * {@code _overwritable_options} allowed it at admission).
   */
  static List<String> urls(ServiceConfig service) {
    return split(service.options().get("_ors").orElse(""));
  }

  /**
   * Whether the ORS URLs come from the request (an override {@code _overwritable_options} allowed,
   * or a filled token) rather than from the service section: then they are checked, not trusted.
   */
  static boolean requested(Callback callback) {
    return callback.resolvedOptions().containsKey("_ors");
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
    return CallbackOptions.of(config.get(), callback).map(OrsEngine::urls)
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
