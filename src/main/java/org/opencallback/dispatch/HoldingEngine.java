package org.opencallback.dispatch;

import java.time.Duration;
import java.util.Optional;
import org.opencallback.config.ServiceConfig;
import org.opencallback.domain.Callback;

/** An engine that takes callbacks and does nothing with them: they stay QUEUED until reported on. */
public final class HoldingEngine implements ExecutionEngine {
  @Override
  public void submit(Callback callback, ServiceConfig service) {}

  @Override
  public void cancel(Callback callback) {}

  @Override
  public void recover(Callback callback, ServiceConfig service) {}

  @Override
  public Optional<QueuePosition> position(String callbackId) {
    return Optional.empty();
  }

  @Override
  public Duration ewt(ServiceConfig service) {
    return Duration.ZERO;
  }

  @Override
  public void close() {}
}
