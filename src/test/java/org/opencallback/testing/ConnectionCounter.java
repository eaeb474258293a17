package org.opencallback.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback listener that only counts the connections made to it (and closes them): the proof that a
 * refused outbound target was never contacted. Bound to 127.0.0.1 on a free port.
 */
public final class ConnectionCounter implements AutoCloseable {
  private final ServerSocket socket;
  private final AtomicInteger connections = new AtomicInteger();
  private final Thread acceptor;

  private ConnectionCounter(ServerSocket socket) {
    this.socket = socket;
    this.acceptor = new Thread(this::accept, "connection-counter-" + socket.getLocalPort());
    acceptor.setDaemon(true);
    acceptor.start();
  }

  public static ConnectionCounter start() {
    try {
      return new ConnectionCounter(new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1")));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void accept() {
    while (!socket.isClosed()) {
      try (Socket accepted = socket.accept()) {
        connections.incrementAndGet();
      } catch (IOException e) {
        // closed: the loop ends
      }
    }
  }

  public int port() {
    return socket.getLocalPort();
  }

  /** e.g. http://127.0.0.1:12345 */
  public String url() {
    return "http://127.0.0.1:" + port();
  }

  public int connections() {
    return connections.get();
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // already closed
    }
  }
}
