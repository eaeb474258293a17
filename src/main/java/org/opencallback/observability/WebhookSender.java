package org.opencallback.observability;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.opencallback.domain.Redact;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POSTs reporting events, one JSON object per request, to the URL in force ({@code [server]
 * reporting-webhook}), from one background thread. The queue is bounded: when the receiver cannot keep
 * up, new events are dropped and counted rather than slowing requests down. No retries. Thread-safe.
 */
public final class WebhookSender implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WebhookSender.class);
  public static final int CAPACITY = 10_000;
  static final Duration TIMEOUT = Duration.ofSeconds(5);

  private final Supplier<String> url;
  private final BlockingQueue<Event> queue = new ArrayBlockingQueue<>(CAPACITY);
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
  private final Counter sent;
  private final Counter failed;
  private final Counter dropped;
  private final Thread worker;
  private volatile boolean running = true;

  /** @param url the webhook URL in force, or null/blank for none (read for every event) */
  public WebhookSender(Supplier<String> url, MeterRegistry registry) {
    this.url = url;
    this.sent = Counter.builder("opencallback.events.webhook").tag("outcome", "sent").register(registry);
    this.failed = Counter.builder("opencallback.events.webhook").tag("outcome", "failed").register(registry);
    this.dropped = Counter.builder("opencallback.events.webhook").tag("outcome", "dropped").register(registry);
    this.worker = new Thread(this::run, "reporting-webhook");
    worker.setDaemon(true);
    worker.start();
  }

  /** Queues an event for the webhook, if one is configured; never blocks. */
  public void offer(String event) {
    String target = url.get();
    if (target == null || target.isBlank()) {
      return;
    }
    if (!queue.offer(new Event(target.trim(), event))) {
      dropped.increment();
    }
  }

  private void run() {
    while (running) {
      Event event;
      try {
        event = queue.poll(1, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        return;
      }
      if (event != null) {
        send(event);
      }
    }
  }

  private void send(Event event) {
    try {
      HttpRequest request = HttpRequest.newBuilder(URI.create(event.url()))
          .timeout(TIMEOUT)
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(event.body()))
          .build();
      int status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
      if (status >= 200 && status < 300) {
        sent.increment();
      } else {
        failed.increment();
        LOG.warn("Reporting webhook answered {}", status);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    } catch (Exception e) {
      // background loops never die: count, log, go on
      failed.increment();
      LOG.warn("Reporting webhook failed: {}", Redact.urls(e.toString()));
    }
  }

  @Override
  public void close() {
    running = false;
    worker.interrupt();
  }

  private record Event(String url, String body) {}
}
