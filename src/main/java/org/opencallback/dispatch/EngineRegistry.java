package org.opencallback.dispatch;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.opencallback.config.ServiceConfig;

/**
 * The execution engines by name and which one a service uses: {@code _execution} ({@code builtin}
 * by default, {@code webhook}, {@code ors}). Immutable after construction.
 */
public final class EngineRegistry implements AutoCloseable {
  public static final String BUILTIN = "builtin";

  private final Map<String, ExecutionEngine> engines;

  public EngineRegistry(Map<String, ExecutionEngine> engines) {
    if (!engines.containsKey(BUILTIN)) {
      throw new IllegalArgumentException("the built-in engine is required");
    }
    this.engines = new LinkedHashMap<>(engines);
  }

  /** The engine of a service; the built-in one when its {@code _execution} names none we have. */
  public ExecutionEngine forService(ServiceConfig service) {
    String name = service.options().get("_execution").orElse(BUILTIN).trim().toLowerCase(Locale.ROOT);
    return engines.getOrDefault(name, engines.get(BUILTIN));
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
