package org.opencallback.http;

import io.javalin.http.sse.SseClient;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One open event stream: a bounded queue of frames, written to the client by one writer at a time
 * (taken from the hub's writers only while there is something to write). Whoever produces events
 * (the engine's outbox, the notifier) only queues them and never waits for a socket. Thread-safe.
 */
final class StreamSubscriber {
  /** A frame: an event with its data, or a comment when {@code event} is null. */
  private record Frame(String event, String data) {}

  private final EventStreamHub hub;
  private final SseClient client;
  private final String label;
  /** Bound: {@code [server] event-stream-queue}; a client that lets it fill is dropped. */
  private final ArrayBlockingQueue<Frame> queue;
  private final Executor writers;
  private final Runnable release;
  private final AtomicBoolean draining = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile Runnable onClose = () -> {};

  StreamSubscriber(EventStreamHub hub, SseClient client, String label, int queueSize, Executor writers,
      Runnable release) {
    this.hub = hub;
    this.client = client;
    this.label = label;
    this.queue = new ArrayBlockingQueue<>(queueSize);
    this.writers = writers;
    this.release = release;
  }

  /** Runs once when the stream ends, for whatever reason (unsubscribes its source). */
  void onClose(Runnable action) {
    this.onClose = action;
    if (closed.get()) {
      action.run(); // closed before it was told what to undo
    }
  }

  /** Queues an event ({@code event} null: a comment); never blocks. False when the stream is gone. */
  boolean offer(String event, String data) {
    if (closed.get()) {
      return false;
    }
    if (!queue.offer(new Frame(event, data))) {
      hub.dropped(this, "its client did not read " + queue.size() + " queued events");
      close();
      return false;
    }
    schedule();
    return true;
  }

  private void schedule() {
    if (!closed.get() && draining.compareAndSet(false, true)) {
      try {
        writers.execute(this::drain);
      } catch (RejectedExecutionException e) {
        draining.set(false);
        hub.dropped(this, "no writer free");
        close();
      }
    }
  }

  private void drain() {
    try {
      Frame frame;
      while (!closed.get() && (frame = queue.poll()) != null) {
        if (frame.event() == null) {
          client.sendComment(frame.data());
        } else {
          client.sendEvent(frame.event(), frame.data());
        }
        if (client.terminated()) {
          close(); // the peer is gone (the write failed)
        }
      }
    } catch (RuntimeException e) {
      close();
    } finally {
      draining.set(false);
      if (closed.get()) {
        release.run();
      } else if (!queue.isEmpty()) {
        schedule();
      }
    }
  }

  /**
   * Ends the stream: nothing more is queued or written, the source is unsubscribed. The connection
   * is closed on a writer thread, never on the caller's (the engine's outbox, the notifier), since
   * closing may wait for the client.
   */
  void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    queue.clear();
    try {
      onClose.run();
    } finally {
      if (!client.terminated()) {
        try {
          writers.execute(this::closeConnection);
        } catch (RejectedExecutionException e) {
          // shutting down, or every writer busy: the client's idle timeout ends the connection
        }
      }
      if (!draining.get()) {
        release.run(); // else the writer gives the place back when its write returns
      }
    }
  }

  private void closeConnection() {
    try {
      client.close();
    } catch (RuntimeException e) {
      // already gone
    }
  }

  @Override
  public String toString() {
    return label;
  }
}
