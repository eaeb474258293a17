package org.opencallback.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A TCP proxy on loopback between a node and its database, which a test can cut as a network
 * partition does: {@link #cut} resets every connection through it and refuses new ones (accepted,
 * then closed at once) until {@link #restore}. Thread-safe.
 */
final class TcpCable implements AutoCloseable {
  private final ServerSocket server;
  private final int target;
  /** Both ends of every open connection; removed when a connection ends (a test's pool: a few dozen). */
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  /** Two pumps per connection and the acceptor; threads end with their connection. */
  private final ExecutorService threads = Executors.newCachedThreadPool(runnable -> {
    Thread thread = new Thread(runnable, "tcp-cable");
    thread.setDaemon(true);
    return thread;
  });
  private volatile boolean cut;

  private TcpCable(ServerSocket server, int target) {
    this.server = server;
    this.target = target;
  }

  /** A cable to {@code 127.0.0.1:target}, listening on a free loopback port. */
  static TcpCable to(int target) throws IOException {
    TcpCable cable = new TcpCable(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), target);
    cable.threads.execute(cable::accept);
    return cable;
  }

  int port() {
    return server.getLocalPort();
  }

  /** Resets every connection and refuses new ones. */
  void cut() {
    cut = true;
    for (Socket socket : open) {
      close(socket);
    }
  }

  void restore() {
    cut = false;
  }

  private void accept() {
    while (!server.isClosed()) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        return;
      }
      if (cut) {
        close(client);
        continue;
      }
      try {
        Socket upstream = new Socket(InetAddress.getLoopbackAddress(), target);
        open.add(client);
        open.add(upstream);
        threads.execute(() -> pump(client, upstream));
        threads.execute(() -> pump(upstream, client));
      } catch (IOException e) {
        close(client);
      }
    }
  }

  private void pump(Socket from, Socket to) {
    byte[] buffer = new byte[16 * 1024];
    try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
      int read;
      while (!cut && (read = in.read(buffer)) >= 0) {
        out.write(buffer, 0, read);
        out.flush();
      }
    } catch (IOException e) {
      // the connection ended (or was cut)
    } finally {
      close(from);
      close(to);
    }
  }

  private void close(Socket socket) {
    open.remove(socket);
    try {
      socket.setSoLinger(true, 0); // a reset, as a broken network gives, not an orderly close
      socket.close();
    } catch (IOException e) {
      // closed already
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    cut();
    threads.shutdownNow();
  }
}
