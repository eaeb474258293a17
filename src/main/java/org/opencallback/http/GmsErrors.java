package org.opencallback.http;

import org.opencallback.domain.CallbackException;
import org.opencallback.domain.CallbackException.Fault;
import org.opencallback.domain.ErrorCode;

/**
 * The one place that says how a refusal is answered over HTTP, as GMS answers it: the status, and the
 * GMS Java exception class name sent in the body's {@code exception} field (docs/errors.md). The
 * code and phrase come from the catalogue ({@link ErrorCode}); {@link ErrorBodies} writes the body.
 * No class outside {@code http} names a GMS exception class (ArchitectureTest checks it).
 */
final class GmsErrors {
  static final String GENERIC = "com.genesyslab.gsg.GSGException";
  private static final String CALLBACK = "com.genesyslab.gsg.services.callback.exceptions.CallbackException";
  static final String INVALID_OPERATION = CALLBACK + "InvalidOperation";
  static final String AVAILABILITY = CALLBACK + "Availability";
  static final String RESOURCE = CALLBACK + "Resource";
  static final String SERVICE_UNAVAILABLE = CALLBACK + "ServiceUnavailable";
  static final String NUMBER = CALLBACK + "Number";
  static final String NOT_FOUND = CALLBACK + "NotFound";
  static final String CAPACITY = "com.genesyslab.gsg.services.capacity.CapacityException";

  private GmsErrors() {}

  /**
   * The HTTP status: the code's, except 404 for a service that is not configured (when the code is
   * not a server error), 503 when the server is busy, and an {@link HttpRefusal}'s own.
   */
  static int status(CallbackException refusal) {
    if (refusal instanceof HttpRefusal edge) {
      return edge.status();
    }
    if (refusal.fault() == Fault.BUSY) {
      return 503;
    }
    if (refusal.fault() == Fault.NOT_PERMITTED) {
      return 403;
    }
    int status = status(refusal.code());
    return status < 500 && refusal.fault() == Fault.UNKNOWN_SERVICE ? 404 : status;
  }

  /** The status GMS answers each code with. */
  static int status(ErrorCode code) {
    return switch (code) {
      case DUPLICATE_IN_QUEUE, QUEUE_LIMIT_REACHED, SERVICE_THROTTLED, PARAMETER_THROTTLED -> 429;
      case INVALID_PARAMETER, INVALID_OPERATION, NOT_FOUND, REQUEST_REJECTED, TIME_NOT_AVAILABLE, SLOT_FULL -> 400;
      case CAPACITY_SERVICE_ERROR, OFFICE_HOURS_SERVICE_ERROR, SUBMIT_ATTEMPTS_EXHAUSTED, STORAGE_ERROR,
          ENGINE_ERROR, REDIRECT_FAILED, INTERNAL_ERROR -> 500;
    };
  }

  /** The GMS exception class name of a fault. */
  static String exceptionClass(Fault fault) {
    return switch (fault) {
      case INVALID_REQUEST, BUSY, FAILURE -> GENERIC;
      case NOT_ALLOWED, NOT_PERMITTED -> INVALID_OPERATION;
      case NOT_FOUND -> NOT_FOUND;
      case UNKNOWN_SERVICE, OFFICE_HOURS_MISSING -> RESOURCE;
      case TIME_NOT_AVAILABLE -> AVAILABILITY;
      case LIMIT_REACHED -> SERVICE_UNAVAILABLE;
      case NUMBER_REFUSED -> NUMBER;
      case CAPACITY_MISSING -> CAPACITY;
    };
  }
}
