package org.opencallback.observability;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.opencallback.config.Configuration;
import org.opencallback.domain.Callback;
import org.opencallback.domain.CallbackException;
import org.opencallback.domain.CallbackListener;
import org.opencallback.domain.Times;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reporting events, as GMS reports to its data manager: every accepted, refused and state-changed
 * callback becomes one JSON object, logged on {@value #LOGGER} and handed to the webhook sender.
 * The logged copy leaves out the customer number and a refusal's message unless {@code [server]
 * log-customer-data} is on; the webhook always gets the whole event. Thread-safe; never blocks the request.
 */
public final class ReportingEvents implements CallbackListener {
  public static final String LOGGER = "opencallback.events";
  private static final Logger LOG = LoggerFactory.getLogger(LOGGER);

  private final ObjectMapper json;
  private final Clock clock;
  private final WebhookSender webhook;
  private final Supplier<Configuration> config;

  public ReportingEvents(ObjectMapper json, Clock clock, WebhookSender webhook, Supplier<Configuration> config) {
    this.config = config;
    this.json = json;
    this.clock = clock;
    this.webhook = webhook;
  }

  @Override
  public void created(Callback callback) {
    Map<String, Object> event = event("accepted");
    describe(event, callback);
    event.put("immediate", callback.immediate());
    emit(event);
  }

  @Override
  public void changed(Callback before, Callback after) {
    if (before.state() == after.state() && java.util.Objects.equals(before.reason(), after.reason())) {
      return;
    }
    Map<String, Object> event = event("state_changed");
    describe(event, after);
    event.put("previous_state", before.state().name());
    emit(event);
  }

  @Override
  public void rejected(String service, CallbackException refusal) {
    Map<String, Object> event = event("rejected");
    event.put("_service_name", service);
    event.put("code", refusal.code().code());
    event.put("phrase", refusal.code().phrase());
    event.put("message", refusal.getMessage());
    emit(event);
  }

  private Map<String, Object> event(String name) {
    Map<String, Object> event = new LinkedHashMap<>();
    event.put("event", name);
    event.put("time", Times.format(clock.instant()));
    return event;
  }

  private static void describe(Map<String, Object> event, Callback callback) {
    event.put("_id", callback.id());
    event.put("_service_name", callback.service());
    event.put("_callback_state", callback.state().name());
    if (callback.reason() != null) {
      event.put("_callback_reason", callback.reason());
    }
    if (callback.customerNumber() != null) {
      event.put("_customer_number", callback.customerNumber());
    }
    event.put("_desired_time", Times.format(callback.desiredTime()));
  }

  private void emit(Map<String, Object> event) {
    String text;
    String logged;
    try {
      text = json.writeValueAsString(event);
      if (CallbackLog.customerData(config.get())) {
        logged = text;
      } else {
        Map<String, Object> withoutCustomerData = new LinkedHashMap<>(event);
        withoutCustomerData.remove("_customer_number");
        withoutCustomerData.remove("message");
        logged = json.writeValueAsString(withoutCustomerData);
      }
    } catch (JsonProcessingException e) {
      LOG.warn("Reporting event cannot be written: {}", e.getOriginalMessage());
      return;
    }
    LOG.info(logged);
    webhook.offer(text);
  }
}
