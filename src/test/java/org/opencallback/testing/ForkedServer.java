package org.opencallback.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** The server's main class in its own JVM, as a user starts it; for crash, signal and exit-code tests. */
public final class ForkedServer implements AutoCloseable {
  private static final java.net.http.HttpClient CLIENT =
      java.net.http.HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final Process process;
  private final List<String> output = Collections.synchronizedList(new ArrayList<>());
  private final CountDownLatch listening = new CountDownLatch(1);
  private final int port;
  private final Thread reader;

  private ForkedServer(Process process, int port) {
    this.process = process;
    this.port = port;
    this.reader = new Thread(this::read, "forked-server-output");
    reader.setDaemon(true);
    reader.start();
  }

  /** Runs {@code Main} with these arguments in {@code workDir}. */
  public static ForkedServer start(Path workDir, int port, String... args) {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        // the production log configuration: the test one (WARN) would hide the "listening" line
        "-Xmx256m", "-Dlogback.configurationFile=logback.xml",
        // C1 only: a forked server lives seconds; without C2 it listens in about half the time on a busy
        // 2-core machine (2.8 s instead of 6.4 s measured). No test asserts anything that needs C2.
        "-XX:TieredStopAtLevel=1",
        "-cp", System.getProperty("java.class.path"), "org.opencallback.app.Main"));
    command.addAll(List.of(args));
    try {
      Process process = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true).start();
      return new ForkedServer(process, port);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A distinct valid customer number for each {@code i} below 7,000,000 ({@code +1617}, exchange
   * 200-899): the load of the crash and stop tests, one caller each, so no throttle binds.
   */
  public static String customerNumber(int i) {
    return "+1617" + (200 + i / 10_000 % 700) + String.format("%04d", i % 10_000);
  }

  /**
   * POSTs a start request for {@code service} with the JSON {@code body}, as a client under load
   * does (20 s time-out).
   *
   * @return the {@code _id} answered with 200, or null: refused, or the server is stopping or gone
   */
  public String startCallback(String service, String body) {
    try {
      java.net.http.HttpResponse<String> response = CLIENT.send(
          java.net.http.HttpRequest.newBuilder(java.net.URI.create(base() + "/genesys/1/service/callback/" + service))
              .header("Content-Type", "application/json")
              .timeout(Duration.ofSeconds(20))
              .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body))
              .build(),
          java.net.http.HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 ? TestServer.JSON.readTree(response.body()).get("_id").asText() : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void read() {
    try (BufferedReader reader = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        output.add(line);
        // the text line, or the JSON one ([server] log-format json: message pattern, "/" escaped)
        if (line.contains("OpenCallback listening on http")) {
          listening.countDown();
        }
      }
    } catch (IOException e) {
      // process ended
    }
  }

  /** Waits for the "listening" log line. */
  public boolean awaitListening(Duration timeout) throws InterruptedException {
    return listening.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  public int port() {
    return port;
  }

  public String base() {
    return "http://127.0.0.1:" + port;
  }

  public Process process() {
    return process;
  }

  public List<String> output() {
    synchronized (output) {
      return List.copyOf(output);
    }
  }

  /** Waits for the process to end and its output to be read; the exit code, or -1 on time-out. */
  public int waitForExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      return -1;
    }
    reader.join(5000);
    return process.exitValue();
  }

  /** SIGKILL, as kill -9. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  /** SIGTERM; returns the exit code, or -1 if it did not exit in time. */
  public int terminate(Duration timeout) throws InterruptedException {
    process.destroy();
    return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
  }
}
