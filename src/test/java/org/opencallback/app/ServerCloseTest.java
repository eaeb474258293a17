package org.opencallback.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencallback.http.HttpServer;
import org.opencallback.store.Database;
import org.opencallback.store.Dialect;

/**
 * {@link Server#close} with a store write in flight on the background (housekeeping) thread, on the
 * embedded H2 store: the write ends, every commit it was told of is in the file afterwards, and H2
 * never saw an interrupt (one that reaches H2 in its file I/O closes its file channel, and every
 * later commit of the server is lost). Before the fix, close() interrupted the thread at once
 * ({@code shutdownNow}): the task was interrupted after a few commits and this failed.
 */
class ServerCloseTest {
  private static final int WRITES = 1_000;

  @Test
  void close_lets_a_store_write_in_flight_end_and_every_commit_is_kept(@TempDir Path dir) throws Exception {
    String url = Database.embeddedUrl(dir, Dialect.H2);
    Database database = Database.open(url, null, null, 2);
    try (Connection connection = database.dataSource().getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE TABLE close_probe (n INT PRIMARY KEY)");
    }
    ScheduledExecutorService background = Executors.newSingleThreadScheduledExecutor(Server.daemon("housekeeping"));
    CountDownLatch writing = new CountDownLatch(1);
    AtomicInteger committed = new AtomicInteger();
    AtomicReference<Throwable> failed = new AtomicReference<>();
    background.execute(() -> {
      try (Connection connection = database.dataSource().getConnection();
          PreparedStatement insert = connection.prepareStatement("INSERT INTO close_probe VALUES (?)")) {
        for (int n = 0; n < WRITES; n++) {
          // auto-commit, WRITE_DELAY=0: each insert is written to the file before it returns
          insert.setInt(1, n);
          insert.executeUpdate();
          committed.incrementAndGet();
          writing.countDown();
          if (Thread.currentThread().isInterrupted()) {
            // what reaches H2's file channel when it is in I/O, and closes it
            throw new IllegalStateException("interrupted after " + committed.get() + " commits");
          }
        }
      } catch (Throwable e) {
        failed.set(e);
      }
    });
    Server server = new Server(database, new HttpServer("127.0.0.1", 0, new ObjectMapper(), List.of()), null,
        background, "127.0.0.1", null, List.of(), null);
    assertThat(writing.await(30, TimeUnit.SECONDS)).isTrue();

    server.close();

    assertThat(failed.get()).as("the write in flight when the server stopped").isNull();
    assertThat(committed).hasValue(WRITES);
    Database reopened = Database.open(url, null, null, 2);
    try (Connection connection = reopened.dataSource().getConnection();
        Statement statement = connection.createStatement();
        ResultSet count = statement.executeQuery("SELECT COUNT(*) FROM close_probe")) {
      count.next();
      assertThat(count.getInt(1)).as("commits in the file after the stop").isEqualTo(WRITES);
    } finally {
      reopened.close();
    }
  }
}
