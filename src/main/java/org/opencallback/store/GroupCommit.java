package org.opencallback.store;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;

/**
 * Group commit for the creates of one lock stripe. A create joins its stripe's queue and then takes
 * the stripe's lock; whoever holds the lock stores every create waiting at that moment (up to
 * {@link #MAX_GROUP}) in one transaction, so a burst of concurrent creates pays one commit instead
 * of one each. Each caller still returns only after the transaction holding its create has
 * committed, so durability is unchanged; the admission checks still see the creates before them
 * (same transaction), so the limits are decided in the same order as one by one.
 *
 * <p>Thread-safe. The writer given to {@link #submit} runs with the stripe's lock held.
 */
final class GroupCommit<T extends GroupCommit.Pending> {
  /** Most creates stored in one transaction. */
  static final int MAX_GROUP = 256;

  private final ServiceLocks locks;
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
    queue.add(mine);
    locks.run(service, () -> {
      while (!mine.finished()) {
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
    });
    mine.rethrow();
  }

  /** How many creates of {@code service}'s stripe wait for a group (for tests). */
  int waiting(String service) {
    return queues.get(locks.stripe(service)).size();
  }

  /** One create waiting for its group. Guarded by the stripe's lock. */
  abstract static class Pending {
    private boolean finished;
    private RuntimeException failure;

    final boolean finished() {
      return finished;
    }

    /** Marks this create done: stored ({@code failure} null) or refused/failed. */
    final void finish(RuntimeException failure) {
      this.finished = true;
      this.failure = failure;
    }

    final void rethrow() {
      if (failure != null) {
        throw failure;
      }
    }
  }
}
