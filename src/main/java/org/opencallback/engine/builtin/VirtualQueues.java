package org.opencallback.engine.builtin;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * This node's virtual queues: the callbacks waiting for an agent, by queue name, and their order.
 * Not thread-safe: used only under the {@link BuiltinEngine}'s lock.
 */
final class VirtualQueues {
  /** Bound: the jobs waiting in this engine; a queue's entry goes with its last job. */
  private final Map<String, Set<Job>> queues = new HashMap<>();

  /** Into its queue (kept in arrival order; {@link Job#order} ranks them). */
  void add(Job job) {
    queues.computeIfAbsent(job.scenario.queue(), q -> new LinkedHashSet<>()).add(job);
  }

  /** Out of its queue, if it was in it. */
  void remove(Job job) {
    Set<Job> queue = queues.get(job.scenario.queue());
    if (queue != null) {
      queue.remove(job);
      if (queue.isEmpty()) {
        queues.remove(job.scenario.queue());
      }
    }
  }

  /** The 1-based place of a callback in its queue at {@code now}; empty when it is not in it. */
  Optional<Integer> position(Job job, Instant now) {
    Set<Job> queue = queues.getOrDefault(job.scenario.queue(), Set.of());
    if (!queue.contains(job)) {
      return Optional.empty();
    }
    Comparator<Job> order = Job.order(now);
    int ahead = 0;
    for (Job other : queue) {
      if (other != job && order.compare(other, job) < 0) {
        ahead++;
      }
    }
    return Optional.of(ahead + 1);
  }

  /** How many callbacks wait in {@code queue}. */
  int size(String queue) {
    return queues.getOrDefault(queue, Set.of()).size();
  }

  /** How many callbacks wait in each queue, by queue name. */
  Map<String, Integer> sizes() {
    Map<String, Integer> sizes = new java.util.TreeMap<>();
    queues.forEach((queue, waiting) -> sizes.put(queue, waiting.size()));
    return sizes;
  }

  /** Every waiting callback, of every queue, unordered. */
  List<Job> all() {
    return all(job -> true);
  }

  /**
   * The waiting callbacks that pass {@code filter}, of every queue, unordered: filtered while read,
   * so that a long queue of which few pass is not copied on every match.
   */
  List<Job> all(java.util.function.Predicate<Job> filter) {
    List<Job> waiting = new ArrayList<>();
    for (Set<Job> queue : queues.values()) {
      for (Job job : queue) {
        if (filter.test(job)) {
          waiting.add(job);
        }
      }
    }
    return waiting;
  }

  void clear() {
    queues.clear();
  }
}
