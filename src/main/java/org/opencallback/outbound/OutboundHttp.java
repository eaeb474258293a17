package org.opencallback.outbound;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;
import org.eclipse.jetty.client.BufferingResponseListener;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The HTTP client for URLs a request chose (the {@code _ors} overwrite, {@code httpcb}
 * notifications, a token-filled {@code _webhook_url}, a request-chosen {@code
 * _notification_message_file}: POST, and GET for the message file). Every URL goes through {@link
 * OutboundGuard#checkWithoutLookup} (allow-list, literal addresses) before every request, connections
 * opened under a policy a reload replaced are dropped, and every new connection
 * resolves its host through {@link OutboundGuard#addresses}, and Jetty connects to exactly the
 * addresses that check returned (no second lookup, so no DNS rebinding). Redirects are never
 * followed. Bounds: {@value #MAX_CONNECTIONS} connections per destination, idle destinations dropped
 * after {@link #DESTINATION_IDLE}, answers read up to {@value #MAX_ANSWER} bytes, {@value #THREADS}
 * threads. Thread-safe.
 */
public final class OutboundHttp implements AutoCloseable {
  static final int MAX_CONNECTIONS = 8;
  static final int MAX_ANSWER = 256 * 1024;
  static final int THREADS = 8;
  static final Duration DESTINATION_IDLE = Duration.ofMinutes(1);
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

  /** A remote answer: its status and (bounded) body. Never to be echoed to an API client. */
  public record Answer(int status, String body) {}

  private final OutboundGuard guard;
  private final HttpClient client;
  /** The policy the pooled connections were checked against; a changed one drops them all. */
  private final java.util.concurrent.atomic.AtomicReference<OutboundPolicy> pooledUnder =
      new java.util.concurrent.atomic.AtomicReference<>();

  public OutboundHttp(OutboundGuard guard) {
    this.guard = guard;
    QueuedThreadPool threads = new QueuedThreadPool(THREADS, 2);
    threads.setName("outbound-http");
    threads.setDaemon(true);
    this.client = new HttpClient();
    client.setExecutor(threads);
    client.setSocketAddressResolver(this::resolve);
    client.setFollowRedirects(false);
    client.setConnectTimeout(CONNECT_TIMEOUT.toMillis());
    client.setDestinationIdleTimeout(DESTINATION_IDLE.toMillis());
    client.setMaxConnectionsPerDestination(MAX_CONNECTIONS);
    client.setUserAgentField(new HttpField(HttpHeader.USER_AGENT, "OpenCallback"));
    try {
      client.start();
    } catch (Exception e) {
      throw new IllegalStateException("the outbound HTTP client cannot start", e);
    }
  }

  private void resolve(String host, int port, Map<String, Object> context, Promise<List<InetSocketAddress>> promise) {
    List<InetSocketAddress> checked = new ArrayList<>();
    try {
      for (InetAddress address : guard.addresses(host)) {
        checked.add(new InetSocketAddress(address, port));
      }
    } catch (OutboundRefused refused) {
      promise.failed(refused);
      return;
    }
    promise.succeeded(checked);
  }

  /**
   * POSTs a body to a request-chosen URL.
   *
   * @return the answer, once complete; fails with {@link OutboundRefused} when the policy refuses
   *     the URL or an address of its host (nothing is sent then), else with an {@link IOException}
   */
  public CompletableFuture<Answer> post(String url, String contentType, byte[] body, Duration timeout) {
    return post(url, contentType, body, timeout, Map.of());
  }

  /** {@link #post(String, String, byte[], Duration)} with request headers (a webhook's signature). */
  public CompletableFuture<Answer> post(
      String url, String contentType, byte[] body, Duration timeout, Map<String, String> headers) {
    return send(url, timeout, request -> request.method(HttpMethod.POST)
        .body(new BytesRequestContent(contentType, body))
        .headers(fields -> headers.forEach(fields::put)));
  }

  /**
   * GETs a request-chosen URL (a {@code _notification_message_file} a request filled or overrode),
   * checked as {@link #post} is: allow-list and literal addresses first, then every address its host
   * resolves to, at connect time. Bounded: {@code timeout} for the whole exchange, an answer longer
   * than {@value #MAX_ANSWER} bytes fails.
   *
   * @return the answer; fails as {@link #post} does
   */
  public CompletableFuture<Answer> get(String url, Duration timeout) {
    return send(url, timeout, request -> request.method(HttpMethod.GET));
  }

  /**
   * The one path of every call: the URL judged (allow-list, literal addresses) before anything is
   * sent, pooled connections dropped if the policy changed, no redirects, the whole exchange bounded
   * by {@code timeout}, the answer by {@value #MAX_ANSWER} bytes; {@code shape} sets method and body.
   */
  private CompletableFuture<Answer> send(
      String url, Duration timeout, UnaryOperator<Request> shape) {
    CompletableFuture<Answer> answer = new CompletableFuture<>();
    URI uri;
    try {
      // literal addresses judged here too: a pooled connection is never resolved (checked) again
      uri = guard.checkWithoutLookup(url);
      dropConnectionsOnPolicyChange();
    } catch (OutboundRefused refused) {
      answer.completeExceptionally(refused);
      return answer;
    }
    shape.apply(client.newRequest(uri))
        .followRedirects(false)
        .timeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .send(listener(answer));
    return answer;
  }

  /** {@link #get}, waiting for the answer. */
  public Answer getAndWait(String url, Duration timeout) {
    return await(get(url, timeout), timeout);
  }

  /** Completes {@code answer} with the response, its body read up to {@value #MAX_ANSWER} bytes. */
  private static BufferingResponseListener listener(CompletableFuture<Answer> answer) {
    return new BufferingResponseListener(MAX_ANSWER) {
      @Override
      public void onComplete(Result result) {
        if (result.isFailed()) {
          answer.completeExceptionally(refusalIn(result.getFailure()));
        } else {
          answer.complete(new Answer(result.getResponse().getStatus(), getContentAsString(StandardCharsets.UTF_8)));
        }
      }
    };
  }

  /** {@link #post}, waiting for the answer. */
  public Answer postAndWait(String url, String contentType, byte[] body, Duration timeout) {
    return postAndWait(url, contentType, body, timeout, Map.of());
  }

  /** {@link #post(String, String, byte[], Duration, Map)}, waiting for the answer. */
  public Answer postAndWait(String url, String contentType, byte[] body, Duration timeout, Map<String, String> headers) {
    return await(post(url, contentType, body, timeout, headers), timeout);
  }

  private static Answer await(CompletableFuture<Answer> answer, Duration timeout) {
    try {
      return answer.get(timeout.toMillis() + CONNECT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof OutboundRefused refused) {
        throw refused;
      }
      throw new UncheckedIOException(new IOException(String.valueOf(e.getCause()), e.getCause()));
    } catch (TimeoutException e) {
      throw new UncheckedIOException(new IOException("no answer in " + timeout.toMillis() + " ms", e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UncheckedIOException(new IOException("interrupted", e));
    }
  }

  /**
   * After a reload changed the policy, connections opened under the old one are closed (their
   * destinations removed), so that every address is judged again at its next connection.
   */
  private void dropConnectionsOnPolicyChange() {
    OutboundPolicy current = guard.policy();
    OutboundPolicy before = pooledUnder.getAndSet(current);
    if (before != null && before != current) {
      client.getDestinations().forEach(client::removeDestination);
    }
  }

  /** The refusal behind a failure (Jetty wraps what the resolver failed with), else the failure. */
  private static Throwable refusalIn(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof OutboundRefused) {
        return cause;
      }
    }
    return failure instanceof IOException ? failure : new IOException(String.valueOf(failure.getMessage()), failure);
  }

  @Override
  public void close() {
    try {
      client.stop();
    } catch (Exception e) {
      // stopping: nothing more to do
    }
  }
}
