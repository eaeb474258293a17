package org.opencallback.notify;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.opencallback.engine.CallbackOptions;
import org.opencallback.config.Configuration;
import org.opencallback.config.ServiceConfig;
import org.opencallback.domain.Callback;
import org.opencallback.domain.ServerState;
import org.opencallback.domain.CallbackState;
import org.opencallback.domain.Times;
import org.opencallback.store.CallbackStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reminders ({@code _enable_notification_reminder}): {@code _cbe_on_callback_reminder} sent {@code
 * _notification_reminder_buffer} seconds before a callback's desired time — once, across restarts
 * and across nodes.
 *
 * <ul>
 *   <li>Timers are held only for reminders due within the next {@link #HORIZON}: memory does not grow
 *       with the number of callbacks scheduled weeks ahead.
 *   <li>A sweep at start and every {@link #SWEEP} arms the reminders coming into that window from the
 *       store, so a restart (or a callback accepted by another node) loses none. A reminder whose time
 *       passed less than one sweep ago (a restart) still goes out.
 *   <li>Before sending, the reminder is claimed in the store: the callback's {@code
 *       _reminder_sent_for} property is set to the desired time it is for, by a versioned update.
 *       Whoever's update wins sends; a node or a restart finding the property set does not.
 * </ul>
 *
 * Thread-safe.
 */
final class Reminders implements AutoCloseable {
  /** The property recording for which desired time the reminder went out. */
  static final String SENT_FOR = ServerState.REMINDER_SENT_FOR;
  static final Duration HORIZON = Duration.ofMinutes(10);
  static final Duration SWEEP = Duration.ofMinutes(1);
  static final int PAGE = 1_000;
  private static final int CLAIM_ATTEMPTS = 3;
  private static final Logger LOG = LoggerFactory.getLogger(Reminders.class);

  private final Supplier<Configuration> config;
  private final CallbackStore store;
  private final Clock clock;
  private final ScheduledExecutorService timers;
  private final BiConsumer<Callback, ServiceConfig> send;
  /** Bound: SCHEDULED callbacks with reminders due within the sweep; removed when sent, rescheduled or ended. */
  private final Map<String, ScheduledFuture<?>> armed = new ConcurrentHashMap<>();
  private volatile ScheduledFuture<?> sweeping;

  /** @param send sends the reminder of a callback (already claimed) */
  Reminders(Supplier<Configuration> config, CallbackStore store, Clock clock, ScheduledExecutorService timers,
      BiConsumer<Callback, ServiceConfig> send) {
    this.config = config;
    this.store = store;
    this.clock = clock;
    this.timers = timers;
    this.send = send;
  }

  /** Starts the sweep (at once, then every minute). */
  void start() {
    sweeping = timers.scheduleWithFixedDelay(this::sweep, 0, SWEEP.toMillis(), TimeUnit.MILLISECONDS);
  }

  static boolean enabled(ServiceConfig service) {
    return service.options().bool("_enable_notification_reminder", false);
  }

  private static Instant reminderTime(Callback callback, ServiceConfig service) {
    int buffer = Math.max(0, service.options().integer("_notification_reminder_buffer", 300));
    return callback.desiredTime().minusSeconds(buffer);
  }

  private static boolean sent(Callback callback) {
    return Times.format(callback.desiredTime()).equals(String.valueOf(callback.serverState().get(SENT_FOR)));
  }

  /** Arms (or re-arms, after a reschedule) the reminder of a callback that asked for notifications. */
  void arm(Callback callback, ServiceConfig service) {
    cancel(callback.id());
    if (!enabled(service) || sent(callback)) {
      return;
    }
    long delay = Duration.between(clock.instant(), reminderTime(callback, service)).toMillis();
    if (delay < -SWEEP.toMillis() || delay > HORIZON.toMillis()) {
      return; // too late, or the sweep arms it when it comes near
    }
    String id = callback.id();
    Instant desired = callback.desiredTime();
    try {
      // scheduled inside compute: a reminder due at once cannot run (and remove itself) before it is
      // in the map, which would leave it there for good
      armed.compute(id, (key, previous) -> {
        if (previous != null) {
          previous.cancel(false);
        }
        return timers.schedule(() -> due(id, desired), Math.max(0, delay), TimeUnit.MILLISECONDS);
      });
    } catch (RejectedExecutionException e) {
      LOG.debug("Reminder of callback {} not set: shutting down", id);
    }
  }

  void cancel(String id) {
    ScheduledFuture<?> reminder = armed.remove(id);
    if (reminder != null) {
      reminder.cancel(false);
    }
  }

  /** Arms, from the store, the reminders falling due within the horizon that are not armed yet. */
  void sweep() {
    try {
      Instant now = clock.instant();
      for (ServiceConfig service : config.get().services().values()) {
        if (!enabled(service)) {
          continue;
        }
        int buffer = Math.max(0, service.options().integer("_notification_reminder_buffer", 300));
        Instant from = now.plusSeconds(buffer).minus(SWEEP);
        Instant to = now.plusSeconds(buffer).plus(HORIZON);
        // only callbacks that asked for notifications (a _device_os), paged by (desired time, id)
        Instant afterTime = null;
        String afterId = null;
        while (true) {
          List<Callback> page = store.scheduledWithKey(service.name(), "_device_os", from, to, afterTime, afterId,
              PAGE);
          for (Callback callback : page) {
            if (!armed.containsKey(callback.id()) && Notifier.channel(callback).isPresent()) {
              arm(callback, service);
            }
          }
          if (page.size() < PAGE) {
            break;
          }
          Callback last = page.get(page.size() - 1);
          afterTime = last.desiredTime();
          afterId = last.id();
        }
      }
    } catch (RuntimeException e) {
      LOG.warn("Reminder sweep failed (next one in {} s): {}", SWEEP.toSeconds(), e.toString());
    }
  }

  private void due(String id, Instant desired) {
    armed.remove(id);
    try {
      for (int attempt = 0; attempt < CLAIM_ATTEMPTS; attempt++) {
        Optional<Callback> found = store.find(id);
        if (found.isEmpty() || !found.get().desiredTime().equals(desired) || sent(found.get())) {
          return;
        }
        Callback current = found.get();
        CallbackState state = current.state();
        if (state != CallbackState.SCHEDULED && state != CallbackState.QUEUED && state != CallbackState.PAUSED) {
          return;
        }
        Optional<ServiceConfig> service = CallbackOptions.of(config.get(), current);
        if (service.isEmpty()) {
          return;
        }
        Callback claimed = current.withServerState(Map.of(SENT_FOR, Times.format(desired)), clock.instant());
        if (store.update(claimed, current.version(), null)) {
          send.accept(claimed, service.get());
          return;
        }
        // changed meanwhile (another node's claim, an update, a dispatch): look again
      }
      LOG.warn("Reminder of callback {} not sent: it kept changing", id);
    } catch (RuntimeException e) {
      LOG.error("Reminder of callback {} failed", id, e);
    }
  }

  /** How many reminders are armed (for tests and metrics). */
  int armed() {
    return armed.size();
  }

  @Override
  public void close() {
    ScheduledFuture<?> sweep = sweeping;
    if (sweep != null) {
      sweep.cancel(false);
    }
    armed.values().forEach(reminder -> reminder.cancel(false));
    armed.clear();
  }
}
