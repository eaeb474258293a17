package org.opencallback.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.opencallback.store.Database;

/** A fresh database per call, migrated: in-memory H2, or a SQLite file in a test's directory. */
public final class TestDatabase {
  private TestDatabase() {}

  /** A new SQLite store in a directory of its own, deleted when the JVM ends. */
  public static Database sqlite() {
    try {
      return sqlite(Files.createTempDirectory(SqliteFiles.ROOT, "store-"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Where {@link #sqlite()} puts its files: one directory per JVM, deleted at its end. */
  private static final class SqliteFiles {
    static final Path ROOT = root();

    private static Path root() {
      try {
        Path root = Files.createTempDirectory("opencallback-sqlite-");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
          try (java.util.stream.Stream<Path> files = Files.walk(root)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
          } catch (IOException e) {
            // a temporary directory: the system cleans it in the end
          }
        }));
        return root;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** A new SQLite store in {@code dir} (a test's {@code @TempDir}: SQLite has no shared in-memory pool). */
  public static Database sqlite(Path dir) {
    return Database.open("jdbc:sqlite:" + dir.resolve("test-" + UUID.randomUUID() + ".sqlite"), null, null, 4);
  }

  public static Database h2() {
    return Database.open(
        "jdbc:h2:mem:test-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "", 4);
  }
}
