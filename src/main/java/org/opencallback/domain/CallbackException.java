package org.opencallback.domain;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The one root of every refusal: what went wrong ({@link Fault}), its catalogue code
 * ({@link ErrorCode}, docs/errors.md), the message and the message's template variables. How a
 * refusal is answered over HTTP (status, GMS exception class name) is decided in one place at the
 * edge, {@code http.GmsErrors}.
 */
public class CallbackException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** What went wrong, in the domain's terms. */
  public enum Fault {
    /** A value of the request is wrong or missing. */
    INVALID_REQUEST,
    /** The callback's state or one of the service's rules does not allow the operation. */
    NOT_ALLOWED,
    /** The caller is not the party the operation is reserved to (e.g. engine-only state reports). */
    NOT_PERMITTED,
    /** No callback (or agent) has the id the request names. */
    NOT_FOUND,
    /** The callback service the request names is not configured. */
    UNKNOWN_SERVICE,
    /** The desired time is not available: office closed, bucket full, too early or too late. */
    TIME_NOT_AVAILABLE,
    /** A queue limit or a throttle of the service is reached. */
    LIMIT_REACHED,
    /** The customer number is refused by the service's number policy. */
    NUMBER_REFUSED,
    /** The office hours the service names are not configured. */
    OFFICE_HOURS_MISSING,
    /** The capacity plan the service names is not configured. */
    CAPACITY_MISSING,
    /** The server is busy (too many concurrent changes or requests): the same request may work later. */
    BUSY,
    /** An engine, the store or the server failed. */
    FAILURE
  }

  private final ErrorCode code;
  private final Fault fault;
  private final Map<String, Object> properties;
  private final Map<String, Object> extra;

  public CallbackException(ErrorCode code, Fault fault, String message) {
    this(code, fault, message, Map.of(), Map.of());
  }

  /**
   * @param properties the message's template variables
   * @param extra facts beside them, e.g. {@code availability}: proposed slots
   */
  public CallbackException(
      ErrorCode code, Fault fault, String message, Map<String, ?> properties, Map<String, ?> extra) {
    super(message);
    this.code = Objects.requireNonNull(code);
    this.fault = Objects.requireNonNull(fault);
    this.properties = new LinkedHashMap<>(properties);
    this.extra = new LinkedHashMap<>(extra);
  }

  public static CallbackException invalidParameter(String message) {
    return new CallbackException(ErrorCode.INVALID_PARAMETER, Fault.INVALID_REQUEST, message);
  }

  public static CallbackException invalidOperation(String message) {
    return new CallbackException(ErrorCode.INVALID_OPERATION, Fault.NOT_ALLOWED, message);
  }

  public static CallbackException notFound(String message) {
    return new CallbackException(ErrorCode.NOT_FOUND, Fault.NOT_FOUND, message);
  }

  public ErrorCode code() {
    return code;
  }

  public Fault fault() {
    return fault;
  }

  /** Template variables of the message (the GMS {@code properties} object). */
  public Map<String, Object> properties() {
    return properties;
  }

  /** Extra top-level members of the error body, e.g. {@code availability}. */
  public Map<String, Object> extra() {
    return extra;
  }
}
