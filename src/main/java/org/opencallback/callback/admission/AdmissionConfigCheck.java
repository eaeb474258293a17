package org.opencallback.callback.admission;

import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.opencallback.config.ConfigException;
import org.opencallback.config.ConfigValidator;
import org.opencallback.config.Configuration;
import org.opencallback.config.ServiceConfig;

/** Load-time checks of what admission reads: the pattern sections named by {@code _exceptions}. */
public final class AdmissionConfigCheck implements ConfigValidator {
  @Override
  public void validate(Configuration configuration) throws ConfigException {
    for (ServiceConfig service : configuration.services().values()) {
      String sections = service.options().own().getOrDefault("_exceptions", "").trim();
      if (sections.isEmpty() || sections.contains("$")) {
        continue;
      }
      for (String section : service.options().list("_exceptions")) {
        check(configuration, service, section);
      }
    }
  }

  private static void check(Configuration configuration, ServiceConfig service, String section) throws ConfigException {
    if (!configuration.sections().containsKey(section)) {
      throw new ConfigException("section [" + service.options().section() + "] option _exceptions: section ["
          + section + "] does not exist");
    }
    for (Map.Entry<String, String> pattern : configuration.section(section).entrySet()) {
      try {
        Pattern.compile(pattern.getValue());
      } catch (PatternSyntaxException e) {
        throw new ConfigException("section [" + section + "] option " + pattern.getKey() + ": value \""
            + pattern.getValue() + "\" is not a valid regular expression: " + e.getDescription());
      }
    }
  }
}
