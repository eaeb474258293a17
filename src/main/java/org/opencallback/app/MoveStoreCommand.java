package org.opencallback.app;

import ch.qos.logback.classic.Level;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.opencallback.store.Database;
import org.opencallback.store.StoreMove;
import org.slf4j.LoggerFactory;

/**
 * {@code move-store --from URL --to URL} or {@code move-store --data-dir DIR} (the data directory's
 * H2 store into {@code DIR/opencallback.sqlite}): opens the source through {@link Database} (so an
 * older schema is migrated first, exactly as starting this version on it would, and a newer one is
 * refused), creates and migrates the target the same way, then {@link StoreMove} copies and
 * verifies. Prints one summary line on stdout and exits 0, or one line on stderr and exits 2.
 * docs/upgrading.md.
 */
final class MoveStoreCommand {
  static final String USAGE = "usage: java -jar opencallback.jar move-store --from URL --to URL"
      + " [--from-user U] [--from-password P] [--to-user U] [--to-password P] | move-store --data-dir DIR";
  private static final Set<String> FLAGS = Set.of(
      "--from", "--to", "--data-dir", "--from-user", "--from-password", "--to-user", "--to-password");
  /** H2's error code for a database file another process holds (DATABASE_ALREADY_OPEN_1). */
  private static final int H2_IN_USE = 90020;
  /** H2's error code for IFEXISTS=TRUE and no such database (REMOTE_DATABASE_NOT_FOUND_1). */
  private static final int H2_NOT_FOUND = 90146;

  private MoveStoreCommand() {}

  /** A refusal, in one line. */
  static final class Refused extends Exception {
    private static final long serialVersionUID = 1L;

    Refused(String message) {
      super(message);
    }
  }

  /** Runs the command; the exit code. */
  static int run(List<String> args, PrintStream out, PrintStream err) {
    // the summary is the command's output: the libraries' start-up lines (pool, Flyway) are not
    ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(Level.WARN);
    try {
      out.println(move(parse(args)));
      return 0;
    } catch (Refused e) {
      err.println("opencallback: move-store: " + e.getMessage());
      return Main.EXIT_USAGE;
    }
  }

  static Map<String, String> parse(List<String> args) throws Refused {
    Map<String, String> given = new HashMap<>();
    for (int i = 0; i < args.size(); i++) {
      String flag = args.get(i);
      String value = null;
      int equals = flag.indexOf('=');
      if (flag.startsWith("--") && equals > 0) {
        value = flag.substring(equals + 1);
        flag = flag.substring(0, equals);
      }
      if (!FLAGS.contains(flag)) {
        throw new Refused("unknown argument " + args.get(i) + "; " + USAGE);
      }
      if (value == null) {
        if (i + 1 >= args.size()) {
          throw new Refused("missing value for " + flag + "; " + USAGE);
        }
        value = args.get(++i);
      }
      if (value.isBlank() || given.put(flag, value.trim()) != null) {
        throw new Refused("give " + flag + " once, with a value; " + USAGE);
      }
    }
    boolean urls = given.containsKey("--from") && given.containsKey("--to");
    if (given.containsKey("--data-dir") ? given.size() != 1 : !urls) {
      throw new Refused(USAGE);
    }
    return given;
  }

  private static String move(Map<String, String> given) throws Refused {
    String dataDir = given.get("--data-dir");
    Path createdFile = null;
    String from = given.get("--from");
    String to = given.get("--to");
    if (dataDir != null) {
      Path dir = Path.of(dataDir);
      if (!Files.isRegularFile(dir.resolve(EmbeddedStoreChoice.H2_FILE))) {
        throw new Refused("no H2 store in " + dir.toAbsolutePath() + " (" + EmbeddedStoreChoice.H2_FILE + ")");
      }
      from = EmbeddedStoreChoice.h2Url(dir);
      to = EmbeddedStoreChoice.sqliteUrl(dir);
      Path target = dir.resolve(EmbeddedStoreChoice.SQLITE_FILE);
      createdFile = Files.exists(target) ? null : target;
    }
    check(from, "--from");
    check(to, "--to");
    if (from.equals(to)) {
      throw new Refused("--from and --to name the same store");
    }
    long start = System.nanoTime();
    try {
      try (Database source = open(sourceUrl(from), given.get("--from-user"), given.get("--from-password"), "source");
          Database target = open(to, given.get("--to-user"), given.get("--to-password"), "target")) {
        List<StoreMove.Moved> moved = StoreMove.move(source, target);
        createdFile = null;
        return summary(moved, redact(from), redact(to), (System.nanoTime() - start) / 1e9);
      } catch (StoreMove.MoveException e) {
        throw new Refused(e.getMessage());
      }
    } finally {
      if (createdFile != null) {
        removeCreated(createdFile);
      }
    }
  }

