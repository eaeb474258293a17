package org.opencallback.notify;

/** A notification message file cannot be read, or is not a JSON object of strings. */
public final class MessageFileException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public MessageFileException(String message) {
    super(message);
  }

  public MessageFileException(String message, Throwable cause) {
    super(message, cause);
  }
}
