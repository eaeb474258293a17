package org.opencallback.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import org.opencallback.domain.CallbackException;
import org.opencallback.domain.ErrorCode;

/**
 * Load shedding: at most {@code limit} requests are handled at once; one more is answered at once with
 * 503, a GMS error body (50050) and {@code Retry-After}, instead of queueing without bound. The health
 * endpoints and the server-sent event routes (which stay open as long as an agent or a customer page
 * is connected; capped by {@link EventStreamHub}) are never limited; a request is known as a stream
 * by its route, not by its {@code Accept} header. {@code [server] max-concurrent-requests}; 0 turns the limit off.
 */
final class ConcurrencyLimit implements Filter {
  static final String OPTION = "max-concurrent-requests";
  static final int DEFAULT = 200;
  /** Seconds a refused client is told to wait. */
  static final int RETRY_AFTER_SECONDS = 1;

  private final int limit;
  private final Semaphore permits;
  private final byte[] body;
  private final AtomicLong rejected = new AtomicLong();

  ConcurrencyLimit(int limit, ObjectMapper json) {
    this.limit = limit;
    this.permits = new Semaphore(Math.max(limit, 0));
    CallbackException error = new CallbackException(
        ErrorCode.INTERNAL_ERROR, CallbackException.Fault.BUSY,
        "Server overloaded: more than " + limit + " requests in progress; retry later",
        Map.of("max-concurrent-requests", String.valueOf(limit)), Map.of());
    try {
      this.body = json.writeValueAsBytes(ErrorBodies.body(error));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The event-stream routes (AgentRoutes, NotificationRoutes), exempt from the limit. */
  private static final java.util.regex.Pattern STREAMS =
      java.util.regex.Pattern.compile("/genesys/1/(engine/agents|notification/callback)/[^/]+/events");

  static boolean isStream(String method, String path) {
    return "GET".equals(method) && STREAMS.matcher(path).matches();
  }

  boolean enabled() {
    return limit > 0;
  }

  long rejected() {
    return rejected.get();
  }

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    HttpServletRequest http0 = (HttpServletRequest) request;
    if (request.getDispatcherType() != DispatcherType.REQUEST
        || http0.getRequestURI().startsWith("/health/")
        // event streams (agents, customers) stay open for hours: they must not hold a permit; they
        // are known by their route, never by a header a client chooses, and capped by EventStreamHub
        || isStream(http0.getMethod(), http0.getRequestURI())) {
      chain.doFilter(request, response);
      return;
    }
    if (!permits.tryAcquire()) {
      rejected.incrementAndGet();
      HttpServletResponse http = (HttpServletResponse) response;
      http.setStatus(503);
      http.setHeader("Retry-After", String.valueOf(RETRY_AFTER_SECONDS));
      http.setContentType("application/json");
      http.setContentLength(body.length);
      http.getOutputStream().write(body);
      return;
    }
    try {
      chain.doFilter(request, response);
    } finally {
      permits.release();
    }
  }
}