  private static void check(String url, String flag) throws Refused {
    String lower = url.toLowerCase(Locale.ROOT);
    if (!lower.startsWith("jdbc:postgresql:") && !lower.startsWith("jdbc:h2:") && !lower.startsWith("jdbc:sqlite:")) {
      throw new Refused("invalid " + flag + " '" + redact(url) + "': expected jdbc:postgresql://…, jdbc:h2:… or jdbc:sqlite:FILE");
    }
    if (lower.startsWith("jdbc:h2:mem:") || lower.contains(":memory:")) {
      throw new Refused("invalid " + flag + " '" + redact(url) + "': an in-memory database is gone when the command ends");
    }
    try {
      DriverManager.getDriver(url);
    } catch (SQLException e) {
      throw new Refused("this build has no database driver for " + flag + " '" + redact(url) + "'");
    }
  }

  /** The source is never created: H2 is told so; a SQLite file must exist. */
  private static String sourceUrl(String url) throws Refused {
    String lower = url.toLowerCase(Locale.ROOT);
    if (lower.startsWith("jdbc:h2:") && !lower.contains("ifexists=")) {
      return url + ";IFEXISTS=TRUE";
    }
    if (lower.startsWith("jdbc:sqlite:") && !lower.startsWith("jdbc:sqlite:file:")) {
      String file = url.substring("jdbc:sqlite:".length()).split("\\?", 2)[0];
      if (!Files.isRegularFile(Path.of(file))) {
        throw new Refused("the source store " + file + " does not exist");
      }
    }
    return url;
  }

  private static Database open(String url, String user, String password, String role) throws Refused {
    try {
      return Database.open(url, user, password, 2);
    } catch (RuntimeException e) {
      for (Throwable cause = e; cause != null; cause = cause.getCause()) {
        String message = String.valueOf(cause.getMessage());
        if ((cause instanceof SQLException sql && sql.getErrorCode() == H2_IN_USE)
            // the SQLite store's lock file (branch sqlite, SqlitePools.lockFile)
            || message.contains("is in use by another OpenCallback")) {
          throw new Refused("the " + role + " store " + redact(url) + " is in use by a running server (its file is"
              + " locked): stop the server first");
        }
        if (cause instanceof SQLException sql && sql.getErrorCode() == H2_NOT_FOUND) {
          throw new Refused("the " + role + " store " + redact(url) + " does not exist");
        }
      }
      throw new Refused(role + ": " + e.getMessage());
    }
  }

  private static String summary(List<StoreMove.Moved> moved, String from, String to, double seconds) {
    long callbacks = moved.stream().filter(table -> table.table().equals("callback")).mapToLong(StoreMove.Moved::rows)
        .sum();
    return String.format(Locale.ROOT, "moved %d callback(s) from %s to %s in %.1f s; %d tables, row counts and"
        + " checksums identical: %s", callbacks, from, to, seconds, moved.size(),
        moved.stream().map(table -> table.table() + "=" + table.rows()).collect(Collectors.joining(" ")));
  }

  /** A SQLite store this command created and could not fill: a server must not open it instead of H2. */
  private static void removeCreated(Path file) {
    for (String suffix : List.of("", "-wal", "-shm", "-journal", ".lock")) {
      try {
        Files.deleteIfExists(Path.of(file + suffix));
      } catch (IOException e) {
        // reported by the refusal's line already; a leftover lock or journal file is harmless
      }
    }
  }

  private static String redact(String url) {
    return url.replaceAll("(?i)(password=)[^;&]*", "$1***");
  }
}
