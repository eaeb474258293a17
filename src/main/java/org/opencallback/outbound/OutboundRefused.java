package org.opencallback.outbound;

/**
 * A request-chosen URL the outbound policy refuses. Its message names the URL's host and the
 * rule that refused it, never anything a remote server answered.
 */
public final class OutboundRefused extends RuntimeException {
  private static final long serialVersionUID = 1L;

  OutboundRefused(String message) {
    super(message);
  }
}
