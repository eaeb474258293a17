package org.opencallback.testing;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.ValidationReport;
import io.swagger.v3.parser.core.models.ParseOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Checks HTTP exchanges against the OpenAPI document {@code src/main/resources/openapi.yaml}, with
 * one validator built once (swagger-request-validator).
 *
 * <ul>
 *   <li>The response is always checked: its status, content type and body must be what the
 *       document says for the operation (every error a GMS error body).
 *   <li>A path or method the document lacks must be answered 404/405 with a GMS error body.
 *   <li>The request is checked when the caller asks (see {@link TestServer}: when the server
 *       accepted it and the test did not mark it deliberately invalid).
 *   <li>Not checked: CORS preflights ({@code OPTIONS}, answered for every public path by {@code
 *       Cors}), and whether credentials were sent as the security schemes say ({@code
 *       validation.request.security.*} is ignored: GMS also takes them as request parameters, and
 *       the authentication tests check them), and unexpected query parameters (every endpoint
 *       reads the query string under its body; lookups take any callback property as a filter).
 * </ul>
 *
 * Every mismatch is also recorded in {@link #mismatches()}.
 */
public final class ApiContract {
  public static final String DOCUMENT = "openapi.yaml";
  private static final OpenApiInteractionValidator VALIDATOR = OpenApiInteractionValidator
      .createForInlineApiSpecification(read())
      .withParseOptions(parseOptions())
      .withResolveCombinators(false)
      .withLevelResolver(LevelResolver.create()
          .withLevel("validation.request.security", ValidationReport.Level.IGNORE)
          // every endpoint reads the query string under its body, and lookups take any property as a filter
          .withLevel("validation.request.parameter.query.unexpected", ValidationReport.Level.IGNORE)
          .build())
      .build();
  private static final List<String> MISMATCHES = Collections.synchronizedList(new ArrayList<>());

  private ApiContract() {}

  /** Every mismatch found so far in this JVM. */
  public static List<String> mismatches() {
    return List.copyOf(MISMATCHES);
  }

  /** Checks one exchange made with {@link java.net.http.HttpClient}; throws AssertionError on a mismatch. */
  public static void check(HttpRequest request, byte[] requestBody, TestServer.Response response, boolean checkRequest) {
    check(request.method(), request.uri(), request.headers().map(), requestBody,
        response.status(), response.headers(), response.body(), checkRequest);
  }

  /** Checks one exchange made with {@link java.net.http.HttpClient} by a test's own client. */
  public static void check(HttpRequest request, byte[] requestBody, java.net.http.HttpResponse<String> response) {
    check(request.method(), request.uri(), request.headers().map(), requestBody,
        response.statusCode(), response.headers().map(), response.body(), true);
  }

  /**
   * Checks one exchange.
   *
   * @param checkRequest whether the request itself must conform (only when the server accepted it)
   */
  public static void check(String method, URI uri, Map<String, List<String>> requestHeaders, byte[] requestBody,
      int status, Map<String, List<String>> responseHeaders, String responseBody, boolean checkRequest) {
    if (method.equalsIgnoreCase("OPTIONS") || method.equalsIgnoreCase("HEAD")) {
      return;
    }
    Request.Method verb = Request.Method.valueOf(method.toUpperCase(Locale.ROOT));
    String path = uri.getRawPath();
    SimpleResponse.Builder answer = SimpleResponse.Builder.status(status);
    responseHeaders.forEach((name, values) -> {
      if (!name.startsWith(":")) {
        answer.withHeader(name, values);
      }
    });
    if (responseBody != null && !responseBody.isEmpty()) {
      answer.withBody(responseBody);
    }
    ValidationReport responseReport = VALIDATOR.validateResponse(decode(path), verb, answer.build());
    if (unknownOperation(responseReport)) {
      if ((status == 404 || status == 405) && isErrorBody(responseBody)) {
        return;
      }
      fail(method, uri, status, responseBody,
          "not in " + DOCUMENT + " (" + messages(responseReport) + "), yet answered " + status
              + " (only 404/405 with a GMS error body is expected)");
      return;
    }
    if (responseReport.hasErrors()) {
      fail(method, uri, status, responseBody, "response: " + messages(responseReport));
    }
    if (!checkRequest || status >= 400) {
      return;
    }
    SimpleRequest.Builder asked = new SimpleRequest.Builder(verb, decode(path));
    requestHeaders.forEach(asked::withHeader);
    if (uri.getRawQuery() != null) {
      for (String pair : uri.getRawQuery().split("&")) {
        if (pair.isEmpty()) {
          continue;
        }
        int equals = pair.indexOf('=');
        asked.withQueryParam(decode(equals < 0 ? pair : pair.substring(0, equals)),
            equals < 0 ? "" : decode(pair.substring(equals + 1)));
      }
    }
    if (requestBody != null && requestBody.length > 0) {
      asked.withBody(new String(requestBody, StandardCharsets.UTF_8));
    }
    ValidationReport requestReport = VALIDATOR.validateRequest(asked.build());
    if (requestReport.hasErrors()) {
      fail(method, uri, status, responseBody, "request (accepted by the server with " + status + "): "
          + messages(requestReport));
    }
  }

  private static boolean unknownOperation(ValidationReport report) {
    return report.getMessages().stream()
        .anyMatch(m -> m.getKey().endsWith("path.missing") || m.getKey().endsWith("operation.notAllowed"));
  }

  /** A GMS error body: {code, phrase, message, exception, properties}. */
  private static boolean isErrorBody(String body) {
    try {
      Map<?, ?> map = TestServer.JSON.readValue(body, Map.class);
      return map.get("code") instanceof Number && map.get("phrase") instanceof String
          && map.containsKey("message") && map.containsKey("exception") && map.get("properties") instanceof Map;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  private static String messages(ValidationReport report) {
    return report.getMessages().stream()
        .filter(m -> m.getLevel() == ValidationReport.Level.ERROR || m.getKey().endsWith("path.missing")
            || m.getKey().endsWith("operation.notAllowed"))
        .map(m -> "[" + m.getKey() + "] " + m.getMessage()
            + (m.getAdditionalInfo().isEmpty() ? "" : " " + m.getAdditionalInfo()))
        .collect(Collectors.joining("; "));
  }

  private static void fail(String method, URI uri, int status, String body, String what) {
    String text = "OpenAPI mismatch on " + method + " " + uri.getRawPath()
        + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()) + " → " + status + ": " + what
        + "\n  response body: " + shorten(body);
    MISMATCHES.add(text);
    throw new AssertionError(text);
  }

  private static String shorten(String text) {
    return text == null ? "" : text.length() <= 600 ? text : text.substring(0, 600) + "…";
  }

  private static String decode(String text) {
    try {
      return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return text;
    }
  }

  /**
   * References resolved, but not "fully": swagger-parser's full resolution turns every schema without
   * a type into {@code type: object} (swagger-parser issue 2113), and the document uses untyped and
   * oneOf schemas for values that may be a string or a number.
   */
  private static ParseOptions parseOptions() {
    ParseOptions options = new ParseOptions();
    options.setResolve(true);
    options.setResolveFully(false);
    options.setResolveCombinators(false);
    return options;
  }

  private static String read() {
    try (InputStream in = ApiContract.class.getClassLoader().getResourceAsStream(DOCUMENT)) {
      if (in == null) {
        throw new IllegalStateException(DOCUMENT + " is missing from the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
