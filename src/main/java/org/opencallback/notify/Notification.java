package org.opencallback.notify;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One message for a customer's device.
 *
 * @param id the callback's id
 * @param event the event, e.g. {@code _cbe_on_service_create}
 * @param message the text, placeholders filled
 * @param state the callback's state when it was sent
 */
public record Notification(String id, String event, String message, String state) {
  /** The JSON body: {@code {"_id","event","message","_callback_state"}}. */
  public Map<String, Object> body() {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("_id", id);
    body.put("event", event);
    body.put("message", message);
    body.put("_callback_state", state);
    return body;
  }
}
