package org.opencallback.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.sse.SseClient;
import io.javalin.http.sse.SseHandler;
import java.util.Map;
import org.opencallback.callback.CallbackService;
import org.opencallback.domain.CallbackException;
import org.opencallback.domain.ErrorCode;
import org.opencallback.notify.EventStreams;
import org.opencallback.notify.MessageFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Customer notifications over server-sent events ({@code _device_os: comet} or {@code sse}), and the
 * bundled message file at GMS's default path. docs/engine.md describes both.
 */
public final class NotificationRoutes implements Routes {
  private static final Logger LOG = LoggerFactory.getLogger(NotificationRoutes.class);
  static final String EVENTS = "/genesys/1/notification/callback/{id}/events";

  private final CallbackService callbacks;
  private final EventStreams streams;
  private final ObjectMapper json;
  private final EventStreamHub hub;

  public NotificationRoutes(CallbackService callbacks, EventStreams streams, ObjectMapper json, EventStreamHub hub) {
    this.callbacks = callbacks;
    this.streams = streams;
    this.json = json;
    this.hub = hub;
  }

  @Override
  public void register(RoutesConfig routes) {
    routes.get(EVENTS, this::events);
    routes.get(MessageFiles.DEFAULT_PATH, ctx -> ctx.contentType("application/json").result(MessageFiles.bundled()));
  }

  private void events(Context ctx) throws Exception {
    String id = ctx.pathParam("id");
    // the place first: stream requests are exempt from load shedding, so the cap bounds this lookup
    EventStreamHub.Reservation place = hub.reserve(ctx);
    try {
      java.util.Optional<org.opencallback.domain.Callback> callback = callbacks.find(id);
      // the stream names no service: the callback's own service's credentials open it
      callback.ifPresent(found -> ServiceAccess.of(ctx).require().accept(found.service()));
      if (callback.isEmpty()) {
        throw new CallbackException(
            ErrorCode.NOT_FOUND, CallbackException.Fault.NOT_FOUND, "Callback " + id + " not found", Map.of("id", id), Map.of());
      }
      new SseHandler(client -> stream(id, client, place)).handle(ctx);
    } catch (Exception | Error e) {
      place.release();
      throw e;
    }
  }

  /** Notifications are only queued here (under the streams' lock); the hub's writers send them. */
  private void stream(String id, SseClient client, EventStreamHub.Reservation place) {
    StreamSubscriber subscriber = place.attach(client, "callback " + id);
    client.onClose(subscriber::close);
    subscriber.offer(null, "callback " + id);
    subscriber.onClose(streams.subscribe(id, notification -> {
      try {
        subscriber.offer(notification.event(), json.writeValueAsString(notification.body()));
      } catch (JsonProcessingException e) {
        LOG.warn("Notification {} of callback {} cannot be written", notification.event(), id, e);
      }
    }));
    client.keepAlive();
  }
}
