package org.opencallback.engine;

import java.time.Duration;
import java.util.Optional;
import org.opencallback.config.ServiceConfig;
import org.opencallback.domain.Callback;

/**
 * What runs a due callback: dials the customer, finds an agent, and reports every state until
 * COMPLETED through a {@link CallbackReporter}, as an Orchestration Server does through {@code PUT}.
 * Implementations are thread-safe; no method may block for long.
 */
public interface ExecutionEngine extends AutoCloseable {
  /**
   * Takes a callback that has just become QUEUED (immediate start, or a scheduled one that fell
   * due). The engine owns it from now on.
   *
   * @throws EngineException when the hand-off failed (the dispatcher retries)
   */
  void submit(Callback callback, ServiceConfig service);

  /**
   * Stops working on a callback that was cancelled (it is already, or about to be, COMPLETED).
   *
   * @throws EngineException when the engine could not be told
   */
  void cancel(Callback callback);

  /** Takes back, after a restart, an active callback handed over before it. */
  void recover(Callback callback, ServiceConfig service);

  /** Position and expected wait of a callback the engine holds, if it is waiting in a queue. */
  Optional<QueuePosition> position(String callbackId);

  /**
   * Position and expected wait of a QUEUED callback, wherever it is held (in a cluster, another
   * node's engine may hold it). By default: {@link #position(String)}.
   */
  default Optional<QueuePosition> position(Callback callback) {
    return position(callback.id());
  }

  /** The expected wait time for a new callback of the service (the EWT of the immediate rule). */
  Duration ewt(ServiceConfig service);

  /**
   * Whether a QUEUED callback was actually handed over before a restart. One that was not is
   * submitted again (with retries) instead of being {@linkplain #recover recovered}.
   */
  default boolean handedOver(Callback callback) {
    return true;
  }

  /**
   * Whether the engine pauses the callbacks it holds when their service is paused (reporting
   * PAUSED, then QUEUED on resume). When it does not, a PAUSED callback found at start-up was never
   * handed over and waits in the dispatcher for the service to resume.
   */
  default boolean pausesHeldCallbacks() {
    return false;
  }

  @Override
  void close();
}
