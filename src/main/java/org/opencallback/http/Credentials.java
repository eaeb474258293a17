package org.opencallback.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A user name and password sent with a request: the {@code Authorization: Basic} header, or (admin
 * API only, GMS's second form) {@code username} and {@code password} request parameters. Never logged.
 */
record Credentials(String user, String password) {
  /** A header that is not valid Basic credentials: checked like a wrong password. */
  static final Credentials MALFORMED = new Credentials("", null);

  @Override
  public String toString() {
    return "Credentials[user=" + user + "]";
  }

  /** From the {@code Authorization} header. */
  static Optional<Credentials> fromHeader(Context ctx) {
    String header = ctx.header("Authorization");
    if (header == null || header.isBlank()) {
      return Optional.empty();
    }
    String trimmed = header.trim();
    if (!trimmed.toLowerCase(Locale.ROOT).startsWith("basic ")) {
      return Optional.of(MALFORMED);
    }
    String decoded;
    try {
      decoded = new String(Base64.getDecoder().decode(trimmed.substring(6).trim()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return Optional.of(MALFORMED);
    }
    int colon = decoded.indexOf(':');
    if (colon < 0) {
      return Optional.of(MALFORMED);
    }
    return Optional.of(new Credentials(decoded.substring(0, colon), decoded.substring(colon + 1)));
  }

  /** From the header, else from {@code username} / {@code password} in the query string or body. */
  static Optional<Credentials> fromHeaderOrParams(Context ctx, ObjectMapper json) {
    Optional<Credentials> header = fromHeader(ctx);
    if (header.isPresent()) {
      return header;
    }
    Map<String, Object> params = RequestParams.read(ctx, json);
    Object user = params.get("username");
    Object password = params.get("password");
    if (user == null && password == null) {
      return Optional.empty();
    }
    return Optional.of(new Credentials(
        user == null ? "" : String.valueOf(user), password == null ? null : String.valueOf(password)));
  }

  boolean isMalformed() {
    return password == null;
  }
}
