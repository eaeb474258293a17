package org.opencallback.store;

import java.util.Set;

/** The services paused by an administrator, kept durably. Implementations are thread-safe. */
public interface ServicePauseStore {
  /** The paused services. */
  Set<String> paused();

  /** Marks a service paused (true) or not (false); idempotent. */
  void set(String service, boolean paused);
}
