package org.opencallback.callback.admission;

import java.time.Duration;
import java.util.Map;
import org.opencallback.config.ServiceConfig;

/** The expected wait time term of the immediate-versus-scheduled rule ({@code _request_queue_time_stat}). */
@FunctionalInterface
public interface EwtEstimator {
  EwtEstimator ZERO = (service, request) -> Duration.ZERO;

  Duration ewt(ServiceConfig service, Map<String, Object> request);
}
