package org.opencallback.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.opencallback.callback.CallbackQueries;
import org.opencallback.callback.CallbackService;
import org.opencallback.callback.admission.StartResult;
import org.opencallback.domain.Callback;
import org.opencallback.engine.QueuePosition;
import org.opencallback.domain.CompletionReason;

/** The GMS Callback Services API: start, query, reschedule/update, cancel. */
public final class CallbackRoutes implements Routes {
  private static final String BASE = "/genesys/1/service/callback";

  private final CallbackService callbacks;
  private final CallbackQueries queries;
  private final ObjectMapper json;

  public CallbackRoutes(CallbackService callbacks, CallbackQueries queries, ObjectMapper json) {
    this.callbacks = callbacks;
    this.queries = queries;
    this.json = json;
  }

  @Override
  public void register(RoutesConfig routes) {
    routes.post(BASE + "/{svc}", this::start);
    routes.get(BASE, this::lookupAll);
    routes.get(BASE + "/{svc}", this::lookupService);
    routes.get(BASE + "/{svc}/{id}", this::get);
    routes.get(BASE + "/{svc}/{id}/history", this::history);
    routes.put(BASE + "/{svc}/{id}", this::update);
    routes.delete(BASE + "/{svc}/{id}", this::cancel);
    routes.post("/genesys/1/service/{id}/check-queue-position", this::position);
    routes.get("/genesys/1/service/{id}/check-queue-position", this::position);
  }

  private void start(Context ctx) {
    Map<String, Object> request = RequestParams.read(ctx, json);
    StartResult result = callbacks.start(ctx.pathParam("svc"), request, headers(ctx));
    Map<String, Object> body = new LinkedHashMap<>();
    if (result.immediate()) {
      body.put("_dialog_id", "0");
      body.put("_action", "ConfirmationDialog");
      body.put("_text", "You will receive the call shortly");
      body.put("_ok_title", "Ok");
    }
    body.put("_id", result.callback().id());
    Responses.json(ctx, json, body);
  }

  private void get(Context ctx) {
    Callback callback = callbacks.get(ctx.pathParam("svc"), ctx.pathParam("id"));
    Responses.json(ctx, json, CallbackJson.full(callback, base(ctx)));
  }

  private void history(Context ctx) {
    List<Map<String, Object>> body =
        callbacks.history(ctx.pathParam("svc"), ctx.pathParam("id")).stream()
            .map(CallbackJson::history)
            .toList();
    Responses.json(ctx, json, body);
  }

  private void lookupAll(Context ctx) {
    Map<String, String> params = RequestParams.query(ctx);
    String id = params.get("_id");
    if (id != null) {
      // the older GMS form: GET /genesys/1/service/callback?_id=<id> answers an array
      // a callback of a service whose credentials the request lacks is not there for it
      ServiceAccess access = ServiceAccess.of(ctx);
      List<Map<String, Object>> body = callbacks.find(id.trim()).filter(c -> access.visible().test(c.service()))
          .map(c -> List.of(CallbackJson.full(c, base(ctx)))).orElse(List.of());
      Responses.json(ctx, json, body);
      return;
    }
    respondLookup(ctx, null, params);
  }

  private void lookupService(Context ctx) {
    respondLookup(ctx, ctx.pathParam("svc"), RequestParams.query(ctx));
  }

  private void respondLookup(Context ctx, String service, Map<String, String> params) {
    List<Callback> found = queries.lookup(service, params);
    if (service == null) {
      // across services: each callback by its own service's credentials
      ServiceAccess access = ServiceAccess.of(ctx);
      found = found.stream().filter(c -> access.visible().test(c.service())).toList();
    }
    String base = base(ctx);
    List<Map<String, Object>> body =
        found.stream()
            .map(c -> CallbackJson.summary(c, base, queries.returnedKeys(c.service())))
            .toList();
    Responses.json(ctx, json, body);
  }

  private void update(Context ctx) {
    callbacks.update(ctx.pathParam("svc"), ctx.pathParam("id"), RequestParams.read(ctx, json),
        Authentication.isEngine(ctx));
    Responses.json(ctx, json, Map.of());
  }

  private void cancel(Context ctx) {
    boolean discard = Boolean.parseBoolean(
        RequestParams.query(ctx).getOrDefault("discard_ors_failure", "false").trim());
    callbacks.cancel(ctx.pathParam("svc"), ctx.pathParam("id"), CompletionReason.CANCELLED.name(), "api", discard);
    ctx.status(200);
  }

  /** Request headers, names in lower case. */
  static Map<String, String> headers(Context ctx) {
    Map<String, String> headers = new LinkedHashMap<>();
    ctx.headerMap().forEach((name, value) -> headers.put(name.toLowerCase(java.util.Locale.ROOT), value));
    return headers;
  }

  private void position(Context ctx) {
    // the callback's own service's credentials first (an unknown id is refused by position below)
    callbacks.find(ctx.pathParam("id")).ifPresent(callback -> ServiceAccess.of(ctx).require().accept(callback.service()));
    QueuePosition position = callbacks.position(ctx.pathParam("id"));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("_id", ctx.pathParam("id"));
    body.put("position", position.position());
    body.put("ewt", position.ewt().toMillis() / 1000.0);
    body.put("queue", position.queue());
    Responses.json(ctx, json, body);
  }

  static String base(Context ctx) {
    return ctx.scheme() + "://" + ctx.host();
  }
}
