package org.opencallback.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;
import org.opencallback.callback.CallbackService;
import org.opencallback.config.Configuration;
import org.opencallback.scheduling.ServicePauses;

/**
 * Admin API: pause and resume a callback service ({@code POST
 * /genesys/1/admin/callback/services/{svc}/pause} and {@code …/resume}, {@code GET …/pause} for the
 * state). Under {@code /genesys/1/admin/}, so protected like the rest of the admin API.
 */
public final class PauseRoutes implements Routes {
  static final String BASE = "/genesys/1/admin/callback/services/{svc}";

  private final java.util.function.Supplier<Configuration> config;
  private final CallbackService callbacks;
  private final ServicePauses pauses;
  private final ObjectMapper json;

  public PauseRoutes(
      java.util.function.Supplier<Configuration> config, CallbackService callbacks, ServicePauses pauses, ObjectMapper json) {
    this.config = config;
    this.callbacks = callbacks;
    this.pauses = pauses;
    this.json = json;
  }

  @Override
  public void register(RoutesConfig routes) {
    routes.post(BASE + "/pause", ctx -> {
      pauses.pause(service(ctx));
      respond(ctx);
    });
    routes.post(BASE + "/resume", ctx -> {
      pauses.resume(service(ctx));
      respond(ctx);
    });
    routes.get(BASE + "/pause", this::respond);
  }

  private String service(Context ctx) {
    return callbacks.service(config.get(), ctx.pathParam("svc")).name();
  }

  private void respond(Context ctx) {
    String service = service(ctx);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("service", service);
    body.put("paused", pauses.isPaused(service));
    body.put("pausedByAdmin", pauses.pausedByAdmin().contains(service));
    pauses.pausedBy(service).ifPresent(list -> body.put("pausedByList", list));
    Responses.json(ctx, json, body);
  }
}
