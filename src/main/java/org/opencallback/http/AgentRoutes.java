package org.opencallback.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.sse.SseClient;
import io.javalin.http.sse.SseHandler;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.opencallback.domain.CallbackException;
import org.opencallback.engine.builtin.AgentDesk;
import org.opencallback.engine.builtin.AgentView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent API of the built-in engine, for real agents' desktops: log in, ready, not ready, log
 * out, the event stream (server-sent events), and the preview and disposition responses.
 * docs/engine.md shows every call. Owners: an agent account as itself, supervisors and admins as
 * any agent ({@link Authentication}, {@link RouteOwners}).
 */
public final class AgentRoutes implements Routes {
  private static final Logger LOG = LoggerFactory.getLogger(AgentRoutes.class);
  static final String BASE = "/genesys/1/engine/agents";

  private final AgentDesk desk;
  private final ObjectMapper json;
  private final EventStreamHub streams;

  public AgentRoutes(AgentDesk desk, ObjectMapper json, EventStreamHub streams) {
    this.desk = desk;
    this.json = json;
    this.streams = streams;
  }

  @Override
  public void register(RoutesConfig routes) {
    // an agent account sees itself only; supervisors and admins every agent (Authentication checked the rest)
    routes.get(BASE, ctx -> Responses.json(ctx, json, desk.agents().stream()
        .filter(agent -> Caller.of(ctx).map(caller -> caller.mayActAs(agent.id())).orElse(false))
        .map(AgentRoutes::body).toList()));
    routes.get(BASE + "/{agent}", ctx -> respond(ctx, desk.agent(agent(ctx))));
    routes.post(BASE + "/{agent}/login", this::login);
    routes.post(BASE + "/{agent}/ready", ctx -> respond(ctx, desk.ready(agent(ctx))));
    routes.post(BASE + "/{agent}/notready", ctx ->
        respond(ctx, desk.notReady(agent(ctx), text(RequestParams.read(ctx, json), "reason"))));
    routes.post(BASE + "/{agent}/logout", ctx -> respond(ctx, desk.logout(agent(ctx))));
    routes.post(BASE + "/{agent}/preview", this::preview);
    routes.post(BASE + "/{agent}/disposition", this::disposition);
    routes.post(BASE + "/{agent}/hangup", ctx -> respond(ctx, desk.hangUp(agent(ctx))));
    routes.get(BASE + "/{agent}/events", this::events);
  }

  private void login(Context ctx) {
    Map<String, Object> body = RequestParams.read(ctx, json);
    respond(ctx, desk.login(agent(ctx), text(body, "name"), services(body.get("services"))));
  }

  private void preview(Context ctx) {
    Map<String, Object> body = RequestParams.read(ctx, json);
    respond(ctx, desk.preview(agent(ctx), required(body, "_id"), required(body, "action")));
  }

  private void disposition(Context ctx) {
    Map<String, Object> body = RequestParams.read(ctx, json);
    respond(ctx, desk.disposition(agent(ctx), required(body, "_id"), required(body, "disposition"), text(body, "notes")));
  }

  /** Server-sent events: one event per agent event, named after its type, data the JSON body. */
  private void events(Context ctx) throws Exception {
    String agent = agent(ctx);
    desk.agent(agent); // 40030 before the stream opens
    String accept = ctx.header("Accept");
    if (accept == null || !accept.toLowerCase(Locale.ROOT).contains("text/event-stream")) {
      throw CallbackException.invalidParameter("The event stream needs the header Accept: text/event-stream");
    }
    EventStreamHub.Reservation place = streams.reserve(ctx);
    try {
      new SseHandler(client -> stream(agent, client, place)).handle(ctx);
    } catch (Exception | Error e) {
      place.release();
      throw e;
    }
  }

  /** Events are only queued here (on the engine's outbox thread); the hub's writers send them. */
  private void stream(String agent, SseClient client, EventStreamHub.Reservation place) {
    StreamSubscriber subscriber = place.attach(client, "agent " + agent);
    client.onClose(subscriber::close);
    subscriber.offer(null, "agent " + agent);
    subscriber.onClose(desk.subscribe(agent, event -> {
      try {
        subscriber.offer(event.type(), json.writeValueAsString(event.data()));
      } catch (JsonProcessingException e) {
        LOG.warn("Event {} for agent {} cannot be written", event.type(), agent, e);
      }
    }));
    client.keepAlive();
  }

  private void respond(Context ctx, AgentView agent) {
    Responses.json(ctx, json, body(agent));
  }

  static Map<String, Object> body(AgentView agent) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("id", agent.id());
    body.put("name", agent.name());
    body.put("simulated", agent.simulated());
    body.put("state", agent.state().name());
    body.put("reason", agent.reason());
    body.put("services", agent.services());
    body.put("callback", agent.callback());
    return body;
  }

  private static String agent(Context ctx) {
    return ctx.pathParam("agent");
  }

  private static String text(Map<String, Object> body, String key) {
    Object value = body.get(key);
    return value == null ? null : String.valueOf(value);
  }

  private static String required(Map<String, Object> body, String key) {
    String value = text(body, key);
    if (value == null || value.isBlank()) {
      throw CallbackException.invalidParameter("Missing parameter " + key);
    }
    return value;
  }

  /** A JSON list or a comma-separated string. */
  private static List<String> services(Object value) {
    List<String> services = new ArrayList<>();
    if (value instanceof Collection) {
      ((Collection<?>) value).forEach(service -> services.add(String.valueOf(service)));
    } else if (value != null) {
      services.addAll(Arrays.asList(String.valueOf(value).split(",")));
    }
    return services;
  }
}
