package org.opencallback.engine.builtin;

import org.opencallback.config.ConfigException;
import org.opencallback.config.ConfigValidator;
import org.opencallback.config.Configuration;

/**
 * Load-time checks of the {@code engine} section the option catalogue cannot do: {@code
 * dial_outcomes} must be a mapping of valid regular expressions to known outcomes, and {@code
 * customer_patience} a duration.
 */
public final class BuiltinEngineConfigCheck implements ConfigValidator {
  @Override
  public void validate(Configuration configuration) throws ConfigException {
    Object outcomes = configuration.rawSection(Configuration.ENGINE_SECTION).get(EngineSettings.DIAL_OUTCOMES);
    try {
      DialOutcomes.parse(outcomes);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(
          "section [" + Configuration.ENGINE_SECTION + "] option " + EngineSettings.DIAL_OUTCOMES + ": "
              + e.getMessage());
    }
    String patience =
        configuration.section(Configuration.ENGINE_SECTION).get(EngineSettings.CUSTOMER_PATIENCE);
    if (patience != null && !EngineSettings.isDuration(patience)) {
      throw new ConfigException(
          "section [" + Configuration.ENGINE_SECTION + "] option " + EngineSettings.CUSTOMER_PATIENCE
              + ": value \"" + patience + "\" is invalid: expected a duration such as 2s, 500ms, 1m or 1h");
    }
  }
}
