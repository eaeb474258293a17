package org.opencallback.domain;

/**
 * The error catalogue (docs/errors.md): numeric code and phrase word, as GMS numbers them; they also
 * name refusals in reporting events and admin results. Where GMS's phrase word was not recovered, the
 * word here is OpenCallback's own choice. The HTTP status of each is {@code http.GmsErrors}'s.
 */
public enum ErrorCode {
  DUPLICATE_IN_QUEUE(40001),
  QUEUE_LIMIT_REACHED(40002),
  SERVICE_THROTTLED(40003),
  PARAMETER_THROTTLED(40004),
  INVALID_PARAMETER(40010),
  INVALID_OPERATION(40020),
  NOT_FOUND(40030),
  REQUEST_REJECTED(40040),
  TIME_NOT_AVAILABLE(40050),
  SLOT_FULL(40051),
  CAPACITY_SERVICE_ERROR(50004),
  OFFICE_HOURS_SERVICE_ERROR(50005),
  SUBMIT_ATTEMPTS_EXHAUSTED(50006),
  STORAGE_ERROR(50020),
  ENGINE_ERROR(50030),
  REDIRECT_FAILED(50040),
  INTERNAL_ERROR(50050);

  private final int code;

  ErrorCode(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  /** The phrase word sent in the error body, e.g. {@code INVALID_OPERATION}. */
  public String phrase() {
    return name();
  }
}
