package org.opencallback.engine.builtin;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import org.opencallback.domain.CallbackState;

/** One callback inside the engine. Not thread-safe: guarded by the engine's lock. */
final class Job {
  enum Phase {
    /** In its virtual queue, waiting for an agent before the customer is dialed (agent first). */
    WAITING,
    /** An agent is reserved, the customer not dialed yet. */
    RESERVED,
    /** The reserved agent was sent the invitation. */
    PREVIEW,
    /** The customer is being dialed. */
    DIALING,
    /** The customer is on the line and in the virtual queue, waiting for an agent (customer first). */
    CUSTOMER_WAITING,
    /** Customer and agent are talking. */
    CONNECTED,
    /** Waiting before the next dial attempt, or before going back into the queue. */
    RETRY_WAIT,
    /** Its service is paused: out of its queue, not dialed, reported PAUSED. */
    PAUSED,
    /** Left the engine. */
    DONE
  }

  final String id;
  final String service;
  final String number;
  final Map<String, Object> properties;
  final Scenario scenario;
  final Instant queuedAt;
  final Instant expiresAt;
  final long sequence;
  final Set<String> declinedBy = new HashSet<>();
  final List<ScheduledFuture<?>> phaseTimers = new ArrayList<>();
  final List<ScheduledFuture<?>> lifeTimers = new ArrayList<>();

  Phase phase = Phase.WAITING;
  Agent agent;
  int attempts;
  int rejects;
  int epoch;
  CallbackState reported = CallbackState.QUEUED;
  /** Cluster mode: its place in the queue is published in the database (only a claim takes it out). */
  boolean published;
  Dialer.Attempt dialing;

  Job(String id, String service, String number, Map<String, Object> properties, Scenario scenario,
      Instant queuedAt, Instant expiresAt, long sequence) {
    this.id = id;
    this.service = service;
    this.number = number;
    this.properties = properties;
    this.scenario = scenario;
    this.queuedAt = queuedAt;
    this.expiresAt = expiresAt;
    this.sequence = sequence;
  }

  /** {@code _urs_vq_priority}, plus {@code _urs_vq_priority_increment} per interval spent since it was queued. */
  int priority(Instant now) {
    Duration interval = scenario.priorityInterval();
    if (scenario.priorityIncrement() == 0 || interval.isZero()) {
      return scenario.priority();
    }
    long steps = Math.max(0, Duration.between(queuedAt, now).toMillis() / Math.max(1, interval.toMillis()));
    long grown;
    try {
      grown = Math.addExact(scenario.priority(), Math.multiplyExact(steps, (long) scenario.priorityIncrement()));
    } catch (ArithmeticException e) {
      grown = scenario.priorityIncrement() > 0 ? Long.MAX_VALUE : Long.MIN_VALUE; // saturates, never wraps
    }
    return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, grown));
  }

  /**
   * Queue order at {@code now}: higher priority first, then the oldest, then the first submitted.
   * Priorities are compared in reverse, never negated ({@code -Integer.MIN_VALUE} is itself).
   */
  static Comparator<Job> order(Instant now) {
    return Comparator.comparing((Job job) -> job.priority(now), Comparator.reverseOrder())
        .thenComparing(job -> job.queuedAt)
        .thenComparingLong(job -> job.sequence);
  }

  /** Ends the current phase: its timers are cancelled and late ones recognised by the epoch. */
  void enter(Phase next) {
    epoch++;
    phaseTimers.forEach(timer -> timer.cancel(false));
    phaseTimers.clear();
    phase = next;
  }
}
