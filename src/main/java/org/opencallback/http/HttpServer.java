package org.opencallback.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import jakarta.servlet.DispatcherType;
import java.util.EnumSet;
import java.util.List;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.opencallback.domain.CallbackException;
import org.opencallback.domain.ErrorCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The HTTP server: GMS routes, health, and the mapping of every failure to a GMS error body. */
public final class HttpServer {
  private static final Logger LOG = LoggerFactory.getLogger(HttpServer.class);
  /** The {@code [server]} option bounding the requests handled at once. */
  public static final String MAX_CONCURRENT_REQUESTS = ConcurrencyLimit.OPTION;
  /** Its default. */
  public static final int DEFAULT_MAX_CONCURRENT_REQUESTS = ConcurrencyLimit.DEFAULT;
  /** Largest request body accepted, in bytes. */
  public static final long MAX_REQUEST_BYTES = 1_000_000;

  private final Javalin app;
  private final AtomicBoolean ready = new AtomicBoolean(false);
  private final ObjectMapper json;
  private final String host;
  private final TlsConnectors tls;

  /**
   * @param json the server's one ObjectMapper (its read limits are set here)
   * @param routes the endpoint groups, registered in this order
   */
  public HttpServer(String host, int port, ObjectMapper json, List<Routes> routes) {
    this(host, port, json, routes, null);
  }

  /**
   * @param json the server's one ObjectMapper (its read limits are set here)
   * @param routes the endpoint groups, registered in this order
   * @param requestLog told about every finished request (access log, request metrics), or null
   */
  public HttpServer(String host, int port, ObjectMapper json, List<Routes> routes, RequestLog requestLog) {
    this(host, port, json, routes, requestLog, ConcurrencyLimit.DEFAULT);
  }

  /**
   * @param maxConcurrentRequests requests handled at once before others are refused with 503
   *     ({@code [server] max-concurrent-requests}); 0 or less: no limit
   */
  public HttpServer(String host, int port, ObjectMapper json, List<Routes> routes, RequestLog requestLog,
      int maxConcurrentRequests) {
    this(host, port, json, routes, requestLog, maxConcurrentRequests, null);
  }

  /**
   * @param tls HTTPS on {@code port} (and the optional redirect port), or null for plain HTTP
   *     ({@code [server] tls-*}, docs/security.md "TLS")
   */
  public HttpServer(String host, int port, ObjectMapper json, List<Routes> routes, RequestLog requestLog,
      int maxConcurrentRequests, Tls tls) {
    this.host = host;
    this.tls = tls == null ? null : new TlsConnectors(tls);
    this.json = RequestParams.configure(json);
    ConcurrencyLimit limit = new ConcurrencyLimit(maxConcurrentRequests, this.json);
    this.app =
        Javalin.create(
            config -> {
              config.startup.showJavalinBanner = false;
              config.startup.showOldJavalinVersionWarning = false;
              config.http.maxRequestSize = MAX_REQUEST_BYTES;
              config.jetty.host = host;
              config.jetty.port = port;
              if (this.tls != null) {
                // the only connector: Javalin adds its plain-HTTP one only when there is none
                config.jetty.addConnector((server, http) -> this.tls.https(server, http, host, port));
              }
              GmsErrorHandler errors = new GmsErrorHandler(this.json);
              config.jetty.modifyServer(server -> server.setErrorHandler(errors));
              config.jetty.modifyServletContextHandler(context -> {
                context.setErrorHandler(errors);
                if (limit.enabled()) {
                  context.addFilter(new FilterHolder(limit), "/*", EnumSet.of(DispatcherType.REQUEST));
                }
              });
              if (requestLog != null) {
                config.requestLogger.http(requestLog::completed);
              }
              config.routes.get("/health/live", ctx -> Responses.json(ctx, this.json, Map.of("status", "UP")));
              config.routes.get("/health/ready", this::readiness);
              config.routes.before(SecurityHeaders::set);
              config.routes.before(RequestParams::refuseControlCharacters);
              routes.forEach(group -> group.register(config.routes));
              config.routes.exception(CallbackException.class, (e, ctx) -> ErrorBodies.write(ctx, this.json, e));
              config.routes.exception(HttpResponseException.class, (e, ctx) ->
                  ErrorBodies.write(ctx, this.json, ErrorBodies.forStatus(e.getStatus(), message(e))));
              config.routes.exception(Exception.class, this::unexpected);
              config.routes.error(404, "*", ctx -> notFoundRoute(ctx));
              config.routes.error(405, "*", ctx -> notFoundRoute(ctx));
            });
  }

