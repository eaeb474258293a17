package org.opencallback.http;

import java.util.Map;
import org.opencallback.domain.CallbackException;
import org.opencallback.domain.ErrorCode;

/**
 * A refusal only the HTTP edge makes, with a status of its own: no such route (404), method not
 * allowed (405), credentials needed (401), origin refused (403), too many failed logins (429), a
 * request Jetty could not read. Its body is a GMS error body like any other.
 */
final class HttpRefusal extends CallbackException {
  private static final long serialVersionUID = 1L;
  private final int status;

  HttpRefusal(int status, ErrorCode code, String message, Map<String, ?> properties) {
    super(code, status >= 500 ? Fault.FAILURE : Fault.INVALID_REQUEST, message, properties, Map.of());
    this.status = status;
  }

  int status() {
    return status;
  }
}
