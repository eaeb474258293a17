package org.opencallback.dispatch;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.opencallback.config.ServiceConfig;
import org.opencallback.domain.Callback;

/** What the API needs from execution: cancel a running callback, its queue position, a service's EWT. */
public interface ExecutionGateway {
  ExecutionGateway NONE =
      new ExecutionGateway() {
        @Override
        public void cancel(Callback callback) {}

        @Override
        public Optional<QueuePosition> position(Callback callback) {
          return Optional.empty();
        }

        @Override
        public Duration ewt(ServiceConfig service, Map<String, Object> request) {
          return Duration.ZERO;
        }
      };

  /**
   * Tells the callback's engine to stop it.
   *
   * @throws EngineException when the engine could not be told
   */
  void cancel(Callback callback);

  Optional<QueuePosition> position(Callback callback);

  /** EWT for the immediate rule: the engine's estimate when {@code _request_queue_time_stat} is set. */
  Duration ewt(ServiceConfig service, Map<String, Object> request);
}
