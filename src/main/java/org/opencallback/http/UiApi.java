package org.opencallback.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.opencallback.config.Configuration;
import org.opencallback.config.OptionScope;
import org.opencallback.config.OptionSpec;
import org.opencallback.config.OptionStatus;
import org.opencallback.engine.ServiceEngines;
import org.opencallback.config.OptionValues;
import org.opencallback.config.OptionCatalog;
import org.opencallback.config.ServiceConfig;
import org.opencallback.domain.CallbackException;
import org.opencallback.domain.CallbackState;
import org.opencallback.domain.Redact;
import org.opencallback.domain.Times;
import org.opencallback.store.ActivityCount;
import org.opencallback.store.CallbackSearch;
import org.opencallback.store.CallbackStore;

/**
 * The management UI's own read-only JSON endpoints, for what the GMS and admin APIs do not answer:
 * the effective configuration with option descriptions ({@code /ui/api/config}), a paged search
 * over every callback ({@code /ui/api/callbacks}) and per-service counts for the dashboard ({@code
 * /ui/api/overview}).
 */
final class UiApi {
  /** GMS's Callback UI pages by 250. */
  static final int PAGE_SIZE = 250;
  static final Duration CHART_SPAN = Duration.ofHours(1);
  static final Duration CHART_BUCKET = Duration.ofMinutes(5);
  static final String MASK = "********";
  private static final Pattern SECRET =
      Pattern.compile("(?i).*(password|secret|credential|token|api[_-]?key).*");

  private final Supplier<Configuration> config;
  private final CallbackStore store;
  private final ObjectMapper json;
  private final Clock clock;

  UiApi(Supplier<Configuration> config, CallbackStore store, ObjectMapper json, Clock clock) {
    this.config = config;
    this.store = store;
    this.json = json;
    this.clock = clock;
  }

  void register(RoutesConfig routes) {
    routes.get(UiRoutes.ROOT + "/api/config", ctx -> Responses.json(ctx, json, configuration()));
    routes.get(UiRoutes.ROOT + "/api/callbacks", this::callbacks);
    routes.get(UiRoutes.ROOT + "/api/overview", ctx -> Responses.json(ctx, json, overview()));
  }

  // ------------------------------------------------------------------ callbacks

  private void callbacks(Context ctx) {
    Map<String, String> params = RequestParams.query(ctx);
    int page = page(params.get("page"));
    CallbackSearch search = new CallbackSearch(
        blankToNull(params.get("service")),
        state(params.get("state")),
        blankToNull(params.get("customer")),
        time("from", params.get("from")),
        time("to", params.get("to")),
        page * PAGE_SIZE,
        PAGE_SIZE);
    long total = store.countMatching(search);
    String base = CallbackRoutes.base(ctx);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("page", page);
    body.put("pageSize", PAGE_SIZE);
    body.put("total", total);
    body.put("pages", (total + PAGE_SIZE - 1) / PAGE_SIZE);
    body.put("items", store.search(search).stream().map(callback -> CallbackJson.full(callback, base)).toList());
    Responses.json(ctx, json, body);
  }

  private static int page(String text) {
    if (text == null || text.isBlank()) {
      return 0;
    }
    try {
      int page = Integer.parseInt(text.trim());
      if (page >= 0 && page <= 1_000_000) {
        return page;
      }
    } catch (NumberFormatException e) {
      // refused below
    }
    throw CallbackException.invalidParameter("Invalid page '" + text + "': expected a whole number from 0");
  }

  private static CallbackState state(String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    return CallbackState.parse(text).orElseThrow(() ->
        CallbackException.invalidParameter("Invalid state '" + text + "': expected one of " + List.of(CallbackState.values())));
  }

  private static Instant time(String name, String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    return Times.parse(text.trim()).orElseThrow(() -> CallbackException.invalidParameter(
        "Invalid " + name + " '" + text + "': expected an ISO-8601 UTC time such as 2026-01-31T14:30:00.000Z"));
  }

  private static String blankToNull(String text) {
    return text == null || text.isBlank() ? null : text.trim();
  }

  // ------------------------------------------------------------------ dashboard

