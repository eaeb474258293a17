package org.opencallback.http;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.net.URI;
import java.util.Locale;
import java.util.Set;
import org.opencallback.domain.CallbackException;

/**
 * CSRF defence of the routes a logged-in browser can reach (admin API, agent API, the UI's own API):
 * a state-changing request (any method but GET, HEAD, OPTIONS)
 *
 * <ul>
 *   <li>from another site is refused with 403: an {@code Origin} whose host and port are not this
 *       request's {@code Host}, {@code Origin: null}, or {@code Sec-Fetch-Site: cross-site};
 *   <li>with a body a web form can send without CORS ({@code application/x-www-form-urlencoded},
 *       {@code multipart/form-data}, {@code text/plain}), or any body that is not JSON, is refused
 *       with 415. Only JSON bodies pass, which a browser sends cross-site only after a CORS
 *       preflight that these routes never grant.
 * </ul>
 *
 * Scripts (curl, an HTTP client) send no {@code Origin} and a JSON body: unaffected. Stateless.
 */
final class CrossSiteGuard {
  private static final Set<HandlerType> SAFE = Set.of(HandlerType.GET, HandlerType.HEAD, HandlerType.OPTIONS);

  private CrossSiteGuard() {}

  static void check(Context ctx) {
    if (SAFE.contains(ctx.method())) {
      return;
    }
    String origin = ctx.header("Origin");
    String site = ctx.header("Sec-Fetch-Site");
    if ((site != null && site.trim().equalsIgnoreCase("cross-site")) || (origin != null && !sameHost(origin, ctx.host()))) {
      throw refused(403, "Cross-site request refused: " + ctx.method() + " " + ctx.path()
          + " accepts no request from another site (Origin " + printable(origin) + ")");
    }
    String type = mediaType(ctx.contentType());
    boolean hasBody = ctx.contentLength() > 0 || ctx.header("Transfer-Encoding") != null;
    boolean json = type.equals("application/json") || type.endsWith("+json");
    if ((hasBody || !type.isEmpty()) && !json) {
      throw refused(415, "Unsupported Content-Type " + (type.isEmpty() ? "(none)" : "'" + printable(type) + "'")
          + " on " + ctx.method() + " " + ctx.path() + ": send a JSON body (Content-Type: application/json) or none");
    }
  }

  /** Whether the origin's host and port are the request's {@code Host} (the scheme may differ behind a TLS proxy). */
  static boolean sameHost(String origin, String host) {
    if (host == null || origin.isBlank() || origin.trim().equals("null")) {
      return false;
    }
    try {
      URI uri = URI.create(origin.trim());
      if (uri.getHost() == null) {
        return false;
      }
      String authority = uri.getRawAuthority().toLowerCase(Locale.ROOT);
      String wanted = host.trim().toLowerCase(Locale.ROOT);
      return authority.equals(wanted) || authority.equals(withoutDefaultPort(wanted, uri.getScheme()));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static String withoutDefaultPort(String host, String scheme) {
    String suffix = "https".equalsIgnoreCase(scheme) ? ":443" : ":80";
    return host.endsWith(suffix) ? host.substring(0, host.length() - suffix.length()) : host;
  }

  private static String mediaType(String contentType) {
    if (contentType == null) {
      return "";
    }
    int semicolon = contentType.indexOf(';');
    return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
  }

  private static String printable(String text) {
    if (text == null) {
      return "(none)";
    }
    String clean = text.replaceAll("\\p{Cntrl}", "?");
    return clean.length() <= 100 ? clean : clean.substring(0, 100) + "…";
  }

  private static CallbackException refused(int status, String message) {
    return ErrorBodies.forStatus(status, message);
  }
}
