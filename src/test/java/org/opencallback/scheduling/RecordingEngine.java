package org.opencallback.scheduling;

import org.opencallback.engine.ExecutionEngine;
import org.opencallback.engine.QueuePosition;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.opencallback.config.ServiceConfig;
import org.opencallback.domain.Callback;

/** An engine that remembers what it was given. */
final class RecordingEngine implements ExecutionEngine {
  final List<Callback> submitted = new CopyOnWriteArrayList<>();
  final List<Callback> recovered = new CopyOnWriteArrayList<>();
  final List<Callback> cancelled = new CopyOnWriteArrayList<>();

  @Override
  public void submit(Callback callback, ServiceConfig service) {
    submitted.add(callback);
  }

  @Override
  public void cancel(Callback callback) {
    cancelled.add(callback);
  }

  @Override
  public void recover(Callback callback, ServiceConfig service) {
    recovered.add(callback);
  }

  @Override
  public Optional<QueuePosition> position(String callbackId) {
    return Optional.empty();
  }

  @Override
  public Duration ewt(ServiceConfig service) {
    return Duration.ofSeconds(42);
  }

  @Override
  public void close() {}
}
