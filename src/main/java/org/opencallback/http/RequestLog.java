package org.opencallback.http;

import io.javalin.http.Context;
import io.javalin.router.Endpoint;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * After every request: one access-log line on {@value #LOGGER} (method, path without the query
 * string, status, milliseconds, client address) and the {@code http.server.requests} timer by
 * method, route template and status. Thread-safe.
 */
public final class RequestLog {
  public static final String LOGGER = "opencallback.access";
  public static final String TIMER = "http.server.requests";
  /** Route tag of a request that matched no route (keeps the series bounded). */
  static final String NO_ROUTE = "NOT_FOUND";
  private static final Logger ACCESS = LoggerFactory.getLogger(LOGGER);

  private final MeterRegistry registry;

  public RequestLog(MeterRegistry registry) {
    this.registry = registry;
  }

  void completed(Context ctx, Float millis) {
    int status = ctx.status().getCode();
    double ms = millis == null ? 0 : millis;
    Timer.builder(TIMER)
        .description("HTTP requests by route template and status")
        .tag("method", ctx.method().name())
        .tag("uri", route(ctx))
        .tag("status", String.valueOf(status))
        .register(registry)
        .record((long) (ms * 1_000_000), TimeUnit.NANOSECONDS);
    ACCESS.info("{} {} {} {}ms {}", ctx.method().name(), ctx.path(), status, Math.round(ms), ctx.ip());
  }

  /** The route template the request matched, e.g. {@code /genesys/1/service/callback/{svc}}; {@value #NO_ROUTE} if none. */
  static String route(Context ctx) {
    try {
      Endpoint endpoint = ctx.endpoints().matchedHttpEndpoint();
      return endpoint == null || endpoint.path == null || endpoint.path.isEmpty() ? NO_ROUTE : endpoint.path;
    } catch (RuntimeException e) {
      return NO_ROUTE;
    }
  }
}
