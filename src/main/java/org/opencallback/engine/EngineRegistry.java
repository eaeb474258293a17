package org.opencallback.engine;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.opencallback.config.ServiceConfig;

/**
 * The execution engines by name and which one a service uses: {@code _execution} ({@code builtin}
 * by default, {@code webhook}, {@code ors}; {@code ors} also when only {@code _ors} is set).
 * Immutable after construction.
 */
public final class EngineRegistry implements AutoCloseable {
  public static final String BUILTIN = "builtin";
  public static final String WEBHOOK = "webhook";
  public static final String ORS = "ors";

  private final Map<String, ExecutionEngine> engines;

  public EngineRegistry(Map<String, ExecutionEngine> engines) {
    if (!engines.containsKey(BUILTIN)) {
      throw new IllegalArgumentException("the built-in engine is required");
    }
    this.engines = new LinkedHashMap<>(engines);
  }

  /**
   * The engine of a service: the one its {@code _execution} names; without {@code _execution}, ORS
   * when {@code _ors} is set, else the built-in one. A name no engine answers to is refused at load
   * ({@link ServiceEngines#CHECK}); should one get here, the hand-off fails rather than silently
   * running on the built-in engine.
   */
  public ExecutionEngine forService(ServiceConfig service) {
    String name = engineName(service);
    ExecutionEngine engine = engines.get(name);
    if (engine == null) {
      throw new EngineException("service " + service.name() + " names the execution engine \"" + name
          + "\", which does not exist (expected " + String.join(", ", engines.keySet()) + ")");
    }
    return engine;
  }

  /** The name of the engine a service asks for. */
  public static String engineName(ServiceConfig service) {
    String explicit = service.options().own().get("_execution");
    if (explicit != null && !explicit.isBlank()) {
      return explicit.trim().toLowerCase(Locale.ROOT);
    }
    return service.options().get("_ors").filter(url -> !url.isBlank()).isPresent() ? ORS : BUILTIN;
  }

  public ExecutionEngine builtin() {
    return engines.get(BUILTIN);
  }

  public Map<String, ExecutionEngine> all() {
    return Map.copyOf(engines);
  }

  @Override
  public void close() {
    engines.values().forEach(ExecutionEngine::close);
  }
}
