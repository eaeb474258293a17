package org.opencallback.http;

import io.javalin.http.Context;
import io.javalin.http.sse.SseClient;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.opencallback.config.OptionValues;
import org.opencallback.domain.CallbackException;
import org.opencallback.domain.ErrorCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server-sent event streams of agents and customers' pages, off every shared thread
 * (docs/reliability.md): an event is only put in the subscriber's bounded queue; writer threads
 * write it to the socket. A subscriber whose queue is full (a slow or dead client) is dropped with a
 * log line and a metric; a comment ({@code : ping}) every {@code [server] event-stream-heartbeat}
 * finds peers that went away. Streams are capped in all and per client address. Thread-safe.
 *
 * <p>Bounds: at most {@code max-event-streams} open streams (so as many entries in {@link #open}),
 * at most that many writer threads (a thread is taken only while a stream has something to write,
 * and given back 30 s after it idles), {@code event-stream-queue} events queued per stream, one
 * entry per client address with open streams in {@link #perClient} (removed at zero).
 */
public final class EventStreamHub implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EventStreamHub.class);
  public static final String MAX_STREAMS = "max-event-streams";
  public static final String MAX_STREAMS_PER_CLIENT = "max-event-streams-per-client";
  public static final String QUEUE = "event-stream-queue";
  public static final String HEARTBEAT = "event-stream-heartbeat";
  static final int DEFAULT_MAX_STREAMS = 1000;
  static final int DEFAULT_MAX_STREAMS_PER_CLIENT = 500;
  static final int DEFAULT_QUEUE = 256;
  static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(15);
  /** Seconds a client refused for the caps is told to wait. */
  static final int RETRY_AFTER_SECONDS = 5;

  private final int maxStreams;
  private final int maxPerClient;
  private final int queueSize;
  /** Bound: max-event-streams; a stream leaves when it ends or is dropped. */
  private final Set<StreamSubscriber> open = ConcurrentHashMap.newKeySet();
  /** Bound: client addresses with an open stream (at most max-event-streams); removed at zero. */
  private final Map<String, AtomicInteger> perClient = new ConcurrentHashMap<>();
  private final AtomicInteger total = new AtomicInteger();
  private final ThreadPoolExecutor writers;
  private final ScheduledExecutorService pinger;
  private final Counter dropped;
  private final Counter refused;

  /** With the {@code [server]} options (validated by the option catalogue). */
  public static EventStreamHub of(OptionValues server, MeterRegistry registry) {
    return new EventStreamHub(
        server.integer(MAX_STREAMS, DEFAULT_MAX_STREAMS),
        server.integer(MAX_STREAMS_PER_CLIENT, DEFAULT_MAX_STREAMS_PER_CLIENT),
        server.integer(QUEUE, DEFAULT_QUEUE),
        server.duration(HEARTBEAT, DEFAULT_HEARTBEAT),
        registry);
  }

  EventStreamHub(int maxStreams, int maxPerClient, int queueSize, Duration heartbeat, MeterRegistry registry) {
    this.maxStreams = maxStreams;
    this.maxPerClient = maxPerClient;
    this.queueSize = queueSize;
    AtomicInteger threads = new AtomicInteger();
    this.writers = new ThreadPoolExecutor(0, Math.max(1, maxStreams), 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
        runnable -> {
          Thread thread = new Thread(null, runnable, "event-stream-writer-" + threads.incrementAndGet(), 256 * 1024);
          thread.setDaemon(true);
          return thread;
        });
    this.pinger = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "event-stream-ping");
      thread.setDaemon(true);
      return thread;
    });
    long every = Math.max(100, heartbeat.toMillis());
    pinger.scheduleAtFixedRate(this::ping, every, every, TimeUnit.MILLISECONDS);
    this.dropped = Counter.builder("opencallback_event_streams_dropped")
        .description("Event streams dropped because their client did not keep up (queue full)")
        .register(registry);
    this.refused = Counter.builder("opencallback_event_streams_refused")
        .description("Event streams refused: too many open, in all or from one client address")
        .register(registry);
    Gauge.builder("opencallback_event_streams_open", total, AtomicInteger::get)
        .description("Open server-sent event streams (agents and customers' pages)")
        .register(registry);
  }

  /**
   * A place for one more stream from this request's client address, taken before the stream opens.
   *
   * @throws CallbackException 503 (GMS 50050, {@code Retry-After}) when a cap is reached
   */
  Reservation reserve(Context ctx) {
    String address = ctx.ip();
    AtomicInteger mine = perClient.compute(address, (key, count) -> count == null ? new AtomicInteger() : count);
    boolean tooManyHere;
    synchronized (this) {
      tooManyHere = mine.get() >= maxPerClient;
      if (!tooManyHere && total.get() < maxStreams) {
        mine.incrementAndGet();
        total.incrementAndGet();
        return new Reservation(address);
      }
      perClient.computeIfPresent(address, (key, count) -> count.get() == 0 ? null : count);
    }
    refused.increment();
    ctx.header("Retry-After", String.valueOf(RETRY_AFTER_SECONDS));
    String limit = tooManyHere ? MAX_STREAMS_PER_CLIENT : MAX_STREAMS;
    LOG.warn("Event stream refused for {}: {} reached", address, limit);
    throw new CallbackException(ErrorCode.INTERNAL_ERROR, CallbackException.Fault.BUSY,
        "Too many event streams open" + (tooManyHere ? " from this address" : "") + "; retry later",
        Map.of(limit, String.valueOf(tooManyHere ? maxPerClient : maxStreams)), Map.of());
  }

  private synchronized void release(String address) {
    total.decrementAndGet();
    perClient.computeIfPresent(address, (key, count) -> count.decrementAndGet() <= 0 ? null : count);
  }

  /** Open streams now. */
  int open() {
    return total.get();
  }

  private void ping() {
    for (StreamSubscriber subscriber : open) {
      subscriber.offer(null, "ping");
    }
  }

  void dropped(StreamSubscriber subscriber, String why) {
    dropped.increment();
    LOG.warn("Event stream {} dropped: {}", subscriber, why);
  }

  /** After the HTTP server stopped (it ended the connections): stops the writers and the pings. */
  @Override
  public void close() {
    pinger.shutdownNow();
    writers.shutdownNow();
  }

  /** A place taken for one stream: attached to its client once the stream is open, or cancelled. */
  final class Reservation {
    private final String address;
    private final java.util.concurrent.atomic.AtomicBoolean released = new java.util.concurrent.atomic.AtomicBoolean();

    private Reservation(String address) {
      this.address = address;
    }

    /** The stream opened: events for it go through the returned subscriber. */
    StreamSubscriber attach(SseClient client, String label) {
      StreamSubscriber[] subscriber = new StreamSubscriber[1];
      subscriber[0] = new StreamSubscriber(EventStreamHub.this, client, label + " from " + address, queueSize, writers,
          () -> {
            open.remove(subscriber[0]);
            release();
          });
      open.add(subscriber[0]);
      return subscriber[0];
    }

    /** Gives the place back (once). */
    void release() {
      if (released.compareAndSet(false, true)) {
        EventStreamHub.this.release(address);
      }
    }
  }
}
