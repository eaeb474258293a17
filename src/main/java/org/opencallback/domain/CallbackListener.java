package org.opencallback.domain;

/**
 * Told about every accepted callback and every stored change, after it is committed. Listeners must
 * be fast and must not throw; they run on the thread that stored the change (a request's, or an
 * engine's when it reports a state). A listener that does I/O is told of changes off that thread
 * (the wiring wraps it, see docs/architecture.md).
 */
public interface CallbackListener {
  CallbackListener NONE = new CallbackListener() {};

  /** A new callback was stored. */
  default void created(Callback callback) {}

  /** A callback was changed; {@code before} and {@code after} differ in version. */
  default void changed(Callback before, Callback after) {}

  /** A start request was refused; nothing was stored. */
  default void rejected(String service, CallbackException refusal) {}
}
