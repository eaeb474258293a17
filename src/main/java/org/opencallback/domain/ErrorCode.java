package org.opencallback.domain;

/**
 * The GMS error catalogue: numeric code, HTTP status and phrase word. Where GMS's phrase word was not
 * recovered, the word here is OpenCallback's own choice (docs/errors.md lists them all).
 */
public enum ErrorCode {
  DUPLICATE_IN_QUEUE(40001, 429),
  QUEUE_LIMIT_REACHED(40002, 429),
  SERVICE_THROTTLED(40003, 429),
  PARAMETER_THROTTLED(40004, 429),
  INVALID_PARAMETER(40010, 400),
  INVALID_OPERATION(40020, 400),
  NOT_FOUND(40030, 400),
  REQUEST_REJECTED(40040, 400),
  TIME_NOT_AVAILABLE(40050, 400),
  SLOT_FULL(40051, 400),
  CAPACITY_SERVICE_ERROR(50004, 500),
  OFFICE_HOURS_SERVICE_ERROR(50005, 500),
  SUBMIT_ATTEMPTS_EXHAUSTED(50006, 500),
  STORAGE_ERROR(50020, 500),
  ENGINE_ERROR(50030, 500),
  REDIRECT_FAILED(50040, 500),
  INTERNAL_ERROR(50050, 500);

  private final int code;
  private final int httpStatus;

  ErrorCode(int code, int httpStatus) {
    this.code = code;
    this.httpStatus = httpStatus;
  }

  public int code() {
    return code;
  }

  public int httpStatus() {
    return httpStatus;
  }

  /** The phrase word sent in the error body, e.g. {@code INVALID_OPERATION}. */
  public String phrase() {
    return name();
  }
}
