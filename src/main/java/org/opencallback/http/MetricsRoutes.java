package org.opencallback.http;

import io.javalin.config.RoutesConfig;
import org.opencallback.observability.Metrics;

/** {@code GET /metrics}: every meter in the Prometheus text format; never asks for credentials. */
public final class MetricsRoutes implements Routes {
  private final Metrics metrics;

  public MetricsRoutes(Metrics metrics) {
    this.metrics = metrics;
  }

  @Override
  public void register(RoutesConfig routes) {
    routes.get("/metrics", ctx -> ctx.contentType(Metrics.CONTENT_TYPE).result(metrics.scrape()));
  }
}
