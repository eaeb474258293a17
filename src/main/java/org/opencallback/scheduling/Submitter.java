package org.opencallback.scheduling;

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
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
 * <p>Thread-safe.
 */
final class Submitter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Submitter.class);
  /** Longest an immediate start waits for its hand-off, retries included. */
  static final Duration IN_REQUEST_BUDGET = Duration.ofSeconds(3);
  /** Claimed callbacks checked with one read before they are handed over one by one. */
  static final int CHUNK = 50;

  private final Supplier<Configuration> config;
  private final CallbackStore store;
  private final EngineRegistry engines;
  private final CallbackReporter reporter;
  private final ServicePauses pauses;
  private final ScheduledExecutorService retries;
  /** One hand-off pool per service: a slow or dead receiver holds back its own service only. */
  private final Map<String, ExecutorService> pools = new HashMap<>();
  /** Callbacks of paused services waiting here, id → service. */
  private final Map<String, String> parked = new ConcurrentHashMap<>();
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
    this.retries = Executors.newSingleThreadScheduledExecutor(Dispatcher.daemon("submit-retry"));
  }

  /** Hands a QUEUED callback over in the background, with retries. */
  void submitLater(Callback callback) {
    submitLater(callback.id(), callback.service(), 1);
  }

  private void submitLater(String id, String service, int attempt) {
    try {
      pool(service).execute(() -> attemptLater(id, attempt));
    } catch (RejectedExecutionException e) {
      LOG.debug("Hand-off of callback {} not started: shutting down", id);
    }
  }

  private void attemptLater(String id, int attempt) {
    try {
      Optional<Callback> current = store.find(id).filter(c -> c.state() == CallbackState.QUEUED);
      if (current.isPresent()) {
        handOver(current.get(), attempt);
      }
    } catch (RuntimeException e) {
      LOG.error("Hand-off of callback {} failed unexpectedly", id, e);
    }
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
      for (int from = 0; from < callbacks.size(); from += CHUNK) {
        List<Callback> chunk = List.copyOf(callbacks.subList(from, Math.min(callbacks.size(), from + CHUNK)));
        try {
          pool(service).execute(() -> handOverChunk(chunk));
        } catch (RejectedExecutionException e) {
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
      chunk.forEach(callback -> attemptLater(callback.id(), 1));
      return;
    }
    for (Callback callback : chunk) {
      Integer version = queued.get(callback.id());
      if (version == null) {
        continue; // no longer QUEUED (cancelled meanwhile)
      }
      if (version != callback.version()) {
        attemptLater(callback.id(), 1); // changed since the claim: hand over what is stored now
        continue;
      }
      try {
        handOver(callback, 1);
      } catch (RuntimeException e) {
        LOG.error("Hand-off of callback {} failed unexpectedly", callback.id(), e);
      }
    }
  }

  /** One attempt at handing a QUEUED callback over; a failure is retried later, up to the limit. */
  private void handOver(Callback callback, int attempt) {
    String id = callback.id();
    Optional<ServiceConfig> service = serviceOf(callback);
    if (service.isEmpty() || parkIfPaused(callback)) {
      return;
    }
    try {
      engines.forService(service.get()).submit(callback, service.get());
      if (attempt > 1) {
        LOG.info("Callback {} handed over at attempt {}", id, attempt);
      }
    } catch (RuntimeException e) {
      if (closed) {
        return; // still QUEUED and not handed over: submitted again after the restart
      }
      int max = maxAttempts(service.get());
      if (attempt >= max) {
        LOG.warn("Hand-off of callback {} failed {} time(s), the last: {}", id, attempt, e.getMessage());
        reporter.report(id, CallbackState.COMPLETED, CompletionReason.SUBMIT_FAILED.name(), Map.of());
        return;
      }
      Duration delay = policy().delayAfter(attempt);
      LOG.info("Hand-off of callback {} failed (attempt {} of {}): {}; next in {}", id, attempt, max, e.getMessage(), delay);
      retries.schedule(() -> submitLater(id, callback.service(), attempt + 1), delay.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /**
   * Hands an immediate callback over now, on the caller's thread, retrying within {@link
   * #IN_REQUEST_BUDGET}.
   *
   * @return false when every attempt failed: the callback is then COMPLETED / SUBMIT_FAILED
   */
  boolean submitNow(Callback callback) {
    Optional<ServiceConfig> service = serviceOf(callback);
    if (service.isEmpty() || parkIfPaused(callback)) {
      return true;
    }
    ExecutionEngine engine = engines.forService(service.get());
    int max = maxAttempts(service.get());
    RetryPolicy policy = policy();
    long deadline = System.nanoTime() + IN_REQUEST_BUDGET.toNanos();
    String last = null;
    for (int attempt = 1; attempt <= max; attempt++) {
      if (store.find(callback.id()).filter(c -> c.state() == CallbackState.QUEUED).isEmpty()) {
        return true;
      }
      Future<?> handOff;
      try {
        handOff = pool(callback.service()).submit(() -> engine.submit(callback, service.get()));
      } catch (RejectedExecutionException e) {
        last = "shutting down";
        break;
      }
      try {
        handOff.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        return true;
      } catch (ExecutionException e) {
        last = String.valueOf((e.getCause() == null ? e : e.getCause()).getMessage());
      } catch (TimeoutException e) {
        handOff.cancel(true);
        last = "no answer within " + IN_REQUEST_BUDGET;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        last = "interrupted";
        break;
      }
      long remaining = deadline - System.nanoTime();
      if (attempt == max || remaining <= 0) {
        break;
      }
      LOG.info("Immediate hand-off of callback {} failed (attempt {} of {}): {}", callback.id(), attempt, max, last);
      try {
        Thread.sleep(Math.min(policy.delayAfter(attempt).toMillis(), TimeUnit.NANOSECONDS.toMillis(remaining)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    LOG.warn("Immediate hand-off of callback {} failed: {}", callback.id(), last);
    reporter.report(callback.id(), CallbackState.COMPLETED, CompletionReason.SUBMIT_FAILED.name(), Map.of());
    return false;
  }

  /** {@code _max_ors_submit_attempts}, at least 1. */
  static int maxAttempts(ServiceConfig service) {
    return Math.max(1, service.options().integer("_max_ors_submit_attempts", 3));
  }

  private RetryPolicy policy() {
    Duration base = config.get().callback().duration("_submit_retry_delay", RetryPolicy.DEFAULT.base());
    return new RetryPolicy(base, RetryPolicy.DEFAULT.cap());
  }

  private Optional<ServiceConfig> serviceOf(Callback callback) {
    Optional<ServiceConfig> service = config.get().service(callback.service());
    if (service.isEmpty()) {
      LOG.warn("Callback {} of unconfigured service {} cannot be executed", callback.id(), callback.service());
      reporter.report(callback.id(), CallbackState.COMPLETED, CompletionReason.FAIL_ERROR.name(),
          Map.of(ServerState.ERROR, "service " + callback.service() + " is not configured"));
    }
    return service;
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
    retries.shutdownNow();
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
