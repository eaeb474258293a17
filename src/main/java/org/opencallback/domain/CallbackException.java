package org.opencallback.domain;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The one root of every refusal the API answers with a GMS error body. It carries the GMS code, the
 * message, the GMS exception class name and the message's template variables.
 */
public class CallbackException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** GMS's exception class names, sent in the {@code exception} field of the error body. */
  public static final String INVALID_OPERATION =
      "com.genesyslab.gsg.services.callback.exceptions.CallbackExceptionInvalidOperation";
  public static final String AVAILABILITY =
      "com.genesyslab.gsg.services.callback.exceptions.CallbackExceptionAvailability";
  public static final String RESOURCE =
      "com.genesyslab.gsg.services.callback.exceptions.CallbackExceptionResource";
  public static final String SERVICE_UNAVAILABLE =
      "com.genesyslab.gsg.services.callback.exceptions.CallbackExceptionServiceUnavailable";
  public static final String NUMBER =
      "com.genesyslab.gsg.services.callback.exceptions.CallbackExceptionNumber";
  public static final String NOT_FOUND =
      "com.genesyslab.gsg.services.callback.exceptions.CallbackExceptionNotFound";
  public static final String CAPACITY = "com.genesyslab.gsg.services.capacity.CapacityException";
  public static final String GENERIC = "com.genesyslab.gsg.GSGException";

  private final ErrorCode code;
  private final String exceptionClass;
  private final Map<String, Object> properties;
  private final Map<String, Object> extra;
  private final int httpStatus;

  public CallbackException(ErrorCode code, String exceptionClass, String message) {
    this(code, exceptionClass, message, Map.of(), Map.of(), code.httpStatus());
  }

  public CallbackException(
      ErrorCode code,
      String exceptionClass,
      String message,
      Map<String, ?> properties,
      Map<String, ?> extra,
      int httpStatus) {
    super(message);
    this.code = Objects.requireNonNull(code);
    this.exceptionClass = exceptionClass == null ? "" : exceptionClass;
    this.properties = new LinkedHashMap<>(properties);
    this.extra = new LinkedHashMap<>(extra);
    this.httpStatus = httpStatus;
  }

  public static CallbackException invalidParameter(String message) {
    return new CallbackException(ErrorCode.INVALID_PARAMETER, GENERIC, message);
  }

  public static CallbackException invalidOperation(String message) {
    return new CallbackException(ErrorCode.INVALID_OPERATION, INVALID_OPERATION, message);
  }

  public static CallbackException notFound(String message) {
    return new CallbackException(ErrorCode.NOT_FOUND, NOT_FOUND, message);
  }

  public ErrorCode code() {
    return code;
  }

  public String exceptionClass() {
    return exceptionClass;
  }

  /** Template variables of the message (the GMS {@code properties} object). */
  public Map<String, Object> properties() {
    return properties;
  }

  /** Extra top-level members of the error body, e.g. {@code availability}. */
  public Map<String, Object> extra() {
    return extra;
  }

  public int httpStatus() {
    return httpStatus;
  }
}
