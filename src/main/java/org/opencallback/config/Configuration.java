package org.opencallback.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One validated configuration, immutable and safe to share. Built from the section mapping a {@link
 * ConfigLoader} reads; {@link #from} refuses anything invalid with a message naming the section,
 * option and value.
 */
public final class Configuration {
  public static final String CALLBACK_SECTION = "callback";
  public static final String SERVICE_PREFIX = "service.";
  public static final String ENGINE_SECTION = "engine";
  public static final String USERS_SECTION = "users";
  public static final String SERVER_SECTION = "server";
  public static final String CAPACITY_SECTION = "capacity";
  public static final String CLUSTER_SECTION = "cluster";
  public static final String DATABASE_SECTION = "database";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern TOKEN = Pattern.compile("\\$[A-Za-z0-9_.-]+\\$");

  private final String origin;
  private final Map<String, Map<String, Object>> raw;
  private final Map<String, Map<String, String>> sections;
  private final OptionValues callback;
  private final Map<String, ServiceConfig> services;
  private final Map<String, OptionValues> officeHours;
  private final Map<String, OptionValues> capacity;
  private final OptionValues engine;
  private final OptionValues server;
  private final OptionValues capacityLimits;
  private final OptionValues cluster;
  private final OptionValues database;
  private final Map<String, String> users;
  private final Map<String, Account> accounts;

  private Configuration(String origin, Map<String, Map<String, Object>> raw) throws ConfigException {
    this.origin = origin;
    this.raw = raw;
    Map<String, Map<String, String>> flat = new LinkedHashMap<>();
    for (Map.Entry<String, Map<String, Object>> section : raw.entrySet()) {
      flat.put(section.getKey(), flatten(section.getKey(), section.getValue()));
    }
    this.sections = Collections.unmodifiableMap(flat);
    this.callback = validated(CALLBACK_SECTION, OptionScope.CALLBACK, null);
    this.server = validated(SERVER_SECTION, OptionScope.SERVER, null);
    this.capacityLimits = validated(CAPACITY_SECTION, OptionScope.CAPACITY_LIMITS, null);
    this.engine = validated(ENGINE_SECTION, OptionScope.ENGINE, null);
    this.cluster = validated(CLUSTER_SECTION, OptionScope.CLUSTER, null);
    this.database = validated(DATABASE_SECTION, OptionScope.DATABASE, null);
    Map<String, ServiceConfig> callbackServices = new LinkedHashMap<>();
    Map<String, OptionValues> hours = new LinkedHashMap<>();
    Map<String, OptionValues> capacities = new LinkedHashMap<>();
    for (String section : sections.keySet()) {
      if (!section.startsWith(SERVICE_PREFIX) || section.length() == SERVICE_PREFIX.length()) {
        continue;
      }
      String name = section.substring(SERVICE_PREFIX.length());
      Map<String, String> options = sections.get(section);
      String type = options.getOrDefault("_type", "ors").trim().toLowerCase(Locale.ROOT);
      if (type.equals("builtin")) {
        String kind = options.getOrDefault("_service", "").trim().toLowerCase(Locale.ROOT);
        if (kind.equals("office-hours")) {
          hours.put(name, validated(section, OptionScope.OFFICE_HOURS, null));
        } else if (kind.equals("capacity")) {
          capacities.put(name, validated(section, OptionScope.CAPACITY, null));
        }
        // other builtin GMS services are accepted and not used
      } else if (type.equals("ors")) {
        callbackServices.put(
            name, new ServiceConfig(name, validated(section, OptionScope.SERVICE, callback)));
      } else {
        throw ConfigException.invalidOption(
            section, "_type", options.get("_type"), "expected ors or builtin");
      }
    }
    this.services = Collections.unmodifiableMap(callbackServices);
    this.officeHours = Collections.unmodifiableMap(hours);
    this.capacity = Collections.unmodifiableMap(capacities);
    Map<String, Account> logins = Accounts.parse(raw.getOrDefault(USERS_SECTION, Map.of()));
    if (logins.isEmpty() && ConfigLoader.BUNDLED_DEMO_ORIGIN.equals(origin)) {
      logins = Accounts.demo();
    }
    this.accounts = logins;
    Map<String, String> hashes = new LinkedHashMap<>();
    logins.forEach((name, account) -> hashes.put(name, account.passwordHash()));
    this.users = Collections.unmodifiableMap(hashes);
  }

  /** Validates a section mapping and builds the configuration. */
  public static Configuration from(Map<String, Object> sections, String origin) throws ConfigException {
    Map<String, Map<String, Object>> raw = new LinkedHashMap<>();
    for (Map.Entry<String, Object> entry : sections.entrySet()) {
      if (!(entry.getValue() instanceof Map)) {
        throw new ConfigException(
            "configuration " + origin + ": section [" + entry.getKey() + "] must be a mapping of option to value");
      }
      Map<String, Object> options = new LinkedHashMap<>();
      ((Map<?, ?>) entry.getValue()).forEach((k, v) -> options.put(String.valueOf(k), v));
      raw.put(entry.getKey(), Collections.unmodifiableMap(options));
    }
    try {
      return new Configuration(origin, Collections.unmodifiableMap(raw));
    } catch (ConfigException e) {
      throw new ConfigException("configuration " + origin + ": " + e.getMessage(), e);
    }
  }

  private OptionValues validated(String section, OptionScope scope, OptionValues parent)
      throws ConfigException {
    Map<String, String> options = sections.getOrDefault(section, Map.of());
    for (Map.Entry<String, String> option : options.entrySet()) {
      Optional<OptionSpec> spec = OptionCatalog.find(scope, option.getKey());
      // a $name$ token is filled from each request (GMS token variables): checked per request
      if (spec.isPresent() && !TOKEN.matcher(option.getValue()).find()) {
        String problem = spec.get().problem(option.getValue());
        if (problem != null) {
          throw ConfigException.invalidOption(section, option.getKey(), option.getValue(), problem);
        }
      }
    }
    java.util.Set<String> blank = new java.util.LinkedHashSet<>(raw.getOrDefault(section, Map.of()).keySet());
    blank.removeAll(options.keySet());
    return new OptionValues(section, scope, options, parent, blank);
  }

  /** String view of a section: empty values dropped (an empty value means "not set"). */
  private static Map<String, String> flatten(String section, Map<String, Object> options)
      throws ConfigException {
    Map<String, String> flat = new LinkedHashMap<>();
    for (Map.Entry<String, Object> option : options.entrySet()) {
      String value = asString(section, option.getKey(), option.getValue());
      if (value != null && !value.isBlank()) {
        flat.put(option.getKey(), value.trim());
      }
    }
    return Collections.unmodifiableMap(flat);
  }

  private static String asString(String section, String option, Object value) throws ConfigException {
    if (value == null) {
      return null;
    }
    if (value instanceof List) {
      List<?> list = (List<?>) value;
      boolean scalars = list.stream().noneMatch(v -> v instanceof Map || v instanceof List);
      if (scalars) {
        return list.stream().map(String::valueOf).collect(Collectors.joining(","));
      }
    }
    if (value instanceof Map || value instanceof List) {
      try {
        return JSON.writeValueAsString(value);
      } catch (JsonProcessingException e) {
        throw ConfigException.invalidOption(section, option, String.valueOf(value), "cannot be read");
      }
    }
    return String.valueOf(value);
  }

  /** Where this configuration came from (a file path or "bundled demo"). */
  public String origin() {
    return origin;
  }

  /** The global {@code callback} section. */
  public OptionValues callback() {
    return callback;
  }

  /** Callback services by execution name. */
  public Map<String, ServiceConfig> services() {
    return services;
  }

  public Optional<ServiceConfig> service(String name) {
    return Optional.ofNullable(services.get(name));
  }

  /** Office-hours services by name. */
  public Map<String, OptionValues> officeHours() {
    return officeHours;
  }

  /** Capacity services by name. */
  public Map<String, OptionValues> capacity() {
    return capacity;
  }

  public OptionValues engine() {
    return engine;
  }

  /**
   * Whether the built-in engine simulates calls: only when the {@code engine} section sets a
   * simulation option (e.g. {@code agents: 2}); {@code max-agents}, a bound on real agents, does not
   * count. Without one there are no simulated agents and no simulated dialer.
   */
  public boolean simulation() {
    return section(ENGINE_SECTION).keySet().stream().anyMatch(option -> !NOT_SIMULATION.contains(option));
  }

  /** Options of the {@code engine} section that do not ask for simulation. */
  private static final java.util.Set<String> NOT_SIMULATION = java.util.Set.of("max-agents");

  public OptionValues server() {
    return server;
  }

  /** The GMS {@code capacity} section ({@code _max_capacity}). */
  public OptionValues capacityLimits() {
    return capacityLimits;
  }

  /** OpenCallback's {@code cluster} section (lease, heartbeat; read at start). */
  public OptionValues cluster() {
    return cluster;
  }

  /** OpenCallback's {@code database} section (pool size; read at start). */
  public OptionValues database() {
    return database;
  }

  /** Users: name → password hash (every role). */
  public Map<String, String> users() {
    return users;
  }

  /** The {@code users} section's accounts by name, roles resolved (the demo account with the bundled demo). */
  public Map<String, Account> accounts() {
    return accounts;
  }

  /** Whether this is the bundled demo configuration (no configuration file). */
  public boolean isBundledDemo() {
    return ConfigLoader.BUNDLED_DEMO_ORIGIN.equals(origin);
  }

  /** Any section as strings, empty values dropped; empty map when absent. */
  public Map<String, String> section(String name) {
    return sections.getOrDefault(name, Map.of());
  }

  /** Any section as loaded (nested values kept), for transaction lists and mappings. */
  public Map<String, Object> rawSection(String name) {
    return raw.getOrDefault(name, Map.of());
  }

  public Map<String, Map<String, String>> sections() {
    return sections;
  }
}
