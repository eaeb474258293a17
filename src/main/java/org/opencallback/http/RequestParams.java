package org.opencallback.http;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import java.net.URLDecoder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.opencallback.domain.CallbackException;

/**
 * Reads request parameters: a JSON object or an {@code application/x-www-form-urlencoded} body, with
 * the query string's parameters underneath (the body wins). Anything unreadable is a 40010.
 */
final class RequestParams {
  private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {};
  /** Deepest nesting accepted in a JSON body. */
  static final int MAX_DEPTH = 32;
  /**
   * Most parameters accepted in one request, query string and body together (top-level keys of a JSON
   * body): like Jetty's form-key limit, it keeps a request within the body limit from storing tens of
   * thousands of properties on one callback.
   */
  public static final int MAX_PARAMETERS = 1_000;

  private RequestParams() {}

  static ObjectMapper configure(ObjectMapper mapper) {
    mapper.getFactory()
        .setStreamReadConstraints(
            StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).maxStringLength(1_000_000).build());
    return mapper;
  }

  static Map<String, Object> read(Context ctx, ObjectMapper json) {
    Map<String, Object> params = new LinkedHashMap<>(query(ctx));
    byte[] body = ctx.bodyAsBytes();
    if (body.length == 0) {
      return params;
    }
    String text = decode(body);
    if (text.isBlank()) {
      return params;
    }
    String contentType = ctx.contentType() == null ? "" : ctx.contentType().toLowerCase(Locale.ROOT);
    String trimmed = text.strip();
    if (contentType.contains("json") || trimmed.startsWith("{") || trimmed.startsWith("[")) {
      params.putAll(json(trimmed, json));
    } else {
      params.putAll(form(trimmed));
    }
    if (params.size() > MAX_PARAMETERS) {
      throw CallbackException.invalidParameter(
          "Too many parameters: " + params.size() + " (at most " + MAX_PARAMETERS + " in one request)");
    }
    return params;
  }

  /** The query string's parameters, first value of each. */
  static Map<String, String> query(Context ctx) {
    Map<String, String> params = new LinkedHashMap<>();
    for (Map.Entry<String, List<String>> entry : ctx.queryParamMap().entrySet()) {
      if (!entry.getValue().isEmpty()) {
        params.put(entry.getKey(), entry.getValue().get(0));
      }
    }
    return params;
  }

  private static Map<String, Object> json(String text, ObjectMapper json) {
    if (!text.startsWith("{")) {
      throw CallbackException.invalidParameter("Request body must be a JSON object");
    }
    try {
      Map<String, Object> parsed = json.readValue(text, MAP);
      return parsed == null ? Map.of() : parsed;
    } catch (JacksonException e) {
      throw CallbackException.invalidParameter(
          "Request body is not valid JSON: " + e.getOriginalMessage().split("\\R")[0]);
    }
  }

  private static Map<String, Object> form(String text) {
    Map<String, Object> params = new LinkedHashMap<>();
    for (String pair : text.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int equals = pair.indexOf('=');
      String key = equals < 0 ? pair : pair.substring(0, equals);
      String value = equals < 0 ? "" : pair.substring(equals + 1);
      try {
        params.put(
            URLDecoder.decode(key, StandardCharsets.UTF_8),
            URLDecoder.decode(value, StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        throw CallbackException.invalidParameter("Request body is not valid form data near '" + shorten(pair) + "'");
      }
    }
    return params;
  }

  private static String decode(byte[] body) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(body))
          .toString();
    } catch (CharacterCodingException e) {
      throw CallbackException.invalidParameter("Request body is not valid UTF-8");
    }
  }

  private static String shorten(String text) {
    return text.length() <= 40 ? text : text.substring(0, 40) + "…";
  }
}
