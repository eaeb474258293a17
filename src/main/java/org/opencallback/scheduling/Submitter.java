package org.opencallback.scheduling;

import org.opencallback.engine.CallbackOptions;
import org.opencallback.engine.CallbackReporter;
import org.opencallback.engine.EngineRegistry;
import org.opencallback.engine.ExecutionEngine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.opencallback.config.Configuration;
import org.opencallback.config.ServiceConfig;
import org.opencallback.domain.Callback;
import org.opencallback.domain.CallbackState;
import org.opencallback.domain.CompletionReason;
import org.opencallback.domain.ServerState;
import org.opencallback.store.CallbackStore;
import org.opencallback.store.GracefulStop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands callbacks to their engine, retrying a failed hand-off with back-off ({@link RetryPolicy},
 * base {@code [callback] _submit_retry_delay}) up to {@code _max_ors_submit_attempts}; then the
 * callback ends COMPLETED / SUBMIT_FAILED.
 *
 * <p>Every service has its own small pool (the dispatcher's worker threads, 4 in the server; idle
 * threads end after 30 s), so an engine or receiver that is slow or down delays only its own
 * service's callbacks. Before each attempt the callback is read again (claimed callbacks: their
 * state and version, one read per chunk of {@link #CHUNK}): one that is no longer QUEUED (cancelled,
 * completed meanwhile) is left alone, so nothing is handed over twice by this class. A callback of a paused service is not handed over: it is reported PAUSED and
 * parked until the service resumes, then reported QUEUED and submitted.
 *
 * <p>Immediate starts are handed over on their own capacity ({@link InRequestHandOff}). An
 * in-request hand-off that has no answer within its budget has an unknown outcome, not a failed
 * one: the callback stays QUEUED, the start answers 200, and the attempt goes on in the background
 * (a failure then is retried there). Every id being handed over is marked ({@link #handingOver}):
 * no second hand-off (recovery, a resume, a reschedule) starts while the mark is held, and the mark
 * is dropped only once the outcome is stored. Engines are told the callback's {@code _id} is the
 * idempotency key of its hand-off (docs/engine.md).
 *
 * <p>A callback of a service the configuration no longer has is parked (kept QUEUED, logged,
 * counted) and handed over once the service is configured again, never failed.
 *
 * <p>Thread-safe.
 */
final class Submitter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Submitter.class);
  /** Longest an immediate start waits for its hand-off, retries included. */
  static final Duration IN_REQUEST_BUDGET = InRequestHandOff.BUDGET;
  /** Claimed callbacks checked with one read before they are handed over one by one. */
  static final int CHUNK = 50;

  private final Supplier<Configuration> config;
  private final CallbackStore store;
  private final EngineRegistry engines;
  private final CallbackReporter reporter;
  private final ServicePauses pauses;
  private final ScheduledExecutorService retries;
  /**
   * One hand-off pool per service: a slow or dead receiver holds back its own service only. Bound:
   * one per configured service; each queue holds at most the chunks of the callbacks claimed by the
   * dispatcher (whose timer holds at most the next 10 minutes) and retries due.
   */
  private final Map<String, ExecutorService> pools = new HashMap<>();
  /** Callbacks of paused services waiting here, id → service. Bound: purged on resume and on cancel. */
  private final Map<String, String> parked = new ConcurrentHashMap<>();
  /**
   * Callbacks of services no longer configured, id → service. Bound: purged when the service is
   * configured again or the callback is no longer QUEUED ({@link #retryUnknown}); a reload cannot
   * remove a service with active callbacks unless forced.
   */
  private final Map<String, String> unknown = new ConcurrentHashMap<>();
  /**
   * Ids this process is handing over (the mark). Bound: the hand-offs in progress or waiting in a
   * pool or a retry; each leaves when its outcome is stored.
   */
  private final java.util.Set<String> inFlight = ConcurrentHashMap.newKeySet();
  private final InRequestHandOff inRequest = new InRequestHandOff();
  private final java.util.concurrent.atomic.AtomicLong parkedUnknown = new java.util.concurrent.atomic.AtomicLong();
  private final int threadsPerEngine;
  private volatile boolean closed;

  Submitter(
      Supplier<Configuration> config,
      CallbackStore store,
      EngineRegistry engines,
      CallbackReporter reporter,
      ServicePauses pauses,
      int threadsPerEngine) {
    this.threadsPerEngine = threadsPerEngine;
    this.config = config;
    this.store = store;
    this.engines = engines;
    this.reporter = reporter;
    this.pauses = pauses;
    // Bound: one retry waiting per callback marked in flight (the hand-off marks), none after it is handed over
    this.retries = new java.util.concurrent.ScheduledThreadPoolExecutor(1, Dispatcher.daemon("submit-retry"));
  }

  /** Hands a QUEUED callback over in the background, with retries, unless it is being handed over. */
  void submitLater(Callback callback) {
    if (inFlight.add(callback.id())) {
      submitLater(callback.id(), callback.service(), 1, false);
    }
  }

  /**
   * Hands over a QUEUED callback found at start-up (or taken over) without a delivery mark, unless
   * this process is handing it over; read again under the mark, it is left alone if its engine took
   * it meanwhile.
   *
   * @return false when it is being handed over by this process already
   */
  boolean submitRecovered(Callback callback) {
    if (!inFlight.add(callback.id())) {
      return false;
    }
    submitLater(callback.id(), callback.service(), 1, true);
    return true;
  }

  /** Whether this process is handing the callback over now (or will retry it). */
  boolean handingOver(String id) {
    return inFlight.contains(id);
  }

  /** Hand-offs in progress or waiting (the marks held). */
  int handingOver() {
    return inFlight.size();
  }

  /** Callbacks parked because their service is not configured, since the start (a metric). */
  long parkedUnknownTotal() {
    return parkedUnknown.get();
  }

  /** Callbacks waiting for their service to be configured again. */
  int unknownCount() {
    return unknown.size();
  }

  /** Enqueues an attempt of a marked callback; the mark goes when the outcome is known. */
  private void submitLater(String id, String service, int attempt, boolean checkEngine) {
    try {
      pool(service).execute(() -> attemptLater(id, attempt, checkEngine));
    } catch (RejectedExecutionException e) {
      inFlight.remove(id);
      LOG.debug("Hand-off of callback {} not started: shutting down", id);
    }
  }

  private void attemptLater(String id, int attempt, boolean checkEngine) {
    boolean retrying = false;
    try {
      Optional<Callback> current = store.find(id).filter(c -> c.state() == CallbackState.QUEUED);
      if (current.isPresent() && !(checkEngine && takenByEngine(current.get()))) {
        retrying = handOver(current.get(), attempt);
      }
    } catch (RuntimeException e) {
      LOG.error("Hand-off of callback {} failed unexpectedly", id, e);
    } finally {
      if (!retrying) {
        inFlight.remove(id);
      }
    }
  }

  private boolean takenByEngine(Callback callback) {
    Optional<ServiceConfig> service = CallbackOptions.of(config.get(), callback);
    return service.isPresent() && engines.forService(service.get()).handedOver(callback);
  }

  /**
   * Hands over callbacks just claimed (QUEUED), in the background: in chunks of {@link #CHUNK},
   * each checked still QUEUED with one read before its callbacks go to the engine one by one. A
   * burst of thousands thus costs a read per chunk, not per callback.
   */
  void submitClaimed(List<Callback> claimed) {
    Map<String, List<Callback>> byService = new LinkedHashMap<>();
    for (Callback callback : claimed) {
      byService.computeIfAbsent(callback.service(), service -> new ArrayList<>()).add(callback);
    }
    byService.forEach((service, callbacks) -> {
      // claimed here, so no other hand-off holds them; the mark keeps recovery and resumes away
      List<Callback> marked = callbacks.stream().filter(callback -> inFlight.add(callback.id())).toList();
      for (int from = 0; from < marked.size(); from += CHUNK) {
        List<Callback> chunk = List.copyOf(marked.subList(from, Math.min(marked.size(), from + CHUNK)));
        try {
          pool(service).execute(() -> handOverChunk(chunk));
        } catch (RejectedExecutionException e) {
          chunk.forEach(callback -> inFlight.remove(callback.id()));
          LOG.debug("Hand-off of {} callback(s) not started: shutting down", chunk.size());
        }
      }
    });
  }

  private void handOverChunk(List<Callback> chunk) {
    Map<String, Integer> queued;
    try {
      queued = store.versionsInState(chunk.stream().map(Callback::id).toList(), CallbackState.QUEUED);
    } catch (RuntimeException e) {
      LOG.error("Reading the states of {} claimed callback(s) failed; each is read alone", chunk.size(), e);
      chunk.forEach(callback -> attemptLater(callback.id(), 1, false));
      return;
    }
    for (Callback callback : chunk) {
      Integer version = queued.get(callback.id());
      if (version == null) {
        inFlight.remove(callback.id());
        continue; // no longer QUEUED (cancelled meanwhile)
      }
      if (version != callback.version()) {
        attemptLater(callback.id(), 1, false); // changed since the claim: hand over what is stored now
        continue;
      }
      boolean retrying = false;
      try {
        retrying = handOver(callback, 1);
      } catch (RuntimeException e) {
        LOG.error("Hand-off of callback {} failed unexpectedly", callback.id(), e);
      } finally {
        if (!retrying) {
          inFlight.remove(callback.id());
        }
      }
    }
  }

  /**
   * One attempt at handing a QUEUED callback over; a failure is retried later, up to the limit.
   *
   * @return whether a retry was scheduled (the mark stays)
   */
  private boolean handOver(Callback callback, int attempt) {
    String id = callback.id();
    Optional<ServiceConfig> service = serviceOf(callback);
    if (service.isEmpty() || parkIfPaused(callback)) {
      return false;
    }
    try {
      engines.forService(service.get()).submit(callback, service.get());
      if (attempt > 1) {
        LOG.info("Callback {} handed over at attempt {}", id, attempt);
      }
      return false;
    } catch (RuntimeException e) {
      if (closed) {
        return false; // still QUEUED and not handed over: submitted again after the restart
      }
      int max = maxAttempts(service.get());
      if (attempt >= max) {
        LOG.warn("Hand-off of callback {} failed {} time(s), the last: {}", id, attempt, e.getMessage());
        reporter.report(id, CallbackState.COMPLETED, CompletionReason.SUBMIT_FAILED.name(), Map.of());
        return false;
      }
      Duration delay = policy().delayAfter(attempt);
      LOG.info("Hand-off of callback {} failed (attempt {} of {}): {}; next in {}", id, attempt, max, e.getMessage(), delay);
      try {
        retries.schedule(() -> submitLater(id, callback.service(), attempt + 1, false), delay.toMillis(),
            TimeUnit.MILLISECONDS);
        return true;
      } catch (RejectedExecutionException closing) {
        return false;
      }
    }
  }

  /**
   * Hands an immediate callback over now, on its service's in-request capacity, waiting at most
   * {@link #IN_REQUEST_BUDGET}. No answer within it is an unknown outcome: the attempt goes on, the
   * callback stays QUEUED (true); a later failure is retried in the background.
   *
   * @return false when every attempt failed within the budget: the callback is then COMPLETED /
   *     SUBMIT_FAILED
   */
  boolean submitNow(Callback callback) {
    Optional<ServiceConfig> service = serviceOf(callback);
    if (service.isEmpty() || parkIfPaused(callback)) {
      return true;
    }
    if (!inFlight.add(callback.id())) {
      return true; // being handed over already (recovery): stays QUEUED
    }
    ExecutionEngine engine = engines.forService(service.get());
    CompletableFuture<Boolean> outcome;
    try {
      outcome = inRequest.start(callback.service(), maxAttempts(service.get()), policy(), () -> {
        if (store.find(callback.id()).filter(c -> c.state() == CallbackState.QUEUED).isPresent()) {
          engine.submit(callback, service.get());
        }
      }).handle((done, failure) -> concludeNow(callback, failure));
    } catch (RejectedExecutionException e) {
      inFlight.remove(callback.id());
      return true; // shutting down: still QUEUED, handed over after the restart
    }
    try {
      return outcome.get(IN_REQUEST_BUDGET.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      LOG.info("Immediate hand-off of callback {} has no answer within {}: it stays QUEUED, the attempt goes on",
          callback.id(), IN_REQUEST_BUDGET);
      return true;
    } catch (ExecutionException e) {
      LOG.error("Immediate hand-off of callback {} failed unexpectedly", callback.id(), e.getCause());
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return true;
    }
  }

  /** The outcome of an in-request hand-off, stored; whether the callback may still be executed. */
  private boolean concludeNow(Callback callback, Throwable failure) {
    Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
        ? failure.getCause() : failure;
    try {
      if (cause == null) {
        inFlight.remove(callback.id());
        return true;
      }
      if (cause instanceof dev.failsafe.BulkheadFullException || cause instanceof RejectedExecutionException) {
        LOG.info("Immediate hand-off of callback {} found no capacity: handed over in the background", callback.id());
        submitLater(callback.id(), callback.service(), 1, false); // keeps the mark
        return true;
      }
      inFlight.remove(callback.id());
      if (closed) {
        return true; // still QUEUED and not handed over: submitted again after the restart
      }
      LOG.warn("Immediate hand-off of callback {} failed: {}", callback.id(), cause.getMessage());
      reporter.report(callback.id(), CallbackState.COMPLETED, CompletionReason.SUBMIT_FAILED.name(), Map.of());
      return false;
    } catch (RuntimeException e) {
      inFlight.remove(callback.id());
      LOG.error("Storing the outcome of callback {}'s hand-off failed", callback.id(), e);
      return true;
    }
  }

  /** {@code _max_ors_submit_attempts}, at least 1. */
  static int maxAttempts(ServiceConfig service) {
    return Math.max(1, service.options().integer("_max_ors_submit_attempts", 3));
  }

  private RetryPolicy policy() {
    Duration base = config.get().callback().duration("_submit_retry_delay", RetryPolicy.DEFAULT.base());
    return new RetryPolicy(base, RetryPolicy.DEFAULT.cap());
  }

  /** The callback's service; when it is not configured the callback is parked (kept QUEUED). */
  private Optional<ServiceConfig> serviceOf(Callback callback) {
    Optional<ServiceConfig> service = CallbackOptions.of(config.get(), callback);
    if (service.isEmpty()) {
      parkUnknown(callback);
    }
    return service;
  }

  /** Keeps a callback of a service not configured (any more) until the service comes back. */
  void parkUnknown(Callback callback) {
    if (unknown.put(callback.id(), callback.service()) == null) {
      parkedUnknown.incrementAndGet();
      LOG.warn("Callback {} of service {} waits: the service is not configured; it is handed over once it is again",
          callback.id(), callback.service());
    }
  }

  /**
   * Hands over parked callbacks whose service is configured again; forgets those no longer QUEUED
   * (cancelled, expired). Called by the dispatcher's regular load.
   */
  void retryUnknown() {
    for (Map.Entry<String, String> entry : unknown.entrySet()) {
      String id = entry.getKey();
      if (config.get().service(entry.getValue()).isEmpty()) {
        if (store.find(id).filter(c -> c.state().isActive()).isEmpty()) {
          unknown.remove(id); // gone meanwhile
        }
        continue;
      }
      if (unknown.remove(id, entry.getValue())) {
        store.find(id).filter(c -> c.state() == CallbackState.QUEUED).ifPresent(this::submitLater);
      }
    }
  }

  // ------------------------------------------------------------------ pause

  private boolean parkIfPaused(Callback callback) {
    if (!pauses.isPaused(callback.service())) {
      return false;
    }
    parked.put(callback.id(), callback.service());
    reporter.report(callback.id(), CallbackState.PAUSED, null, Map.of());
    LOG.info("Callback {} waits: service {} is paused", callback.id(), callback.service());
    if (!pauses.isPaused(callback.service())) {
      resumed(Set.of(callback.service())); // resumed meanwhile
    }
    return true;
  }

  /** A PAUSED callback found at start-up that no engine holds. */
  void parkRecovered(Callback callback) {
    parked.put(callback.id(), callback.service());
    if (!pauses.isPaused(callback.service())) {
      resumed(Set.of(callback.service()));
    }
  }

  /** Forgets a parked callback (cancelled); whether it was parked here. */
  boolean unpark(String id) {
    return parked.remove(id) != null;
  }

  /** The services resumed: their parked callbacks go back to QUEUED and are handed over. */
  void resumed(Set<String> services) {
    for (Map.Entry<String, String> entry : parked.entrySet()) {
      if (services.contains(entry.getValue()) && parked.remove(entry.getKey(), entry.getValue())) {
        String id = entry.getKey();
        try {
          reporter.report(id, CallbackState.QUEUED, null, Map.of())
              .filter(c -> c.state() == CallbackState.QUEUED)
              .ifPresent(this::submitLater);
        } catch (RuntimeException e) {
          LOG.error("Callback {} could not be resumed", id, e);
        }
      }
    }
  }

  int parkedCount() {
    return parked.size();
  }

  private ExecutorService pool(String service) {
    synchronized (pools) {
      if (closed) {
        throw new RejectedExecutionException("closed");
      }
      return pools.computeIfAbsent(service, name -> {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threadsPerEngine, threadsPerEngine, 30, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(), Dispatcher.daemon("submit-" + name));
        pool.allowCoreThreadTimeOut(true);
        return pool;
      });
    }
  }

  @Override
  public void close() {
    closed = true;
    // retries waiting for their time are dropped; one in progress (in the store) ends uninterrupted
    GracefulStop.stop(retries, GracefulStop.BOUND);
    inRequest.close();
    synchronized (pools) {
      pools.values().forEach(ExecutorService::shutdown);
      for (ExecutorService pool : pools.values()) {
        try {
          pool.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }
}
