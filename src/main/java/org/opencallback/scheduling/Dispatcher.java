package org.opencallback.scheduling;

import org.opencallback.engine.CallbackOptions;
import org.opencallback.engine.CallbackReporter;
import org.opencallback.engine.EngineRegistry;
import org.opencallback.engine.ExecutionEngine;
import org.opencallback.engine.QueuePosition;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.opencallback.config.Configuration;
import org.opencallback.config.ServiceConfig;
import org.opencallback.domain.Callback;
import org.opencallback.domain.CallbackListener;
import org.opencallback.domain.CallbackState;
import org.opencallback.domain.CompletionReason;
import org.opencallback.store.CallbackStore;
import org.opencallback.store.GracefulStop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands callbacks to their execution engine, each exactly once.
 *
 * <p>Scheduled callbacks wait in an in-memory timer over the near future ({@link #HORIZON}), fed
 * from the store by a loader every {@link #LOAD_EVERY} and at once when one is created or
 * rescheduled. When one falls due (its {@code due_time}, i.e. desired time − buffer − EWT) it is
 * claimed in the store (SCHEDULED → QUEUED, a versioned update only one claimer wins) and submitted
 * in the background by the {@link Submitter} (retries, one pool per engine). Immediate callbacks are
 * handed over by the start request itself ({@link #submitNow}), never here. At start-up, callbacks
 * that fell due while the server was down are dispatched at once, and those already handed over are
 * given back to their engine ({@link ExecutionEngine#recover}).
 *
 * <p>While a service is paused ({@link ServicePauses}) its due callbacks stay SCHEDULED: they are
 * taken out of the timer unclaimed and loaded again when the service resumes.
 *
 * <p>Thread-safe. {@link #runDue()} does one pass synchronously, for tests with a settable clock.
 *
 * <p>Why this file is long: the timer, the loader, claiming, pauses and start-up recovery all share
 * the in-memory timer and its reconciliation with the store; kept together they can be checked for
 * "each callback exactly once". The hand-off itself and its retries are in {@link Submitter}.
 */
public final class Dispatcher implements CallbackListener, ExecutionGateway, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);
  /** How far ahead the timer holds callbacks. */
  static final Duration HORIZON = Duration.ofMinutes(10);
  /** How often the timer is refilled from the store. */
  static final Duration LOAD_EVERY = Duration.ofMinutes(2);
  /** How often the whole horizon is read again, whatever the timer holds. */
  static final Duration FULL_LOAD_EVERY = Duration.ofMinutes(10);
  /** Oldest overdue callback still dispatched (GMS's recovery window reaches 24 h back). */
  static final Duration RECOVERY = Duration.ofHours(24);
  private static final int BATCH = 500;
  private static final int LOAD_LIMIT = 200_000;
  /** Back-off of the entries of a failed claim: 1 s, doubling, at most 30 s. */
  static final RetryPolicy CLAIM_BACKOFF = new RetryPolicy(Duration.ofSeconds(1), Duration.ofSeconds(30));
  /** A due callback whose claim missed but is still SCHEDULED (being claimed elsewhere) is tried again after this. */
  static final Duration MISSED_CLAIM_RETRY = Duration.ofSeconds(1);

  private final Supplier<Configuration> config;
  private final CallbackStore store;
  private final EngineRegistry engines;
  private final CallbackReporter reporter;
  private final Clock clock;
  private final Submitter submitter;
  private final ServicePauses pauses;

  private final Object lock = new Object();
  private final java.util.concurrent.atomic.AtomicLong loads = new java.util.concurrent.atomic.AtomicLong();
  private volatile java.util.function.Consumer<Duration> lateness = late -> {};
  /** Bound: the callbacks due within {@link #HORIZON} (see {@link DueTimer}). */
  private final DueTimer timer = new DueTimer();
  /** Claims that failed in a row (database errors): the back-off before their entries are tried again. */
  private int claimFailures;
  private Instant loadedUntil = Instant.EPOCH;
  /** In a cluster: the ids of the active callbacks this node owns at start; null: every active one. */
  private volatile Supplier<List<String>> owned;
  private volatile Duration loadEvery = LOAD_EVERY;

  private final AtomicBoolean running = new AtomicBoolean(false);
  /** Set once {@link #start} has recovered what was handed over before (readiness waits for it). */
  private volatile boolean recovered;
  /** Callbacks recovery found being handed over by this process and left to that hand-off. */
  private final java.util.concurrent.atomic.AtomicLong recoveryLeftToHandOff = new java.util.concurrent.atomic.AtomicLong();
  private Thread timerThread;
  private ScheduledExecutorService loader;
  /** Claims the batches of a burst in parallel. */
  private final ExecutorService workers;

  public Dispatcher(
      Supplier<Configuration> config,
      CallbackStore store,
      EngineRegistry engines,
      CallbackReporter reporter,
      Clock clock,
      int workerThreads) {
    this(config, store, engines, reporter, clock, workerThreads, ServicePauses.NONE);
  }

  /**
   * @param workerThreads threads claiming a burst's batches, and of each service's hand-off pool
   * @param pauses which services are paused; the dispatcher registers to hear when they resume
   */
  public Dispatcher(
      Supplier<Configuration> config,
      CallbackStore store,
      EngineRegistry engines,
      CallbackReporter reporter,
      Clock clock,
      int workerThreads,
      ServicePauses pauses) {
    this.config = config;
    this.store = store;
    this.engines = engines;
    this.reporter = reporter;
    this.clock = clock;
    this.pauses = pauses;
    // Bound: the claim batches of one timer round, which waits for them all before the next round
    this.workers = Executors.newFixedThreadPool(Math.max(1, workerThreads), daemon("dispatch-worker"));
    this.submitter = new Submitter(config, store, engines, reporter, pauses, Math.max(1, workerThreads));
    pauses.onResume(this::resumed);
  }

  /** Recovers what was handed over before a restart, fills the timer and starts the timer thread. */
  public void start() {
    if (!running.compareAndSet(false, true)) {
      return;
    }
    recover();
    recovered = true;
    load();
    // Bound: one periodic task (the load)
    loader = new java.util.concurrent.ScheduledThreadPoolExecutor(1, daemon("dispatch-loader"));
    loader.scheduleWithFixedDelay(this::loadSafely, loadEvery.toMillis(), loadEvery.toMillis(), TimeUnit.MILLISECONDS);
    timerThread = daemon("dispatch-timer").newThread(this::timerLoop);
    timerThread.start();
  }

  /**
   * In a cluster, recovers at start only the active callbacks this node owns (the others belong to
   * live nodes, or are taken over from dead ones through {@link #recoverIds}).
   */
  public void recoverOnlyOwned(Supplier<List<String>> ownedIds) {
    this.owned = ownedIds;
  }

  /**
   * How often the timer is refilled from the store (before {@link #start}). In a cluster a callback
   * created on another node is only seen here by a load, so loads are frequent there.
   */
  public void loadEvery(Duration every) {
    this.loadEvery = every;
  }

  /** Gives these active callbacks (taken over from a dead node) to their engine. */
  public int recoverIds(List<String> ids) {
    int recovered = 0;
    for (String id : ids) {
      Optional<Callback> callback = store.find(id);
      if (callback.isPresent() && callback.get().state().isActive()
          && callback.get().state() != CallbackState.SCHEDULED && recoverOne(callback.get())) {
        recovered++;
      }
    }
    return recovered;
  }

  /**
   * Gives one active callback back to its engine, or hands it over when it never was. One this
   * process is handing over right now (an immediate start during start-up) is left to that hand-off.
   */
  private boolean recoverOne(Callback callback) {
    if (callback.isExternallyDriven()) {
      return false;
    }
    if (submitter.handingOver(callback.id())) {
      recoveryLeftToHandOff.incrementAndGet();
      return false;
    }
    Optional<ServiceConfig> service = CallbackOptions.of(config.get(), callback);
    if (service.isEmpty()) {
      submitter.parkUnknown(callback);
      return false;
    }
    try {
      ExecutionEngine engine = engines.forService(service.get());
      if (callback.state() == CallbackState.PAUSED && !engine.pausesHeldCallbacks()) {
        submitter.parkRecovered(callback);
      } else if (callback.state() == CallbackState.QUEUED && !engine.handedOver(callback)) {
        // read again under the hand-off mark: one handed over meanwhile is left alone
        if (!submitter.submitRecovered(callback)) {
          recoveryLeftToHandOff.incrementAndGet();
          return false;
        }
      } else {
        engine.recover(callback, service.get());
      }
      return true;
    } catch (RuntimeException e) {
      LOG.error("Recovery of callback {} failed", callback.id(), e);
      return false;
    }
  }

  /** Gives active, already handed-over callbacks back to their engine. */
  void recover() {
    Supplier<List<String>> ownedIds = owned;
    if (ownedIds != null) {
      int recovered = recoverIds(ownedIds.get());
      if (recovered > 0) {
        LOG.info("Recovered {} callback(s) this node held before the restart", recovered);
      }
      return;
    }
    String after = null;
    int recovered = 0;
    while (true) {
      List<Callback> page = store.inStates(
          EnumSet.of(CallbackState.QUEUED, CallbackState.ROUTING, CallbackState.PROCESSING, CallbackState.PAUSED),
          after, BATCH);
      for (Callback callback : page) {
        if (recoverOne(callback)) {
          recovered++;
        }
        after = callback.id();
      }
      if (page.size() < BATCH) {
        break;
      }
    }
    if (recovered > 0) {
      LOG.info("Recovered {} callback(s) handed over before the restart", recovered);
    }
  }

  /** Refills the timer with every SCHEDULED callback due within the horizon (and overdue ones). */
  void load() {
    load(true);
  }

  /**
   * Refills the timer. A full load reads everything due up to the horizon (at start, after a resume
   * and every {@link #FULL_LOAD_EVERY}, as a safety net); the regular one only what lies beyond what
   * the timer already covers, since the timer hears of every callback created or changed meanwhile.
   */
  void load(boolean full) {
    Instant now = clock.instant();
    Instant until = now.plus(HORIZON);
    Instant from;
    synchronized (lock) {
      from = full || loadedUntil.isBefore(now) ? now.minus(RECOVERY) : loadedUntil;
    }
    List<CallbackStore.Due> found = store.scheduledDue(from, until, LOAD_LIMIT);
    // in slices, so the timer thread is never held up for long
    for (int slice = 0; slice < found.size(); slice += BATCH) {
      synchronized (lock) {
        for (CallbackStore.Due entry : found.subList(slice, Math.min(found.size(), slice + BATCH))) {
          // never replaces a newer version (a reschedule heard while this load was reading)
          timer.offer(new DueTimer.Tracked(entry.id(), entry.service(), entry.dueTime(), entry.version()));
        }
        lock.notifyAll();
      }
    }
    synchronized (lock) {
      loadedUntil = found.size() >= LOAD_LIMIT ? found.get(found.size() - 1).dueTime() : until;
    }
  }

  private void loadSafely() {
    try {
      submitter.retryUnknown();
    } catch (RuntimeException e) {
      LOG.error("Handing over parked callbacks of services configured again failed", e);
    }
    try {
      long round = loads.incrementAndGet();
      load(round % (FULL_LOAD_EVERY.toMillis() / LOAD_EVERY.toMillis()) == 0);
    } catch (RuntimeException e) {
      LOG.error("Loading due callbacks failed; trying again in {}", LOAD_EVERY, e);
    }
  }


  private void timerLoop() {
    while (running.get()) {
      try {
        long waitMillis;
        synchronized (lock) {
          Instant first = timer.first();
          waitMillis = first == null ? 1000 : Duration.between(clock.instant(), first).toMillis();
          if (waitMillis > 0) {
            lock.wait(Math.min(waitMillis, 1000));
            continue;
          }
        }
        runDue();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        LOG.error("Dispatch pass failed; it goes on", e);
      }
    }
  }

  /** Claims and submits every callback due now. */
  public int runDue() {
    Instant now = clock.instant();
    List<DueTimer.Tracked> ids = new ArrayList<>();
    synchronized (lock) {
      for (DueTimer.Tracked entry : timer.pollDue(now)) {
        if (pauses.isPaused(entry.service())) {
          continue; // stays SCHEDULED; loaded again when the service resumes
        }
        ids.add(entry);
      }
    }
    if (ids.size() <= BATCH) {
      return claim(ids, now);
    }
    // a burst: claim batches in parallel (each its own transaction)
    List<java.util.concurrent.Future<Integer>> batches = new ArrayList<>();
    for (int from = 0; from < ids.size(); from += BATCH) {
      List<DueTimer.Tracked> batch = List.copyOf(ids.subList(from, Math.min(ids.size(), from + BATCH)));
      batches.add(workers.submit(() -> claim(batch, now)));
    }
    int claimed = 0;
    for (java.util.concurrent.Future<Integer> batch : batches) {
      try {
        claimed += batch.get();
      } catch (java.util.concurrent.ExecutionException e) {
        LOG.error("A dispatch batch failed", e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return claimed;
  }

  /**
   * Claims the entries taken out of the timer. A failed claim (database error) puts them back with
   * a back-off ({@link #CLAIM_BACKOFF}); a claim that missed some re-reads their rows and puts back
   * those still SCHEDULED (moved to a later due time, or being claimed elsewhere right now).
   */
  private int claim(List<DueTimer.Tracked> entries, Instant now) {
    if (entries.isEmpty()) {
      return 0;
    }
    List<Callback> claimed;
    try {
      claimed = store.claimDue(entries.stream().map(DueTimer.Tracked::id).toList(), now, "dispatch");
    } catch (RuntimeException e) {
      putBack(entries, e);
      return 0;
    }
    synchronized (lock) {
      claimFailures = 0;
    }
    Instant claimedAt = clock.instant();
    Map<String, DueTimer.Tracked> missed = new HashMap<>();
    entries.forEach(entry -> missed.put(entry.id(), entry));
    for (Callback callback : claimed) {
      DueTimer.Tracked entry = missed.remove(callback.id());
      if (entry != null) {
        lateness.accept(Duration.between(entry.due(), claimedAt));
      }
    }
    submitter.submitClaimed(claimed);
    if (!missed.isEmpty()) {
      reread(missed.keySet(), now);
    }
    return claimed.size();
  }

  private void putBack(List<DueTimer.Tracked> entries, RuntimeException failure) {
    Duration backoff;
    synchronized (lock) {
      claimFailures++;
      backoff = CLAIM_BACKOFF.delayAfter(claimFailures);
      Instant retryAt = clock.instant().plus(backoff);
      for (DueTimer.Tracked entry : entries) {
        // a newer version heard meanwhile stays as it is
        timer.offer(new DueTimer.Tracked(entry.id(), entry.service(), retryAt, entry.version()));
      }
      lock.notifyAll();
    }
    LOG.error("Claiming {} due callback(s) failed; trying them again in {}", entries.size(), backoff, failure);
  }

  private void reread(java.util.Collection<String> missed, Instant now) {
    List<CallbackStore.Due> still;
    try {
      still = store.scheduledOf(missed);
    } catch (RuntimeException e) {
      LOG.error("Reading {} callback(s) whose claim missed failed; the next full load finds them", missed.size(), e);
      return;
    }
    synchronized (lock) {
      for (CallbackStore.Due row : still) {
        Instant at = row.dueTime().isAfter(now) ? row.dueTime() : clock.instant().plus(MISSED_CLAIM_RETRY);
        if (!at.isAfter(loadedUntil) || !row.dueTime().isAfter(now)) {
          timer.offer(new DueTimer.Tracked(row.id(), row.service(), at, row.version()));
        }
      }
      lock.notifyAll();
    }
  }

  /** Tells {@code observer} how late each claimed callback left SCHEDULED (a metric). */
  public void observeLateness(java.util.function.Consumer<Duration> observer) {
    this.lateness = observer;
  }

  @Override
  public void created(Callback callback) {
    if (callback.isExternallyDriven()) {
      return;
    }
    // an immediate (QUEUED) callback is handed over by the start request itself: submitNow
    if (callback.state() == CallbackState.SCHEDULED) {
      track(callback);
    }
  }

  @Override
  public void changed(Callback before, Callback after) {
    if (after.isExternallyDriven()) {
      return;
    }
    if (after.state() == CallbackState.SCHEDULED) {
      track(after);
      return;
    }
    synchronized (lock) {
      timer.remove(after.id());
    }
    if (before.state() == CallbackState.SCHEDULED && after.state() == CallbackState.QUEUED) {
      // rescheduled to a near time: immediate now
      submitter.submitLater(after);
    }
  }

  private void track(Callback callback) {
    if (callback.dueTime() == null) {
      return;
    }
    synchronized (lock) {
      if (!callback.dueTime().isAfter(loadedUntil)) {
        timer.offer(new DueTimer.Tracked(callback.id(), callback.service(), callback.dueTime(), callback.version()));
        lock.notifyAll();
      } else {
        timer.remove(callback.id());
      }
    }
  }

  @Override
  public boolean submitNow(Callback callback) {
    if (callback.isExternallyDriven() || callback.state() != CallbackState.QUEUED) {
      return true;
    }
    return submitter.submitNow(callback);
  }

  /** Services resumed: their due callbacks are loaded again, parked ones handed over. */
  private void resumed(java.util.Set<String> services) {
    submitter.resumed(services);
    try {
      load(true);
    } catch (RuntimeException e) {
      LOG.error("Loading the resumed services' due callbacks failed; the next full load retries", e);
    }
  }

  @Override
  public void cancel(Callback callback) {
    if (submitter.unpark(callback.id())) {
      return; // parked while its service was paused: never handed over
    }
    if (callback.state() == CallbackState.SCHEDULED || !callback.state().isActive() || callback.isExternallyDriven()) {
      return;
    }
    engineOf(callback).ifPresent(engine -> engine.cancel(callback));
  }

  @Override
  public Optional<QueuePosition> position(Callback callback) {
    return engineOf(callback).flatMap(engine -> engine.position(callback));
  }

  @Override
  public Duration ewt(ServiceConfig service, Map<String, Object> request) {
    Object stat = request.get("_request_queue_time_stat");
    boolean asked = (stat != null && !String.valueOf(stat).isBlank())
        || service.options().get("_request_queue_time_stat").filter(v -> !v.isBlank()).isPresent();
    return asked ? engines.forService(service).ewt(service) : Duration.ZERO;
  }

  private Optional<ExecutionEngine> engineOf(Callback callback) {
    return CallbackOptions.of(config.get(), callback).map(engines::forService);
  }

  /** The due time the timer holds for a callback, if it holds it (tests). */
  Optional<Instant> dueInTimer(String id) {
    synchronized (lock) {
      return Optional.ofNullable(timer.get(id)).map(DueTimer.Tracked::due);
    }
  }

  /** Whether start-up recovery has finished: the node may be reported ready. */
  public boolean recovered() {
    return recovered;
  }

  /** Callbacks start-up recovery left to a hand-off this process had in progress. */
  public long recoveryLeftToHandOff() {
    return recoveryLeftToHandOff.get();
  }

  /** Hand-offs in progress or waiting in this process. */
  public int handingOver() {
    return submitter.handingOver();
  }

  /**
   * A new configuration is in force: callbacks parked for a service it configures again are handed
   * over now rather than at the next load ({@link #LOAD_EVERY}). Never throws.
   */
  public void configurationApplied() {
    try {
      submitter.retryUnknown();
    } catch (RuntimeException e) {
      LOG.error("Handing over parked callbacks of services configured again failed; the next load retries", e);
    }
  }

  /** Callbacks of services not configured (any more), waiting for them. */
  public int parkedUnknownService() {
    return submitter.unknownCount();
  }

  /** Callbacks parked because their service was not configured, since the start. */
  public long parkedUnknownServiceTotal() {
    return submitter.parkedUnknownTotal();
  }

  /** Number of callbacks waiting in the timer. */
  public int pending() {
    synchronized (lock) {
      return timer.size();
    }
  }

  @Override
  public void close() {
    running.set(false);
    // no interrupt while a pass may be in the store (H2 closes its file on one: docs/reliability.md)
    if (loader != null) {
      GracefulStop.stop(loader, GracefulStop.BOUND);
    }
    if (timerThread != null) {
      synchronized (lock) {
        lock.notifyAll(); // it sees running false and ends after the pass in progress
      }
      try {
        timerThread.join(GracefulStop.BOUND.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (timerThread.isAlive()) {
        timerThread.interrupt();
      }
    }
    workers.shutdown();
    try {
      workers.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    submitter.close();
  }

  static java.util.concurrent.ThreadFactory daemon(String name) {
    return runnable -> {
      Thread thread = new Thread(runnable, name);
      thread.setDaemon(true);
      return thread;
    };
  }
}
