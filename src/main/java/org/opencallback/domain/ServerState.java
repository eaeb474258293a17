package org.opencallback.domain;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The keys of a callback's server-owned state: the bookkeeping the server and its engines write for
 * themselves. It is stored apart from the request's properties ({@link Callback#serverState()},
 * column {@code server_state}) and no request can set it: start, {@code PUT} and redial drop these
 * keys from what they are given (docs/security.md, "Server-owned state"). Engines write it through
 * {@code engine.CallbackReporter}. Stateless.
 */
public final class ServerState {
  /** ORS engine: the session it started, and the ORS that holds it. */
  public static final String ORS_SESSION_ID = "_ors_session_id";

  public static final String ORS_URL = "_ors_url";
  /** Webhook engine: when the receiver took the callback. */
  public static final String WEBHOOK_DELIVERED_AT = "_webhook_delivered_at";
  /** Set on a callback created with a forced {@code _callback_state}: an external system drives it. */
  public static final String EXTERNAL_LIFECYCLE = "_external_lifecycle";
  /** Reminders: the desired time the reminder was sent for. */
  public static final String REMINDER_SENT_FOR = "_reminder_sent_for";
  /** Built-in engine: the agent's disposition and notes. */
  public static final String DISPOSITION = "_disposition";

  public static final String DISPOSITION_NOTES = "_disposition_notes";
  /** Why the server ended a callback (e.g. its service is not configured, a message file is missing). */
  public static final String ERROR = "_error";

  /** Every server-owned key, including the attempt counters that no version writes yet but that are reserved. */
  public static final Set<String> KEYS =
      Set.of(
          ORS_SESSION_ID, ORS_URL, WEBHOOK_DELIVERED_AT, EXTERNAL_LIFECYCLE, REMINDER_SENT_FOR,
          DISPOSITION, DISPOSITION_NOTES, ERROR,
          "_submit_attempts", "_dispatch_attempts", "_dial_attempts", "_retry_count");

  /** The keys a GET answer shows (read-only), beside the request's properties; the others stay inside. */
  public static final Set<String> SHOWN =
      Set.of(ORS_SESSION_ID, DISPOSITION, DISPOSITION_NOTES, ERROR, WEBHOOK_DELIVERED_AT);

  private ServerState() {}

  /** Whether a request key names server-owned state (and is therefore ignored). */
  public static boolean isServerKey(String key) {
    return KEYS.contains(key);
  }

  /** The request without server-owned keys: what start, PUT and redial may use. */
  public static Map<String, Object> withoutServerKeys(Map<String, Object> request) {
    if (request.keySet().stream().noneMatch(KEYS::contains)) {
      return request;
    }
    Map<String, Object> clean = new LinkedHashMap<>(request);
    clean.keySet().removeAll(KEYS);
    return clean;
  }
}
