package org.opencallback.http;

import io.javalin.http.Context;

/**
 * The headers every answer carries (docs/security.md, "Response headers"), so that no answer, JSON
 * error or page, can be framed, sniffed into another type, or run script: a JSON answer's policy allows
 * nothing at all; the UI and the API reference replace it with their own page policy. Strict transport
 * security is sent only on answers given over HTTPS (a browser ignores it over plain HTTP, and an
 * operator without TLS must not be locked out of their own plain-HTTP port).
 */
final class SecurityHeaders {
  /** The policy of every answer that is not a page: nothing loads, nothing frames it. */
  static final String API_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
  /** One year, the value browsers' preload lists ask for; subdomains are the operator's to decide. */
  static final String STRICT_TRANSPORT = "max-age=31536000";

  private SecurityHeaders() {}

  /** Runs before every route; later handlers (the UI's, the API reference's) may replace the policy. */
  static void set(Context ctx) {
    ctx.header("Content-Security-Policy", API_POLICY);
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.header("X-Frame-Options", "DENY");
    ctx.header("Referrer-Policy", "no-referrer");
    // the legacy XSS auditor is off, as OWASP advises: it opened leaks of its own, and the policy above replaces it
    ctx.header("X-XSS-Protection", "0");
    if (ctx.req().isSecure()) {
      ctx.header("Strict-Transport-Security", STRICT_TRANSPORT);
    }
  }
}
