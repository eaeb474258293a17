package org.opencallback.engine.builtin;

import java.util.function.Consumer;

/**
 * Places calls to customers. Implementations are thread-safe and never block: the outcome arrives
 * later, on another thread.
 */
public interface Dialer {
  /**
   * Dials a number.
   *
   * @param callbackId the callback the call is for (for logs)
   * @param number the customer number as stored
   * @param outcome told the outcome once, unless the attempt is hung up first
   */
  Attempt dial(String callbackId, String number, Consumer<DialOutcome> outcome);

  /** A call being placed. */
  interface Attempt {
    /** Abandons the call; the outcome is not reported any more. Idempotent. */
    void hangUp();
  }
}
