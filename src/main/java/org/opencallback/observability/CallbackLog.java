package org.opencallback.observability;

import org.opencallback.domain.Callback;
import org.opencallback.domain.CallbackException;
import org.opencallback.domain.CallbackListener;
import org.opencallback.domain.Times;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One log line on {@value #LOGGER} per accepted callback, per state change (with the callback id and
 * service) and per refused request. Stateless and thread-safe.
 */
public final class CallbackLog implements CallbackListener {
  public static final String LOGGER = "opencallback.callbacks";
  private static final Logger LOG = LoggerFactory.getLogger(LOGGER);

  @Override
  public void created(Callback callback) {
    LOG.info("Callback {} of {} accepted: {} for {}{}", callback.id(), callback.service(), callback.state(),
        Times.format(callback.desiredTime()), callback.immediate() ? " (immediate)" : "");
  }

  @Override
  public void changed(Callback before, Callback after) {
    if (before.state() == after.state() && java.util.Objects.equals(before.reason(), after.reason())) {
      return;
    }
    if (after.reason() == null) {
      LOG.info("Callback {} of {}: {} -> {}", after.id(), after.service(), before.state(), after.state());
    } else {
      LOG.info("Callback {} of {}: {} -> {} ({})", after.id(), after.service(), before.state(), after.state(),
          after.reason());
    }
  }

  @Override
  public void rejected(String service, CallbackException refusal) {
    LOG.info("Callback request to {} refused: {} {}", service, refusal.code().code(), refusal.getMessage());
  }
}
