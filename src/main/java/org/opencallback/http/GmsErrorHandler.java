package org.opencallback.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's own refusals (a request it cannot parse, an ambiguous or invalid URI, a header too large)
 * never reach Javalin; this handler answers them with a GMS error body instead of Jetty's HTML page.
 */
final class GmsErrorHandler extends ErrorHandler {
  private final ObjectMapper json;

  GmsErrorHandler(ObjectMapper json) {
    this.json = json;
    setShowStacks(false);
    setShowCauses(false);
  }

  byte[] bytes(int status, String message) {
    String text = message == null || message.isBlank() ? "HTTP " + status : message;
    try {
      return json.writeValueAsBytes(ErrorBodies.body(ErrorBodies.forStatus(status, "Bad request: " + text)));
    } catch (JsonProcessingException e) {
      return ("{\"code\":40010,\"phrase\":\"INVALID_PARAMETER\",\"message\":\"Bad request\","
          + "\"exception\":\"com.genesyslab.gsg.GSGException\",\"properties\":{}}").getBytes(StandardCharsets.UTF_8);
    }
  }

  /** Jetty writes a body for GET, POST and HEAD only; a GMS client gets one whatever the method. */
  @Override
  public boolean errorPageForMethod(String method) {
    return true;
  }

  /** JSON whatever the request's {@code Accept} says (Jetty writes nothing when none is acceptable). */
  @Override
  protected void generateResponse(Request request, Response response, int code, String message,
      Throwable cause, Callback callback) {
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.getHeaders().put("X-Content-Type-Options", "nosniff");
    response.getHeaders().put("Content-Security-Policy", SecurityHeaders.API_POLICY);
    response.write(true, ByteBuffer.wrap(bytes(code, message)), callback);
  }

  @Override
  public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
    fields.put(HttpHeader.CONTENT_TYPE, "application/json");
    fields.put("X-Content-Type-Options", "nosniff");
    fields.put("Content-Security-Policy", SecurityHeaders.API_POLICY);
    return ByteBuffer.wrap(bytes(status, reason));
  }
}
