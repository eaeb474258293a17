package org.opencallback.app;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.opencallback.domain.Callback;
import org.opencallback.domain.CallbackException;
import org.opencallback.domain.CallbackListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Several listeners as one; a listener that throws is logged and the others still run. Thread-safe. */
public final class CallbackListeners implements CallbackListener {
  private static final Logger LOG = LoggerFactory.getLogger(CallbackListeners.class);
  /** Bound: the listeners wired at start. */
  private final List<CallbackListener> listeners = new CopyOnWriteArrayList<>();

  public CallbackListeners add(CallbackListener listener) {
    listeners.add(listener);
    return this;
  }

  @Override
  public void created(Callback callback) {
    for (CallbackListener listener : listeners) {
      try {
        listener.created(callback);
      } catch (RuntimeException e) {
        LOG.error("Listener failed on created {}", callback.id(), e);
      }
    }
  }

  @Override
  public void changed(Callback before, Callback after) {
    for (CallbackListener listener : listeners) {
      try {
        listener.changed(before, after);
      } catch (RuntimeException e) {
        LOG.error("Listener failed on changed {}", after.id(), e);
      }
    }
  }

  @Override
  public void rejected(String service, CallbackException refusal) {
    for (CallbackListener listener : listeners) {
      try {
        listener.rejected(service, refusal);
      } catch (RuntimeException e) {
        LOG.error("Listener failed on rejected", e);
      }
    }
  }
}
