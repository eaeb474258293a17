package org.opencallback.engine.builtin;

import java.util.Map;

/**
 * Something an agent's desktop is told, as GMS's UserEvents: {@code CallbackInvitationEvent},
 * {@code CallbackConnectedEvent}, {@code CallbackEndedEvent}, {@code CallbackDispositionEvent},
 * {@code CallbackCancelledEvent}, and OpenCallback's {@code AgentStateEvent}.
 *
 * @param type the event's name
 * @param data its body (a JSON object)
 */
public record AgentEvent(String type, Map<String, Object> data) {
  public static final String INVITATION = "CallbackInvitationEvent";
  public static final String CONNECTED = "CallbackConnectedEvent";
  public static final String ENDED = "CallbackEndedEvent";
  public static final String DISPOSITION = "CallbackDispositionEvent";
  public static final String CANCELLED = "CallbackCancelledEvent";
  public static final String STATE = "AgentStateEvent";

  public AgentEvent {
    data = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(data));
  }
}
