package org.opencallback.store;

import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Striped in-process locks by service name: admission checks and the insert they guard run under
 * one, so racing requests of one service are decided one after the other. (Across nodes the
 * PostgreSQL dialect adds an advisory lock in the same transaction.) Thread-safe.
 */
final class ServiceLocks {
  static final int STRIPES = 64;
  private final ReentrantLock[] locks = new ReentrantLock[STRIPES];

  ServiceLocks() {
    for (int i = 0; i < STRIPES; i++) {
      locks[i] = new ReentrantLock();
    }
  }

  void run(String service, Runnable action) {
    call(service, () -> {
      action.run();
      return null;
    });
  }

  /** The stripe {@code service} belongs to. */
  int stripe(String service) {
    return Math.floorMod(service.hashCode(), STRIPES);
  }

  /** The lock of {@code service}'s stripe. */
  ReentrantLock lock(String service) {
    return locks[stripe(service)];
  }

  <T> T call(String service, Supplier<T> action) {
    ReentrantLock lock = locks[stripe(service)];
    lock.lock();
    try {
      return action.get();
    } finally {
      lock.unlock();
    }
  }
}
