package org.opencallback.config;

/**
 * A check of a whole configuration by a feature that understands some of its sections (office
 * hours, capacity, exception patterns…). Run at start and before every reload; a failure refuses
 * the configuration.
 */
@FunctionalInterface
public interface ConfigValidator {
  ConfigValidator NONE = configuration -> {};

  void validate(Configuration configuration) throws ConfigException;
}