  private Map<String, Object> overview() {
    Instant now = clock.instant();
    Instant chartStart = now.minus(CHART_SPAN).truncatedTo(ChronoUnit.MINUTES);
    chartStart = chartStart.minusSeconds(chartStart.getEpochSecond() % CHART_BUCKET.toSeconds());
    Map<String, Map<CallbackState, Long>> counts = store.countByServiceAndState();
    Map<String, Long> due = store.countDesiredBetween(CallbackState.SCHEDULED, now, now.plus(Duration.ofHours(1)));
    List<ActivityCount> activity = store.activity(chartStart, CHART_BUCKET);
    Set<String> names = new TreeSet<>(config.get().services().keySet());
    names.addAll(counts.keySet());
    List<Map<String, Object>> services = new ArrayList<>();
    for (String name : names) {
      Map<String, Object> service = new LinkedHashMap<>();
      service.put("name", name);
      service.put("configured", config.get().services().containsKey(name));
      service.put("simulated", config.get().service(name)
          .map(configured -> ServiceEngines.route(config.get(), configured).simulated()).orElse(false));
      Map<String, Long> states = new LinkedHashMap<>();
      for (CallbackState state : CallbackState.values()) {
        states.put(state.name(), counts.getOrDefault(name, Map.of()).getOrDefault(state, 0L));
      }
      service.put("states", states);
      service.put("dueNextHour", due.getOrDefault(name, 0L));
      service.put("activity", activity.stream().filter(a -> a.service().equals(name)).map(a -> {
        Map<String, Object> bucket = new LinkedHashMap<>();
        bucket.put("start", Times.format(a.bucketStart()));
        bucket.put("accepted", a.accepted());
        bucket.put("completed", a.completed());
        return bucket;
      }).toList());
      services.add(service);
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("now", Times.format(now));
    body.put("chartStart", Times.format(chartStart));
    body.put("bucketMinutes", CHART_BUCKET.toMinutes());
    body.put("services", services);
    return body;
  }

  // ------------------------------------------------------------------ configuration

  private Map<String, Object> configuration() {
    Configuration configuration = config.get();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("origin", configuration.origin());
    List<Map<String, Object>> services = new ArrayList<>();
    for (ServiceConfig service : configuration.services().values()) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("name", service.name());
      entry.put("section", service.options().section());
      ServiceEngines.Route route = ServiceEngines.route(configuration, service);
      entry.put("engine", route.engine());
      entry.put("handOffs", route.handOffs());
      entry.put("simulated", route.simulated());
      entry.put("options", options(service.options(), OptionScope.SERVICE));
      services.add(entry);
    }
    body.put("services", services);
    List<Map<String, Object>> sections = new ArrayList<>();
    sections.add(section(configuration.callback(), OptionScope.CALLBACK));
    sections.add(section(configuration.engine(), OptionScope.ENGINE));
    sections.add(section(configuration.server(), OptionScope.SERVER));
    sections.add(section(configuration.capacityLimits(), OptionScope.CAPACITY_LIMITS));
    sections.add(section(configuration.cluster(), OptionScope.CLUSTER));
    sections.add(section(configuration.database(), OptionScope.DATABASE));
    configuration.officeHours().values().forEach(values -> sections.add(section(values, OptionScope.OFFICE_HOURS)));
    configuration.capacity().values().forEach(values -> sections.add(section(values, OptionScope.CAPACITY)));
    body.put("sections", sections);
    body.put("users", new ArrayList<>(configuration.users().keySet()));
    return body;
  }

  private static Map<String, Object> section(OptionValues values, OptionScope scope) {
    Map<String, Object> entry = new LinkedHashMap<>();
    entry.put("name", values.section());
    entry.put("scope", scope.name());
    entry.put("options", options(values, scope));
    return entry;
  }

  /** Every known option of the scope with its effective value, then the section's other options. */
  private static List<Map<String, Object>> options(OptionValues values, OptionScope scope) {
    List<Map<String, Object>> options = new ArrayList<>();
    Set<String> listed = new java.util.HashSet<>();
    for (OptionSpec spec : OptionCatalog.of(scope)) {
      listed.add(spec.name());
      options.add(option(values, spec.name(), spec));
    }
    for (String name : values.own().keySet()) {
      if (listed.add(name)) {
        options.add(option(values, name, null));
      }
    }
    return options;
  }

  private static Map<String, Object> option(OptionValues values, String name, OptionSpec spec) {
    String source;
    if (values.own().containsKey(name)) {
      source = "set";
    } else if (values.parent() != null && values.parent().own().containsKey(name)) {
      source = values.parent().section();
    } else if (spec != null && spec.defaultValue() != null) {
      source = "default";
    } else {
      source = "unset";
    }
    boolean secret = SECRET.matcher(name).matches();
    String value = values.get(name).orElse(null);
    Map<String, Object> option = new LinkedHashMap<>();
    option.put("name", name);
    // a URL's user info is a password too (https://user:password@host)
    option.put("value", secret && value != null ? MASK : Redact.urls(value));
    option.put("source", source);
    option.put("default", spec == null || (secret && spec.defaultValue() != null) ? null : spec.defaultValue());
    option.put("category", spec == null ? "Other" : spec.category());
    // an option the catalogue does not know is a service parameter for the engine, as in GMS
    OptionStatus status = spec == null ? OptionStatus.ENGINE : spec.status();
    option.put("status", status.name());
    option.put("statusLabel", status.label());
    option.put("statusReason", spec == null ? "not an option OpenCallback knows: sent to ORS as a service parameter"
        : spec.statusReason());
    option.put("description", spec == null ? "" : spec.description());
    option.put("secret", secret);
    return option;
  }
}
