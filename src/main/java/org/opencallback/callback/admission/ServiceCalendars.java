package org.opencallback.callback.admission;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.opencallback.calendar.CalendarConfigException;
import org.opencallback.calendar.CapacityPlan;
import org.opencallback.calendar.OfficeHours;
import org.opencallback.calendar.TimeBuckets;
import org.opencallback.config.ConfigException;
import org.opencallback.config.ConfigValidator;
import org.opencallback.config.Configuration;
import org.opencallback.config.OptionValues;
import org.opencallback.config.ServiceConfig;
import org.opencallback.domain.CallbackException;
import org.opencallback.domain.ErrorCode;

/**
 * Builds each service's {@link ServiceCalendar} from the configuration in force, parsing office
 * hours and capacity once per configuration. Also the load-time check of every office-hours and
 * capacity section. Thread-safe.
 */
public final class ServiceCalendars implements ConfigValidator {
  private final AtomicReference<Cache> cache = new AtomicReference<>(new Cache(null));

  private static final class Cache {
    final Configuration configuration;
    /** Bound: one entry per service of this configuration; the whole cache is replaced on reload. */
    final Map<String, Object> parsed = new ConcurrentHashMap<>();

    Cache(Configuration configuration) {
      this.configuration = configuration;
    }
  }

  /**
   * The calendar of a service (with its per-request options).
   *
   * @throws CallbackException 50005 when the office-hours service is missing, 50004 when the
   *     capacity service is
   */
  public ServiceCalendar of(Configuration configuration, ServiceConfig service) {
    Cache use = cache(configuration);
    String hoursName = service.options().get("_business_hours_service").orElse("").trim();
    String capacityName = service.options().get("_capacity_service").orElse("").trim();
    OfficeHours hours = OfficeHours.alwaysOpen();
    if (!hoursName.isEmpty()) {
      OptionValues section = configuration.officeHours().get(hoursName);
      if (section == null) {
        throw new CallbackException(ErrorCode.OFFICE_HOURS_SERVICE_ERROR, CallbackException.Fault.OFFICE_HOURS_MISSING,
            "Office hours service '" + hoursName + "' of service " + service.name() + " is not configured",
            Map.of("service", service.name(), "_business_hours_service", hoursName), Map.of());
      }
      hours = (OfficeHours) use.parsed.computeIfAbsent("hours:" + hoursName, k -> parseHours(section));
    }
    CapacityPlan capacity = null;
    if (!capacityName.isEmpty()) {
      OptionValues section = configuration.capacity().get(capacityName);
      if (section == null) {
        throw new CallbackException(ErrorCode.CAPACITY_SERVICE_ERROR, CallbackException.Fault.CAPACITY_MISSING,
            "Capacity service '" + capacityName + "' of service " + service.name() + " is not configured",
            Map.of("service", service.name(), "_capacity_service", capacityName), Map.of());
      }
      int max = configuration.capacityLimits().integer("_max_capacity", 1000);
      capacity = (CapacityPlan) use.parsed.computeIfAbsent("capacity:" + capacityName, k -> parseCapacity(section, max));
    }
    int minutes = service.options().integer("_request_time_bucket", 5);
    if (!TimeBuckets.SIZES.contains(minutes)) {
      minutes = 5;
    }
    var zone = !hoursName.isEmpty() ? hours.zone() : capacity != null ? capacity.zone() : java.time.ZoneId.of("UTC");
    return new ServiceCalendar(
        hours, capacity, new TimeBuckets(minutes, zone),
        Math.max(0, service.options().integer("_max_request_by_time_bucket", 100)), !hoursName.isEmpty());
  }

  /** An office-hours service parsed once per configuration, or null when there is none. */
  public OfficeHours officeHours(Configuration configuration, String name) {
    OptionValues section = configuration.officeHours().get(name);
    if (section == null) {
      return null;
    }
    return (OfficeHours) cache(configuration).parsed.computeIfAbsent("hours:" + name, k -> parseHours(section));
  }

  /** A capacity service parsed once per configuration, or null when there is none. */
  public CapacityPlan capacity(Configuration configuration, String name) {
    OptionValues section = configuration.capacity().get(name);
    if (section == null) {
      return null;
    }
    int max = configuration.capacityLimits().integer("_max_capacity", 1000);
    return (CapacityPlan) cache(configuration).parsed.computeIfAbsent("capacity:" + name, k -> parseCapacity(section, max));
  }

  private Cache cache(Configuration configuration) {
    return cache.updateAndGet(c -> c.configuration == configuration ? c : new Cache(configuration));
  }

  private static OfficeHours parseHours(OptionValues section) {
    return OfficeHours.parse(section.own());
  }

  private static CapacityPlan parseCapacity(OptionValues section, int max) {
    return CapacityPlan.parse(section.own(), max);
  }

  @Override
  public void validate(Configuration configuration) throws ConfigException {
    for (Map.Entry<String, OptionValues> hours : configuration.officeHours().entrySet()) {
      try {
        parseHours(hours.getValue());
      } catch (CalendarConfigException e) {
        throw new ConfigException("section [" + hours.getValue().section() + "] " + e.getMessage());
      }
    }
    int max = configuration.capacityLimits().integer("_max_capacity", 1000);
    for (Map.Entry<String, OptionValues> capacity : configuration.capacity().entrySet()) {
      try {
        parseCapacity(capacity.getValue(), max);
      } catch (CalendarConfigException e) {
        throw new ConfigException("section [" + capacity.getValue().section() + "] " + e.getMessage());
      }
    }
  }
}
