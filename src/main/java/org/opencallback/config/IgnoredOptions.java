package org.opencallback.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Names the options a configuration sets (non-empty values) that OpenCallback accepts and ignores
 * ({@link OptionStatus#IGNORED}): one warning per load, at start and on every applied reload.
 */
public final class IgnoredOptions {
  private static final Logger LOG = LoggerFactory.getLogger(IgnoredOptions.class);

  private IgnoredOptions() {}

  /** Logs the warning, if there is anything to say. */
  public static void warn(Configuration configuration) {
    String message = message(configuration);
    if (message != null) {
      LOG.warn(message);
    }
  }

  /** The warning, or null when no ignored option is set. */
  static String message(Configuration configuration) {
    List<String> parts = new ArrayList<>();
    int count = add(parts, configuration.callback(), OptionScope.CALLBACK);
    for (ServiceConfig service : configuration.services().values()) {
      count += add(parts, service.options(), OptionScope.SERVICE);
    }
    if (parts.isEmpty()) {
      return null;
    }
    return "Configuration " + configuration.origin() + " sets " + count + " option(s) that OpenCallback accepts and"
        + " ignores: " + String.join("; ", parts) + ". Reasons: docs/configuration.md (status column) or the UI's"
        + " Configuration page";
  }

  private static int add(List<String> parts, OptionValues values, OptionScope scope) {
    List<String> names = new ArrayList<>();
    for (Map.Entry<String, String> option : values.own().entrySet()) {
      OptionCatalog.find(scope, option.getKey())
          .filter(spec -> spec.status() == OptionStatus.IGNORED)
          .ifPresent(spec -> names.add(spec.name()));
    }
    if (!names.isEmpty()) {
      parts.add("[" + values.section() + "] " + String.join(", ", names));
    }
    return names.size();
  }
}