  private void readiness(Context ctx) {
    if (ready.get()) {
      Responses.json(ctx, json, Map.of("status", "UP"));
    } else {
      ctx.status(503);
      Responses.json(ctx, json, Map.of("status", "DOWN"));
    }
  }

  private void notFoundRoute(Context ctx) {
    if (ctx.result() != null && !ctx.result().isEmpty()) {
      return;
    }
    int status = ctx.status().getCode();
    ErrorBodies.write(
        ctx,
        json,
        new HttpRefusal(
            status,
            ErrorCode.INVALID_PARAMETER,
            (status == 405 ? "Method " + ctx.method() + " is not allowed on " : "No such resource: ")
                + ctx.path(),
            Map.of("path", ctx.path())));
  }

  private void unexpected(Exception e, Context ctx) {
    if (clientClosed(e)) {
      // the client went away in the middle of its request body: its fault, and nobody reads the answer
      LOG.info("Client closed the connection during {} {}: {}", ctx.method(), ctx.path(), e.getMessage());
      ErrorBodies.write(ctx, json, ErrorBodies.forStatus(400, "Request body ended early: the client closed the connection"));
      return;
    }
    if (storageFault(e)) {
      // GMS's 50020: the database failed (unreachable, timed out, refused the statement)
      LOG.error("Storage failed on {} {}", ctx.method(), ctx.path(), e);
      ErrorBodies.write(ctx, json, new CallbackException(
          ErrorCode.STORAGE_ERROR, CallbackException.Fault.FAILURE,
          "Error processing callback: the callback store failed, try again later",
          Map.of("message", "storage failure"), Map.of()));
      return;
    }
    LOG.error("Unexpected error on {} {}", ctx.method(), ctx.path(), e);
    String message = e.getClass().getSimpleName();
    ErrorBodies.write(
        ctx,
        json,
        new CallbackException(
            ErrorCode.INTERNAL_ERROR,
            CallbackException.Fault.FAILURE,
            "Error processing callback " + message + " ",
            Map.of("message", message),
            Map.of()));
  }

  /** Whether the failure comes from the database (a JDBC or JDBI error anywhere in its causes). */
  static boolean storageFault(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof java.sql.SQLException || t instanceof org.jdbi.v3.core.JdbiException) {
        return true;
      }
    }
    return false;
  }

  /** Whether the failure is the client closing the connection before its request was read. */
  static boolean clientClosed(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof java.io.EOFException) {
        return true;
      }
    }
    return false;
  }

  private static String message(HttpResponseException e) {
    if (e.getStatus() == 413) {
      return "Request body is larger than " + MAX_REQUEST_BYTES + " bytes";
    }
    return e.getMessage() == null ? "HTTP " + e.getStatus() : e.getMessage();
  }

  /** Starts listening; {@code /health/ready} answers 503 until {@link #ready()} (recovery done). */
  public HttpServer start() {
    app.start();
    if (tls != null) {
      try {
        tls.startRedirect(host, port(), new GmsErrorHandler(json));
      } catch (Exception e) {
        app.stop();
        throw new IllegalStateException("cannot open the HTTPS redirect port: " + e.getMessage(), e);
      }
    }
    return this;
  }

  /** Readiness on: the node has recovered and may take traffic. */
  public void ready() {
    ready.set(true);
  }

  /** The plain-HTTP port that redirects to HTTPS, or -1 when there is none. */
  public int redirectPort() {
    return tls == null ? -1 : tls.redirectPort();
  }

  /** Whether this server speaks HTTPS. */
  public boolean secure() {
    return tls != null;
  }

  public int port() {
    return app.port();
  }

  /** Readiness off: load balancers stop sending new requests. */
  public void notReady() {
    ready.set(false);
  }

  /** Stops taking requests and lets those in flight finish. */
  public void stop() {
    ready.set(false);
    if (tls != null) {
      tls.stopRedirect();
    }
    app.stop();
  }
}
