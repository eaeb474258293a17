package org.opencallback.observability;

import java.util.function.Supplier;
import org.opencallback.config.Configuration;
import org.opencallback.domain.Callback;
import org.opencallback.domain.CallbackException;
import org.opencallback.domain.CallbackListener;
import org.opencallback.domain.Times;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One log line on {@value #LOGGER} per accepted callback, per state change (with the callback id and
 * service) and per refused request. No customer data at INFO unless {@code [server] log-customer-data}
 * is on: a refusal's message (which may quote the customer number) then goes to DEBUG. Stateless and
 * thread-safe.
 */
public final class CallbackLog implements CallbackListener {
  public static final String LOGGER = "opencallback.callbacks";
  /** {@code [server] log-customer-data}: customer numbers and user data may appear at INFO. */
  public static final String CUSTOMER_DATA_OPTION = "log-customer-data";
  private static final Logger LOG = LoggerFactory.getLogger(LOGGER);

  private final Supplier<Configuration> config;

  public CallbackLog(Supplier<Configuration> config) {
    this.config = config;
  }

  /** Whether customer data may be logged at INFO ({@value #CUSTOMER_DATA_OPTION}). */
  static boolean customerData(Configuration configuration) {
    return configuration.server().bool(CUSTOMER_DATA_OPTION, false);
  }

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
    if (customerData(config.get())) {
      LOG.info("Callback request to {} refused: {} {}", service, refusal.code().code(), refusal.getMessage());
    } else {
      LOG.info("Callback request to {} refused: {} {}", service, refusal.code().code(), refusal.code().phrase());
      LOG.debug("Callback request to {} refused: {} {}", service, refusal.code().code(), refusal.getMessage());
    }
  }
}
