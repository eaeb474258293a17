package org.opencallback.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.opencallback.engine.CallbackOptions;
import org.opencallback.config.Configuration;
import org.opencallback.config.ServiceConfig;
import org.opencallback.engine.CallbackReporter;
import org.opencallback.outbound.OutboundHttp;
import org.opencallback.outbound.OutboundRefused;
import org.opencallback.scheduling.RetryPolicy;
import org.opencallback.domain.Callback;
import org.opencallback.domain.CallbackListener;
import org.opencallback.domain.CallbackState;
import org.opencallback.domain.CompletionReason;
import org.opencallback.domain.Redact;
import org.opencallback.domain.ServerState;
import org.opencallback.store.CallbackStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Customer notifications ({@code _device_os} / {@code _device_notification_id} in the start request):
 * a message from {@code _notification_message_file} when the callback is accepted, a reminder
 * {@code _notification_reminder_buffer} seconds before its desired time (with {@code
 * _enable_notification_reminder}), when an agent is available (ROUTING) and when it is completed.
 * Channels: {@code httpcb} (POST to the URL given as device id, HTTP 200 needed, {@code
 * _max_notify_delivery_attempts} attempts; the URL is the request's, so it is called only through
 * {@link OutboundHttp}: allow-list and address rules, docs/security.md "Outbound URLs") and {@code comet} / {@code sse} ({@link EventStreams}).
 * A message file that cannot be loaded when the callback is accepted ends it COMPLETED /
 * FAIL_LOAD_MESSAGE_FILE. docs/engine.md describes it.
 *
 * <p>Thread-safe; listener calls return at once (HTTP deliveries are asynchronous; the message file
 * is read on the caller's thread, once per {@link MessageFiles#KEEP}).
 */
public final class Notifier implements CallbackListener, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Notifier.class);
  public static final String ACCEPTED = "_cbe_on_service_create";
  public static final String REMINDER = "_cbe_on_callback_reminder";
  public static final String AGENT_AVAILABLE = "_cbe_on_target_found";
  public static final String COMPLETED = "_cbe_on_service_exit";
  static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final Pattern PLACEHOLDER = Pattern.compile("\\$([A-Za-z0-9_.-]+)\\$");

  enum Channel {
    HTTPCB,
    SSE
  }

  private final Supplier<Configuration> config;
  private final CallbackReporter reporter;
  private final Clock clock;
  private final MessageFiles files;
  private final EventStreams streams;
  private final ObjectMapper json;
  private final ScheduledExecutorService timers;
  private final OutboundHttp outbound;
  private final Reminders reminders;

  /**
   * @param store where reminders are found and claimed
   * @param timers runs reminders and delivery retries
   * @param outbound the checked client {@code httpcb} deliveries go through
   */
  public Notifier(
      Supplier<Configuration> config,
      CallbackReporter reporter,
      CallbackStore store,
      Clock clock,
      MessageFiles files,
      EventStreams streams,
      ObjectMapper json,
      ScheduledExecutorService timers,
      OutboundHttp outbound) {
    this.config = config;
    this.reporter = reporter;
    this.clock = clock;
    this.files = files;
    this.streams = streams;
    this.json = json;
    this.timers = timers;
    this.outbound = outbound;
    this.reminders = new Reminders(config, store, clock, timers, (callback, service) -> send(callback, REMINDER, service));
  }

  /** Starts the reminder sweep (reminders due soon are armed from the store). */
  public void start() {
    reminders.start();
  }

  @Override
  public void created(Callback callback) {
    Optional<ServiceConfig> service = CallbackOptions.of(config.get(), callback);
    if (channel(callback).isEmpty() || service.isEmpty() || !callback.state().isActive()) {
      return;
    }
    try {
      messages(callback, service.get());
    } catch (MessageFileException e) {
      LOG.warn("Callback {}: {}", callback.id(), e.getMessage());
      reporter.report(callback.id(), CallbackState.COMPLETED, CompletionReason.FAIL_LOAD_MESSAGE_FILE.name(),
          Map.of(ServerState.ERROR, String.valueOf(e.getMessage())));
      return;
    }
    send(callback, ACCEPTED, service.get());
    reminders.arm(callback, service.get());
  }

  @Override
  public void changed(Callback before, Callback after) {
    Optional<ServiceConfig> service = CallbackOptions.of(config.get(), after);
    if (channel(after).isEmpty() || service.isEmpty()) {
      return;
    }
    if (!after.state().isActive()) {
      reminders.cancel(after.id());
      if (before.state().isActive() && !CompletionReason.FAIL_LOAD_MESSAGE_FILE.name().equals(after.reason())) {
        send(after, COMPLETED, service.get());
      }
      return;
    }
    if (!before.desiredTime().equals(after.desiredTime())) {
      reminders.arm(after, service.get());
    }
    if (after.state() == CallbackState.ROUTING && before.state() != CallbackState.ROUTING) {
      send(after, AGENT_AVAILABLE, service.get());
    }
  }

  /** The channel a callback asked for, if it is one we have. */
  static Optional<Channel> channel(Callback callback) {
    Object os = callback.properties().get("_device_os");
    if (os == null) {
      return Optional.empty();
    }
    switch (String.valueOf(os).trim().toLowerCase(Locale.ROOT)) {
      case "httpcb":
        return Optional.of(Channel.HTTPCB);
      case "comet":
      case "sse":
        return Optional.of(Channel.SSE);
      default:
        return Optional.empty();
    }
  }

  private static String messageFile(ServiceConfig service) {
    return service.options().string("_notification_message_file", MessageFiles.DEFAULT_PATH);
  }

  /**
   * The callback's messages: a file its request chose goes through the outbound policy at connect
   * time (a name that resolves to a private address is refused there), the operator's does not.
   */
  private Map<String, String> messages(Callback callback, ServiceConfig service) {
    return MessageFiles.chosenByRequest(callback)
        ? files.loadRequested(messageFile(service))
        : files.load(messageFile(service));
  }

  // ------------------------------------------------------------------ sending

  private void send(Callback callback, String event, ServiceConfig service) {
    String text;
    try {
      text = messages(callback, service).get(event);
    } catch (MessageFileException e) {
      LOG.warn("Callback {}: no {} notification: {}", callback.id(), event, e.getMessage());
      return;
    }
    if (text == null) {
      return; // the file has no message for this event
    }
    Notification notification = new Notification(callback.id(), event, fill(text, callback), callback.state().name());
    Channel channel = channel(callback).orElseThrow();
    if (channel == Channel.SSE) {
      streams.publish(notification);
      return;
    }
    Object target = callback.properties().get("_device_notification_id");
    if (target == null || String.valueOf(target).isBlank()) {
      LOG.warn("Callback {}: httpcb notification without _device_notification_id", callback.id());
      return;
    }
    int attempts = Math.max(1, service.options().integer("_max_notify_delivery_attempts", 3));
    deliver(String.valueOf(target).trim(), notification, 1, attempts);
  }

  private void deliver(String url, Notification notification, int attempt, int attempts) {
    byte[] body;
    try {
      body = json.writeValueAsBytes(notification.body());
    } catch (JsonProcessingException e) {
      LOG.warn("Callback {}: notification to {} cannot be sent: {}", notification.id(), Redact.urls(url),
          Redact.urls(e.getMessage()));
      return;
    }
    outbound.post(url, "application/json", body, TIMEOUT).whenComplete((response, failure) -> {
      if (failure == null && response.status() == 200) {
        return;
      }
      if (failure instanceof OutboundRefused) {
        LOG.warn("Callback {}: notification {} not sent, its target is refused: {}",
            notification.id(), notification.event(), failure.getMessage());
        return; // refused by the policy: never retried, never contacted
      }
      String why = failure != null ? String.valueOf(failure.getMessage()) : "HTTP " + response.status();
      if (attempt >= attempts) {
        LOG.warn("Callback {}: notification {} to {} failed {} time(s), the last: {}",
            notification.id(), notification.event(), Redact.urls(url), attempt, Redact.urls(why));
        return;
      }
      Duration delay = policy().delayAfter(attempt);
      try {
        timers.schedule(() -> deliver(url, notification, attempt + 1, attempts), delay.toMillis(), TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException e) {
        LOG.debug("Notification retry dropped: shutting down");
      }
    });
  }

  private RetryPolicy policy() {
    Duration base = config.get().callback().duration("_submit_retry_delay", RetryPolicy.DEFAULT.base());
    return new RetryPolicy(base, RetryPolicy.DEFAULT.cap());
  }

  /** {@code $name$} replaced by the callback's field or property of that name; unknown ones kept. */
  static String fill(String text, Callback callback) {
    Matcher matcher = PLACEHOLDER.matcher(text);
    StringBuilder out = new StringBuilder();
    while (matcher.find()) {
      String value = value(callback, matcher.group(1));
      matcher.appendReplacement(out, Matcher.quoteReplacement(value == null ? matcher.group() : value));
    }
    matcher.appendTail(out);
    return out.toString();
  }

  private static String value(Callback callback, String name) {
    String system = callback.systemField(name);
    if (system != null) {
      return system;
    }
    Object property = callback.properties().get(name);
    return property == null ? null : String.valueOf(property);
  }


  @Override
  public void close() {
    reminders.close();
  }
}
