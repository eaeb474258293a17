package org.opencallback.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;
import org.opencallback.domain.CallbackException;
import org.opencallback.domain.ErrorCode;

/** The one place that turns refusals into GMS error bodies {code, phrase, message, exception, properties}. */
final class ErrorBodies {
  private ErrorBodies() {}

  static void write(Context ctx, ObjectMapper json, CallbackException error) {
    ctx.status(GmsErrors.status(error));
    Responses.json(ctx, json, body(error));
  }

  /** The GMS error body of this refusal. */
  static Map<String, Object> body(CallbackException error) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("code", error.code().code());
    body.put("phrase", error.code().phrase());
    body.put("message", error.getMessage());
    body.put("exception", GmsErrors.exceptionClass(error.fault()));
    body.put("properties", error.properties());
    body.putAll(error.extra());
    return body;
  }

  static CallbackException forStatus(int status, String message) {
    ErrorCode code = status >= 500 ? ErrorCode.INTERNAL_ERROR : ErrorCode.INVALID_PARAMETER;
    return new HttpRefusal(status, code, message, Map.of());
  }
}
