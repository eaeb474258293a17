package org.opencallback.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a configuration file into a mapping of section name → mapping of option → value: YAML by
 * default, the INI form Genesys exports for files ending in {@code .ini} or {@code .cfg}.
 */
public final class ConfigLoader {
  /** Classpath resource of the configuration used when no file is given. */
  public static final String BUNDLED_DEMO = "/opencallback-demo.yaml";
  /** The origin of the configuration read from {@link #BUNDLED_DEMO} (its demo account depends on it). */
  public static final String BUNDLED_DEMO_ORIGIN = "bundled demo";

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private ConfigLoader() {}

  /** Reads and parses a file. */
  public static Map<String, Object> read(Path file) throws ConfigException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new ConfigException("cannot read configuration file " + file + ": " + describe(e));
    }
    return parse(bytes, file.getFileName().toString(), file.toString());
  }

  /** Parses bytes; {@code fileName} decides the format, {@code origin} names it in messages. */
  public static Map<String, Object> parse(byte[] bytes, String fileName, String origin)
      throws ConfigException {
    String lower = fileName.toLowerCase(Locale.ROOT);
    String text = new String(bytes, StandardCharsets.UTF_8);
    if (lower.endsWith(".ini") || lower.endsWith(".cfg")) {
      return IniFormat.parse(text, origin);
    }
    return parseYaml(text, origin);
  }

  /** The bundled demo configuration. */
  public static Map<String, Object> bundledDemo() throws ConfigException {
    try (InputStream in = ConfigLoader.class.getResourceAsStream(BUNDLED_DEMO)) {
      if (in == null) {
        throw new ConfigException("bundled demo configuration " + BUNDLED_DEMO + " is missing");
      }
      return parseYaml(new String(in.readAllBytes(), StandardCharsets.UTF_8), BUNDLED_DEMO_ORIGIN);
    } catch (IOException e) {
      throw new ConfigException("cannot read bundled demo configuration: " + describe(e));
    }
  }

  private static Map<String, Object> parseYaml(String text, String origin) throws ConfigException {
    Object root;
    try {
      root = text.isBlank() ? Map.of() : YAML.readValue(text, Object.class);
    } catch (JacksonException e) {
      String location =
          e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr();
      throw new ConfigException(
          "configuration " + origin + " is not valid YAML" + location + ": " + withoutQuotedLines(e.getOriginalMessage()));
    }
    if (root == null) {
      return new LinkedHashMap<>();
    }
    if (!(root instanceof Map)) {
      throw new ConfigException(
          "configuration " + origin + " must be a mapping of section name to options");
    }
    Map<String, Object> sections = new LinkedHashMap<>();
    for (Map.Entry<?, ?> entry : ((Map<?, ?>) root).entrySet()) {
      String section = String.valueOf(entry.getKey());
      Object value = entry.getValue();
      if (value == null) {
        sections.put(section, new LinkedHashMap<String, Object>());
      } else if (value instanceof Map) {
        Map<String, Object> options = new LinkedHashMap<>();
        ((Map<?, ?>) value).forEach((k, v) -> options.put(String.valueOf(k), v));
        sections.put(section, options);
      } else {
        throw new ConfigException(
            "configuration " + origin + ": section [" + section + "] must be a mapping of option to value");
      }
    }
    return sections;
  }

  /**
   * The YAML parser's message without the lines of the file it quotes (each followed by a line with a
   * caret under the column): such a line may hold a password. Line and column stay.
   */
  static String withoutQuotedLines(String message) {
    if (message == null) {
      return "";
    }
    String[] lines = message.split("\\R");
    List<String> kept = new ArrayList<>();
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      boolean caret = line.equals("^");
      boolean quoted = i + 1 < lines.length && lines[i + 1].strip().equals("^");
      if (!caret && !quoted && !line.isEmpty()) {
        kept.add(line.endsWith(":") ? line.substring(0, line.length() - 1) : line);
      }
    }
    return String.join(" ", kept);
  }

  private static String describe(IOException e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}
