package org.opencallback.store;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Group commit for the creates of one lock stripe. A create joins its stripe's queue; whoever gets
 * the stripe's lock stores every create waiting at that moment (up to {@link #MAX_GROUP}) in one
 * transaction, so a burst of concurrent creates pays one commit instead of one each. Each caller
 * still returns only after the transaction holding its create has committed, so durability is
 * unchanged; the admission checks still see the creates before them (same transaction), so the
 * limits are decided in the same order as one by one.
 *
 * <p>Callers whose create is in someone else's group wait on their own create, not on the lock: a
 * finished create returns at once, and the leader hands the lock to the next waiting create when it
 * is done. (Waiting on the lock instead makes finished callers queue behind the leader, which then
 * barges back in with one new create at a time: groups of one.)
 *
 * <p>Thread-safe. The writer given to {@link #submit} runs with the stripe's lock held.
 */
final class GroupCommit<T extends GroupCommit.Pending> {
  /** Most creates stored in one transaction. */
  static final int MAX_GROUP = 256;
  /** Longest a waiting create sleeps before looking at the lock again (a safety net: wake-ups are explicit). */
  private static final long RECHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

  private final ServiceLocks locks;
  /** Bound: a fixed list; each queue holds the writes of request threads waiting for their commit (Jetty's pool). */
  private final List<ConcurrentLinkedQueue<T>> queues = new ArrayList<>();

  GroupCommit(ServiceLocks locks) {
    this.locks = locks;
    for (int i = 0; i < ServiceLocks.STRIPES; i++) {
      queues.add(new ConcurrentLinkedQueue<>());
    }
  }

  /**
   * Stores {@code mine}, possibly with others, and returns once its group has been written.
   *
   * @param writer stores a group, marking each member {@link Pending#finish finished} (with its own
   *     refusal, if any); called with the stripe's lock held
   */
  void submit(String service, T mine, Consumer<List<T>> writer) {
    ConcurrentLinkedQueue<T> queue = queues.get(locks.stripe(service));
    ReentrantLock lock = locks.lock(service);
    mine.owner = Thread.currentThread();
    queue.add(mine);
    while (!mine.finished()) {
      if (lock.tryLock()) {
        try {
          while (!mine.finished()) {
            writeNextGroup(queue, writer);
          }
        } finally {
          lock.unlock();
        }
        // creates that arrived while this group was written: wake one to lead the next group
        T next = queue.peek();
        if (next != null) {
          LockSupport.unpark(next.owner);
        }
      } else {
        LockSupport.parkNanos(this, RECHECK_NANOS);
      }
    }
    mine.rethrow();
  }

  private void writeNextGroup(ConcurrentLinkedQueue<T> queue, Consumer<List<T>> writer) {
    List<T> group = new ArrayList<>();
    T next;
    while (group.size() < MAX_GROUP && (next = queue.poll()) != null) {
      group.add(next);
    }
    try {
      writer.accept(group);
    } catch (RuntimeException | Error e) {
      // the writer must finish every member; if it broke off, none of them may wait forever
      RuntimeException failure = e instanceof RuntimeException r ? r : new IllegalStateException(e);
      for (T member : group) {
        if (!member.finished()) {
          member.finish(failure);
        }
      }
    }
  }

  /** How many creates of {@code service}'s stripe wait for a group (for tests). */
  int waiting(String service) {
    return queues.get(locks.stripe(service)).size();
  }

  /** One create waiting for its group. */
  abstract static class Pending {
    private volatile boolean finished;
    private volatile RuntimeException failure;
    volatile Thread owner;

    final boolean finished() {
      return finished;
    }

    /** Marks this create done: stored ({@code failure} null) or refused/failed; wakes its caller. */
    final void finish(RuntimeException failure) {
      this.failure = failure;
      this.finished = true;
      Thread waiting = owner;
      if (waiting != null) {
        LockSupport.unpark(waiting);
      }
    }

    final void rethrow() {
      RuntimeException failed = failure;
      if (failed != null) {
        throw failed;
      }
    }
  }
}
