package org.opencallback.engine.builtin;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The data of the events the engine sends agents about a callback. Stateless: thread-safe. */
final class AgentEvents {
  private AgentEvents() {}

  static Map<String, Object> callbackData(Job job) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("_id", job.id);
    data.put("_service_name", job.service);
    data.put("_customer_number", job.number);
    return data;
  }

  static Map<String, Object> result(Job job, String result) {
    Map<String, Object> data = callbackData(job);
    data.put("result", result);
    return data;
  }

  /** User data: the properties without a leading underscore. */
  static Map<String, Object> userData(Job job) {
    Map<String, Object> data = new LinkedHashMap<>();
    job.properties.forEach((key, value) -> {
      if (!key.startsWith("_")) {
        data.put(key, value);
      }
    });
    return data;
  }

  /** The {@code _agent_preview_data} keys the callback has, or all its user data when the option is not set. */
  static Map<String, Object> previewData(Job job) {
    List<String> keys = job.scenario.previewData();
    if (keys == null) {
      return userData(job);
    }
    Map<String, Object> data = new LinkedHashMap<>();
    for (String key : keys) {
      if (job.properties.containsKey(key)) {
        data.put(key, job.properties.get(key));
      }
    }
    return data;
  }

  static double seconds(Duration duration) {
    return duration.toMillis() / 1000.0;
  }
}
