package org.opencallback.scheduling;

import org.opencallback.engine.QueuePosition;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.opencallback.config.ServiceConfig;
import org.opencallback.domain.Callback;

/**
 * What the API needs from execution: hand an immediate callback over, cancel a running callback,
 * its queue position, a service's EWT.
 */
public interface ExecutionGateway {
  ExecutionGateway NONE =
      new ExecutionGateway() {
        @Override
        public boolean submitNow(Callback callback) {
          return true;
        }

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
   * Hands a just-stored immediate QUEUED callback to its engine, synchronously, as GMS starts the
   * ORS session during the start request. A failed hand-off is retried a few times within a few
   * seconds; a callback of a paused service is parked PAUSED instead (true).
   *
   * @return false when every attempt failed: the callback is then COMPLETED / SUBMIT_FAILED
   */
  boolean submitNow(Callback callback);

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
