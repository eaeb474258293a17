package org.opencallback.http;

import java.nio.file.Path;
import java.util.Set;
import org.eclipse.jetty.http.HttpScheme;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Scanner;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Jetty's side of {@link Tls}: the HTTPS connector (an {@link SslContextFactory.Server} loaded from the
 * files), a {@link Scanner} that reloads it when the files change, and the optional plain-HTTP server
 * that answers every request with a 308 to the same path over HTTPS and serves nothing else.
 * Thread-safe after construction.
 */
final class TlsConnectors {
  private static final Logger LOG = LoggerFactory.getLogger(TlsConnectors.class);
  /** How often the certificate files are looked at, in seconds (Jetty's Scanner reports a change once stable). */
  static final int SCAN_SECONDS = 1;
  /** Threads of the redirect server: it only writes redirects (bounded, like every pool). */
  private static final int REDIRECT_THREADS = 8;

  private final Tls tls;
  private final SslContextFactory.Server ssl = new SslContextFactory.Server();
  private Server redirect;

  TlsConnectors(Tls tls) {
    this.tls = tls;
    try {
      tls.apply(ssl);
    } catch (Tls.TlsFileException e) {
      throw new IllegalStateException("[server] " + e.option + ": " + e.getMessage(), e);
    }
    // one certificate for whatever name the client asks for: no SNI needed
    ssl.setSniRequired(false);
  }

  /** The HTTPS connector on {@code host:port}, on Javalin's HTTP configuration. */
  ServerConnector https(Server server, HttpConfiguration javalin, String host, int port) {
    HttpConfiguration https = new HttpConfiguration(javalin);
    https.setSecureScheme(HttpScheme.HTTPS.asString());
    SecureRequestCustomizer secure = new SecureRequestCustomizer();
    secure.setSniHostCheck(false);
    https.addCustomizer(secure);
    ServerConnector connector = new ServerConnector(server,
        new SslConnectionFactory(ssl, HttpVersion.HTTP_1_1.asString()), new HttpConnectionFactory(https));
    connector.setName("https");
    connector.setHost(host);
    connector.setPort(port);
    server.addBean(scanner());
    return connector;
  }

  /** Reloads the certificate when its files change; a file that cannot be read keeps the one in use. */
  private Scanner scanner() {
    Scanner scanner = new Scanner();
    scanner.setScanInterval(SCAN_SECONDS);
    scanner.setReportExistingFilesOnStartup(false);
    for (Path file : tls.files()) {
      scanner.addFile(file.toAbsolutePath());
    }
    scanner.addListener(new Scanner.BulkListener() {
      @Override
      public void pathsChanged(Set<Path> changed) {
        reload();
      }
    });
    return scanner;
  }

  void reload() {
    try {
      ssl.reload(factory -> {
        try {
          tls.apply((SslContextFactory.Server) factory);
        } catch (Tls.TlsFileException e) {
          throw new IllegalStateException("[server] " + e.option + ": " + e.getMessage(), e);
        }
      });
      LOG.info("TLS certificate reloaded from {}", tls.files());
    } catch (Exception e) {
      LOG.warn("TLS certificate not reloaded, the one in use stays: {}", e.getMessage());
    }
  }

  /** Starts the redirect server when {@code [server] tls-redirect-port} is set; {@code httpsPort} as bound. */
  void startRedirect(String host, int httpsPort, GmsErrorHandler errors) throws Exception {
    if (tls.redirectPort() <= 0) {
      return;
    }
    QueuedThreadPool threads = new QueuedThreadPool(REDIRECT_THREADS, 2);
    threads.setName("https-redirect");
    Server server = new Server(threads);
    ServerConnector connector = new ServerConnector(server, 1, 1);
    connector.setName("redirect");
    connector.setHost(host);
    connector.setPort(tls.redirectPort());
    server.addConnector(connector);
    server.setErrorHandler(errors);
    server.setHandler(new Handler.Abstract.NonBlocking() {
      @Override
      public boolean handle(Request request, Response response, Callback callback) {
        String location = HttpURI.build(request.getHttpURI()).scheme(HttpScheme.HTTPS)
            .port(httpsPort == 443 ? -1 : httpsPort).asString();
        Response.sendRedirect(request, response, callback, 308, location, true);
        return true;
      }
    });
    server.start();
    redirect = server;
  }

  /** The redirect server's port, or -1 when there is none. */
  int redirectPort() {
    return redirect == null ? -1 : ((ServerConnector) redirect.getConnectors()[0]).getLocalPort();
  }

  void stopRedirect() {
    if (redirect != null) {
      try {
        redirect.stop();
      } catch (Exception e) {
        LOG.warn("Stopping the HTTPS redirect port failed: {}", e.getMessage());
      }
    }
  }
}
