package org.opencallback.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;

/** JSON responses written with the server's one ObjectMapper. */
final class Responses {
  private Responses() {}

  static void json(Context ctx, ObjectMapper json, Object body) {
    try {
      ctx.contentType("application/json").result(json.writeValueAsBytes(body));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("response cannot be written as JSON", e);
    }
  }
}
