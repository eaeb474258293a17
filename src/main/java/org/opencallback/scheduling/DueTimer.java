package org.opencallback.scheduling;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The {@link Dispatcher}'s in-memory timer: SCHEDULED callbacks by due time, each with the version
 * of the row it was read from. An entry is never replaced by one read from an older version (a load
 * racing a reschedule keeps the reschedule). Bound: only callbacks due within the dispatcher's
 * horizon (10 minutes) are held, at most {@code LOAD_LIMIT} per load plus those created meanwhile;
 * an entry leaves when it is claimed, cancelled, or moved beyond the horizon.
 *
 * <p>Not thread-safe: guarded by the dispatcher's lock.
 */
final class DueTimer {
  /** A callback waiting in the timer: its service, due time and the row version they were read at. */
  record Tracked(String id, String service, Instant due, int version) {}

  private record Entry(Instant due, String id) implements Comparable<Entry> {
    @Override
    public int compareTo(Entry other) {
      int byTime = due.compareTo(other.due);
      return byTime != 0 ? byTime : id.compareTo(other.id);
    }
  }

  /** Bound: one entry per tracked callback (see the class comment). */
  private final TreeSet<Entry> order = new TreeSet<>();
  /** Bound: as {@link #order}, the same callbacks. */
  private final Map<String, Tracked> byId = new HashMap<>();

  /**
   * Adds a callback or moves it to a new due time, unless the timer holds a newer version of it.
   *
   * @return whether the timer changed
   */
  boolean offer(Tracked tracked) {
    Tracked held = byId.get(tracked.id());
    if (held != null && (held.version() > tracked.version() || held.equals(tracked))) {
      return false;
    }
    if (held != null) {
      order.remove(new Entry(held.due(), held.id()));
    }
    byId.put(tracked.id(), tracked);
    order.add(new Entry(tracked.due(), tracked.id()));
    return true;
  }

  void remove(String id) {
    Tracked held = byId.remove(id);
    if (held != null) {
      order.remove(new Entry(held.due(), held.id()));
    }
  }

  /** The earliest due time held, or null. */
  Instant first() {
    return order.isEmpty() ? null : order.first().due();
  }

  /** Takes out every entry due at {@code now}, earliest first. */
  List<Tracked> pollDue(Instant now) {
    List<Tracked> due = new ArrayList<>();
    while (!order.isEmpty() && !order.first().due().isAfter(now)) {
      due.add(byId.remove(order.pollFirst().id()));
    }
    return due;
  }

  Tracked get(String id) {
    return byId.get(id);
  }

  int size() {
    return order.size();
  }
}
