package org.opencallback.config;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The INI form in which Genesys configuration is exported: {@code [section]} lines, then {@code
 * option = value} lines. Lines starting with {@code ;} or {@code #} are comments.
 */
final class IniFormat {
  private IniFormat() {}

  static Map<String, Object> parse(String text, String origin) throws ConfigException {
    Map<String, Object> sections = new LinkedHashMap<>();
    Map<String, Object> current = null;
    String[] lines = text.split("\\R", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (i == 0 && line.startsWith("\uFEFF")) {
        line = line.substring(1);
      }
      if (line.isEmpty() || line.startsWith(";") || line.startsWith("#")) {
        continue;
      }
      if (line.startsWith("[")) {
        if (!line.endsWith("]") || line.length() < 3) {
          throw new ConfigException(
              "configuration " + origin + " line " + (i + 1) + ": malformed section header " + line);
        }
        String name = line.substring(1, line.length() - 1).strip();
        Map<String, Object> options = new LinkedHashMap<>();
        sections.put(name, options);
        current = options;
        continue;
      }
      int equals = line.indexOf('=');
      if (equals <= 0) {
        throw new ConfigException(
            "configuration " + origin + " line " + (i + 1) + ": expected option = value (the line is not quoted: it may hold a password)");
      }
      if (current == null) {
        throw new ConfigException(
            "configuration " + origin + " line " + (i + 1) + ": option outside of any [section]");
      }
      String option = line.substring(0, equals).strip();
      String value = unquote(line.substring(equals + 1).strip());
      current.put(option, value);
    }
    return sections;
  }

  private static String unquote(String value) {
    if (value.length() >= 2
        && ((value.startsWith("\"") && value.endsWith("\""))
            || (value.startsWith("'") && value.endsWith("'")))) {
      return value.substring(1, value.length() - 1);
    }
    return value;
  }
}
