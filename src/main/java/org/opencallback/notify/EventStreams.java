package org.opencallback.notify;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server-sent-events channel ({@code _device_os: comet} or {@code sse}): web pages subscribe to a
 * callback's notifications. The last {@link #REPLAY} notifications of the last {@link #CALLBACKS}
 * callbacks are kept in memory and replayed to a new subscriber, so a page that subscribes after
 * the start request still gets the "accepted" message. Thread-safe.
 */
public final class EventStreams {
  private static final Logger LOG = LoggerFactory.getLogger(EventStreams.class);
  static final int REPLAY = 20;
  static final int CALLBACKS = 10_000;

  /** Bound: open streams (capped by EventStreamHub); a callback's entry goes with its last subscriber. */
  private final Map<String, List<Consumer<Notification>>> subscribers = new HashMap<>();
  /** Bound: {@link #CALLBACKS} callbacks (least recently used evicted), {@link #REPLAY} notifications each. */
  private final Map<String, Deque<Notification>> recent = new LinkedHashMap<>(16, 0.75f, true) {
    private static final long serialVersionUID = 1L;

    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Deque<Notification>> eldest) {
      return size() > CALLBACKS;
    }
  };

  /** Subscribes to one callback's notifications, past ones first; the result unsubscribes. */
  public synchronized Runnable subscribe(String callbackId, Consumer<Notification> subscriber) {
    for (Notification past : recent.getOrDefault(callbackId, new ArrayDeque<>())) {
      deliver(subscriber, past);
    }
    subscribers.computeIfAbsent(callbackId, id -> new ArrayList<>()).add(subscriber);
    return () -> unsubscribe(callbackId, subscriber);
  }

  private synchronized void unsubscribe(String callbackId, Consumer<Notification> subscriber) {
    List<Consumer<Notification>> list = subscribers.get(callbackId);
    if (list != null) {
      list.remove(subscriber);
      if (list.isEmpty()) {
        subscribers.remove(callbackId);
      }
    }
  }

  /** Sends a notification to the callback's subscribers and keeps it for later ones. */
  public synchronized void publish(Notification notification) {
    Deque<Notification> kept = recent.computeIfAbsent(notification.id(), id -> new ArrayDeque<>());
    kept.addLast(notification);
    while (kept.size() > REPLAY) {
      kept.removeFirst();
    }
    for (Consumer<Notification> subscriber : List.copyOf(subscribers.getOrDefault(notification.id(), List.of()))) {
      deliver(subscriber, notification);
    }
  }

  private static void deliver(Consumer<Notification> subscriber, Notification notification) {
    try {
      subscriber.accept(notification);
    } catch (RuntimeException e) {
      LOG.debug("A subscriber of callback {} failed", notification.id(), e);
    }
  }
}
