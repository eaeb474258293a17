package org.opencallback.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.opencallback.config.ConfigException;
import org.opencallback.config.ConfigValidator;
import org.opencallback.config.Configuration;
import org.opencallback.config.OptionCatalog;
import org.opencallback.config.OptionScope;
import org.opencallback.config.OptionStatus;
import org.opencallback.config.ServiceConfig;
import org.opencallback.domain.Redact;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which engine each callback service runs on, where its hand-offs go and whether its calls are
 * simulated: checked at every load ({@link #CHECK}), logged at start and on every reload ({@link
 * #log}), shown by the UI ({@link #route}). Stateless.
 */
public final class ServiceEngines {
  private static final Logger LOG = LoggerFactory.getLogger(ServiceEngines.class);
  static final Set<String> KNOWN = Set.of(EngineRegistry.BUILTIN, EngineRegistry.WEBHOOK, EngineRegistry.ORS);

  /**
   * Refuses a service whose {@code _execution} names no engine (a {@code $token$} included: the
   * engine is chosen from the service, never from a request).
   */
  public static final ConfigValidator CHECK = configuration -> {
    for (ServiceConfig service : configuration.services().values()) {
      String explicit = service.options().own().get("_execution");
      if (explicit != null && !explicit.isBlank()
          && !KNOWN.contains(explicit.trim().toLowerCase(Locale.ROOT))) {
        throw ConfigException.invalidOption("service." + service.name(), "_execution", explicit,
            "expected one of builtin, webhook, ors");
      }
    }
  };

  private ServiceEngines() {}

  /**
   * Where a service's callbacks go.
   *
   * @param engine {@code builtin}, {@code webhook} or {@code ors}
   * @param handOffs where hand-offs go, in words (URLs without credentials)
   * @param simulated whether calls are simulated (built-in engine with an {@code engine} section)
   */
  public record Route(String service, String engine, String handOffs, boolean simulated) {}

  public static Route route(Configuration configuration, ServiceConfig service) {
    String engine = EngineRegistry.engineName(service);
    switch (engine) {
      case EngineRegistry.ORS:
        return new Route(service.name(), engine,
            service.options().get("_ors").filter(url -> !url.isBlank()).map(Redact::urls)
                .orElse("nowhere: _ors is not set (a request may give it only if _overwritable_options lists _ors)"),
            false);
      case EngineRegistry.WEBHOOK:
        return new Route(service.name(), engine,
            service.options().get("_webhook_url").filter(url -> !url.isBlank()).map(Redact::urls)
                .orElse("nowhere: _webhook_url is not set"),
            false);
      default:
        boolean simulated = configuration.simulation();
        int agents = simulated ? Math.max(0, configuration.engine().integer("agents", 0)) : 0;
        return new Route(service.name(), engine, simulated
            ? "the built-in queue, " + agents + " simulated agent(s) and real agents of the agent API; the dialer is simulated"
            : "the built-in queue, for real agents of the agent API only (no simulation: no engine section)",
            simulated);
    }
  }

  /** Logs one line per service and warns about services whose callbacks nothing will complete. */
  public static void log(Configuration configuration) {
    for (String line : describe(configuration)) {
      LOG.info(line);
    }
    for (String warning : warnings(configuration)) {
      LOG.warn(warning);
    }
  }

  static List<String> describe(Configuration configuration) {
    List<String> lines = new ArrayList<>();
    for (ServiceConfig service : configuration.services().values()) {
      Route route = route(configuration, service);
      lines.add("Service " + route.service() + ": engine " + route.engine() + ", hand-offs to " + route.handOffs()
          + (route.simulated() ? " - calls SIMULATED" : ""));
    }
    return lines;
  }

  /** A GMS service ({@code _type: ors}) without an ORS address, on a configuration without simulation. */
  static List<String> warnings(Configuration configuration) {
    List<String> warnings = new ArrayList<>();
    for (ServiceConfig service : configuration.services().values()) {
      Route route = route(configuration, service);
      if (route.engine().equals(EngineRegistry.BUILTIN) && !route.simulated()) {
        warnings.add("Service " + service.name() + " (_type: ors) has no ORS address and the configuration has no"
            + " engine section: its callbacks wait for a real agent of the agent API and nothing else completes them."
            + " To hand them to Orchestration Server set _ors (or _execution: ors with _ors), to an HTTP receiver"
            + " _execution: webhook with _webhook_url; for simulated calls add engine: {agents: N}");
      } else if (route.handOffs().startsWith("nowhere")) {
        warnings.add("Service " + service.name() + " runs on " + route.engine() + " but its hand-offs go "
            + route.handOffs() + ": its callbacks will end SUBMIT_FAILED");
      }
      if (!route.engine().equals(EngineRegistry.ORS)) {
        List<String> forOrs = service.options().own().keySet().stream()
            .filter(name -> OptionCatalog.find(OptionScope.SERVICE, name)
                .filter(spec -> spec.status() == OptionStatus.ENGINE).isPresent())
            .toList();
        if (!forOrs.isEmpty()) {
          warnings.add("Service " + service.name() + " runs on the " + route.engine() + " engine, which does not act on"
              + " these options it sets for the ORS callback application: " + String.join(", ", forOrs));
        }
      }
    }
    return warnings;
  }
}
