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
import org.eclipse.jetty.util.URIUtil;
import org.opencallback.domain.CallbackException;

/**
 * Reads request parameters: a JSON object or an {@code application/x-www-form-urlencoded} body, with
 * the query string's parameters underneath (the body wins). Anything unreadable is a 40010.
 *
 * <p>The one place control characters are refused (docs/security.md, "Control characters"): U+0000 to
 * U+001F and U+007F in a path, a parameter or property name, and a parameter or property value, except
 * tab, CR and LF, which a value (a note, an address) may hold. {@link #refuseControlCharacters(Context)}
 * runs before every route; {@link #read} checks the body, nested values included, before anything is stored.
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

  /**
   * Refuses (40010) a request whose decoded path, or a query parameter's name or value, holds a control
   * character. Runs before every route.
   */
  static void refuseControlCharacters(Context ctx) {
    String path = ctx.path();
    String decoded;
    try {
      decoded = URIUtil.decodePath(path);
    } catch (RuntimeException e) {
      decoded = path; // unreadable escapes: the route (or Jetty) answers them
    }
    if (firstControl(decoded, false) >= 0 || firstControl(path, false) >= 0) {
      throw refusal("the path");
    }
    for (Map.Entry<String, List<String>> entry : ctx.queryParamMap().entrySet()) {
      checkKey(entry.getKey());
      entry.getValue().forEach(value -> checkValue(entry.getKey(), value));
    }
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
    params.forEach((key, value) -> {
      checkKey(key);
      checkValue(key, value);
    });
    return params;
  }

  private static void checkKey(String key) {
    if (firstControl(key, false) >= 0) {
      throw refusal("a parameter name");
    }
  }

  /** A value: text, or a JSON list or object whose members are checked the same way. */
  private static void checkValue(String key, Object value) {
    if (value instanceof String text) {
      if (firstControl(text, true) >= 0) {
        throw refusal("the value of " + (firstControl(key, false) >= 0 ? "a parameter" : "'" + shorten(key) + "'"));
      }
    } else if (value instanceof Map<?, ?> map) {
      map.forEach((name, member) -> {
        checkKey(String.valueOf(name));
        checkValue(key, member);
      });
    } else if (value instanceof List<?> list) {
      list.forEach(member -> checkValue(key, member));
    }
  }

  /** Index of the first control character (tab, CR and LF allowed when {@code text}), or -1. */
  static int firstControl(String value, boolean text) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if ((c < 0x20 || c == 0x7f) && !(text && (c == '\t' || c == '\r' || c == '\n'))) {
        return i;
      }
    }
    return -1;
  }

  private static CallbackException refusal(String where) {
    return CallbackException.invalidParameter(
        "Control character in " + where + ": U+0000 to U+001F and U+007F are refused (tab, CR and LF only in values)");
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
