package org.opencallback.http;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.opencallback.domain.Callback;
import org.opencallback.domain.StateChange;
import org.opencallback.domain.Times;

/**
 * How a callback looks on the wire. The GMS document spells two keys both ways — its option text
 * and lists say {@code _desired_time} and {@code _url}, its response examples {@code desired_time}
 * and {@code url} — so every callback body carries both, with the same values (docs/decisions.md).
 */
final class CallbackJson {
  private CallbackJson() {}

  static String url(String base, Callback callback) {
    return base + "/genesys/1/service/callback/" + callback.service() + "/" + callback.id();
  }

  /**
   * Every property, system fields first, then the server-owned state that is shown (read-only:
   * a request that sends those keys back is ignored for them).
   */
  static Map<String, Object> full(Callback callback, String base) {
    Map<String, Object> body = fixed(callback, base);
    body.put("_time_scheduled", Times.format(callback.timeScheduled()));
    callback.properties().forEach(body::putIfAbsent);
    callback.shownServerState().forEach(body::putIfAbsent);
    return body;
  }

  /**
   * GMS's always-returned keys ({@code _id, _desired_time, _service_name, _callback_state,
   * _expiration_time, _customer_number, _url, _callback_reason} when set, both spellings), plus the
   * listed ones the callback has (the service's lookup keys and {@code returned-keys}).
   */
  static Map<String, Object> summary(Callback callback, String base, List<String> returnedKeys) {
    Map<String, Object> body = fixed(callback, base);
    Map<String, Object> shown = callback.shownServerState();
    for (String key : returnedKeys) {
      String system = callback.systemField(key);
      if (body.containsKey(key)) {
        continue;
      }
      if (system != null && !system.isEmpty()) {
        body.put(key, system);
      } else if (callback.properties().containsKey(key)) {
        body.put(key, callback.properties().get(key));
      } else if (!body.containsKey(key) && shown.containsKey(key)) {
        body.put(key, shown.get(key));
      }
    }
    return body;
  }

  static Map<String, Object> history(StateChange change) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("_callback_state", change.state().name());
    if (change.reason() != null) {
      body.put("_callback_reason", change.reason());
    }
    body.put("time", Times.format(change.at()));
    body.put("source", change.source());
    return body;
  }

  private static Map<String, Object> fixed(Callback callback, String base) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("_id", callback.id());
    body.put("_service_name", callback.service());
    body.put("_callback_state", callback.state().name());
    if (callback.reason() != null) {
      body.put("_callback_reason", callback.reason());
    }
    if (callback.customerNumber() != null) {
      body.put("_customer_number", callback.customerNumber());
    }
    body.put("_desired_time", Times.format(callback.desiredTime()));
    body.put("desired_time", Times.format(callback.desiredTime()));
    body.put("_expiration_time", Times.format(callback.expirationTime()));
    body.put("_url", url(base, callback));
    body.put("url", url(base, callback));
    return body;
  }
}
