package org.opencallback.engine.builtin;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks one at a time, in the order given, on another executor's threads. A failing task is
 * logged and the next one runs. {@link Batchable} tasks queued one right behind the other (with
 * distinct keys, at most {@link #MAX_BATCH}) run together: the engine's reports, stored in one
 * transaction when the database is slower than the engine. Thread-safe.
 */
final class SerialExecutor implements Executor {
  private static final Logger LOG = LoggerFactory.getLogger(SerialExecutor.class);
  /** Most tasks run together. */
  static final int MAX_BATCH = 64;

  /** A task that may run together with the tasks of its kind queued right behind it. */
  interface Batchable extends Runnable {
    /** What appears at most once in a batch (a callback id: its reports stay one after the other). */
    Object key();

    /** Runs {@code batch} (this task first, then those queued behind it) as if one after the other. */
    void runAll(List<Batchable> batch);
  }

  private final Executor delegate;
  /** Bound: the reports of the jobs this engine holds (a few per state change), drained one at a time. */
  private final Queue<Runnable> tasks = new ArrayDeque<>();
  private boolean draining;

  SerialExecutor(Executor delegate) {
    this.delegate = delegate;
  }

  @Override
  public void execute(Runnable task) {
    synchronized (tasks) {
      tasks.add(task);
      if (draining) {
        return;
      }
      draining = true;
    }
    try {
      delegate.execute(this::drain);
    } catch (RejectedExecutionException e) {
      synchronized (tasks) {
        tasks.clear();
        draining = false;
      }
      LOG.debug("Executor closed; tasks dropped");
    }
  }

  private void drain() {
    while (true) {
      Runnable next;
      List<Batchable> batch = null;
      synchronized (tasks) {
        next = tasks.poll();
        if (next == null) {
          draining = false;
          return;
        }
        if (next instanceof Batchable first && tasks.peek() instanceof Batchable) {
          batch = new ArrayList<>();
          batch.add(first);
          Set<Object> keys = new HashSet<>();
          keys.add(first.key());
          while (batch.size() < MAX_BATCH && tasks.peek() instanceof Batchable behind && keys.add(behind.key())) {
            batch.add(behind);
            tasks.poll();
          }
        }
      }
      try {
        if (batch != null && batch.size() > 1) {
          batch.get(0).runAll(batch);
        } else {
          next.run();
        }
      } catch (RuntimeException e) {
        LOG.error("Engine task failed; the next one runs", e);
      }
    }
  }
}
