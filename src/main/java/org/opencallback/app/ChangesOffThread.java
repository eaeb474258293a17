package org.opencallback.app;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.opencallback.domain.Callback;
import org.opencallback.domain.CallbackException;
import org.opencallback.domain.CallbackListener;
import org.opencallback.store.GracefulStop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells a listener that does I/O (customer notifications: socket writes to event streams, HTTP
 * callbacks) of changes on its own thread, so that an engine reporting a state never waits for a
 * slow client. Changes are told in the order they were stored, by one thread. The queue is bounded
 * ({@link #CAPACITY} changes): when the listener cannot keep up, new changes are dropped, counted
 * ({@code opencallback_listener_changes_dropped_total}) and logged, rather than slowing the engines.
 * {@code created} and {@code rejected} come from the API's request thread and are told at once: a
 * start request's answer depends on them (a message file that cannot be loaded ends the callback).
 * Thread-safe.
 */
final class ChangesOffThread implements CallbackListener, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ChangesOffThread.class);
  /** Changes waiting for the listener, at most; about 1 KB each, so a few MB when full. */
  static final int CAPACITY = 10_000;
  /** After the first, one dropped change in this many is logged. */
  private static final int LOG_EVERY = 1_000;

  private final CallbackListener listener;
  private final ThreadPoolExecutor executor;
  private final Counter dropped;

  ChangesOffThread(CallbackListener listener, String name, MeterRegistry registry) {
    this.listener = listener;
    this.dropped = Counter.builder("opencallback.listener.changes.dropped")
        .description("Stored changes not told to a slow listener (customer notifications): its queue was full")
        .tag("listener", name)
        .register(registry);
    this.executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(CAPACITY),
        runnable -> {
          Thread thread = new Thread(runnable, name);
          thread.setDaemon(true);
          return thread;
        },
        (task, pool) -> {
          if (pool.isShutdown()) {
            LOG.debug("Stopping: a stored change is not told"); // not a slow listener
          } else {
            drop();
          }
        });
  }

  @Override
  public void created(Callback callback) {
    listener.created(callback);
  }

  @Override
  public void rejected(String service, CallbackException refusal) {
    listener.rejected(service, refusal);
  }

  @Override
  public void changed(Callback before, Callback after) {
    executor.execute(() -> {
      try {
        listener.changed(before, after);
      } catch (RuntimeException e) {
        LOG.error("Listener failed on changed {}", after.id(), e);
      }
    });
  }

  private void drop() {
    dropped.increment();
    long count = (long) dropped.count();
    if (count == 1 || count % LOG_EVERY == 0) {
      LOG.warn("A listener is too slow: {} stored change(s) not told to it so far (queue of {} full)", count,
          CAPACITY);
    }
  }

  /**
   * Stops telling; changes still queued are not told. The change being told ends uninterrupted (the
   * listener may be in the store: H2 closes its file on an interrupt), within a bound.
   */
  @Override
  public void close() {
    executor.getQueue().clear();
    GracefulStop.stop(executor, GracefulStop.BOUND);
  }
}
