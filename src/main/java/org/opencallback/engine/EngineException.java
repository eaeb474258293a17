package org.opencallback.engine;

import org.opencallback.domain.Redact;

/**
 * An execution engine could not take or release a callback. The message is logged and kept on the
 * callback, so credentials in the URLs it names are taken out ({@link Redact#urls}).
 */
public final class EngineException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public EngineException(String message) {
    super(Redact.urls(message));
  }

  public EngineException(String message, Throwable cause) {
    super(Redact.urls(message), cause);
  }
}
