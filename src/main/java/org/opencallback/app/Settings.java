package org.opencallback.app;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Start-up settings from the command line and the environment: a flag beats its {@code OPENCALLBACK_}
 * variable, the variable beats the default.
 *
 * @param config the configuration file, or null for ./opencallback.yaml or the bundled demo
 * @param port HTTP port
 * @param host interface to listen on
 * @param dataDir data directory (embedded database)
 * @param dbUrl JDBC URL (PostgreSQL, H2 or SQLite), or null for the embedded database of the data directory
 * @param dbUser database user, may be null
 * @param dbPassword database password, may be null
 * @param nodeId this node's id in a cluster
 */
public record Settings(
    Path config,
    int port,
    String host,
    Path dataDir,
    String dbUrl,
    String dbUser,
    String dbPassword,
    String nodeId) {

  static final String USAGE =
      "usage: java -jar opencallback.jar [--config FILE] [--port N] [--data-dir DIR] [--db-url URL]"
          + " [--db-user U] [--db-password P] [--node-id ID] | hash-password PASSWORD"
          + " | move-store (--from URL --to URL | --data-dir DIR)";

  private static final Map<String, String> FLAGS = new LinkedHashMap<>();

  static {
    FLAGS.put("--config", "OPENCALLBACK_CONFIG");
    FLAGS.put("--port", "OPENCALLBACK_PORT");
    FLAGS.put("--host", "OPENCALLBACK_HOST");
    FLAGS.put("--data-dir", "OPENCALLBACK_DATA_DIR");
    FLAGS.put("--db-url", "OPENCALLBACK_DB_URL");
    FLAGS.put("--db-user", "OPENCALLBACK_DB_USER");
    FLAGS.put("--db-password", "OPENCALLBACK_DB_PASSWORD");
    FLAGS.put("--node-id", "OPENCALLBACK_NODE_ID");
  }

  public static Settings parse(String[] args, Function<String, String> env) throws UsageException {
    Map<String, String> given = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      String flag = arg;
      String value = null;
      int equals = arg.indexOf('=');
      if (arg.startsWith("--") && equals > 0) {
        flag = arg.substring(0, equals);
        value = arg.substring(equals + 1);
      }
      if (!FLAGS.containsKey(flag)) {
        throw new UsageException("unknown argument " + arg + "; " + USAGE);
      }
      if (value == null) {
        if (i + 1 >= args.length) {
          throw new UsageException("missing value for " + flag + "; " + USAGE);
        }
        value = args[++i];
      }
      given.put(flag, value);
    }
    Function<String, String> setting =
        flag -> {
          String value = given.get(flag);
          if (value == null) {
            value = env.apply(FLAGS.get(flag));
          }
          return value == null || value.isBlank() ? null : value.trim();
        };
    String portText = setting.apply("--port");
    int port = 8080;
    if (portText != null) {
      try {
        port = Integer.parseInt(portText);
      } catch (NumberFormatException e) {
        throw new UsageException("invalid port '" + portText + "': expected a number from 0 to 65535");
      }
      if (port < 0 || port > 65535) {
        throw new UsageException("invalid port " + port + ": expected a number from 0 to 65535");
      }
    }
    String config = setting.apply("--config");
    String dataDir = setting.apply("--data-dir");
    String host = setting.apply("--host");
    String dbUrl = setting.apply("--db-url");
    if (dbUrl != null && !dbUrl.startsWith("jdbc:postgresql:") && !dbUrl.startsWith("jdbc:h2:")
        && !dbUrl.startsWith("jdbc:sqlite:")) {
      throw new UsageException("invalid --db-url '" + dbUrl
          + "': expected jdbc:postgresql://…, jdbc:h2:… or jdbc:sqlite:FILE");
    }
    String nodeId = setting.apply("--node-id");
    return new Settings(
        config == null ? null : Path.of(config),
        port,
        host == null ? "0.0.0.0" : host,
        Path.of(dataDir == null ? "data" : dataDir),
        dbUrl,
        setting.apply("--db-user"),
        setting.apply("--db-password"),
        nodeId == null ? "1" : nodeId);
  }
}
