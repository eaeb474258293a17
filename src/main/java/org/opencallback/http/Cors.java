package org.opencallback.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.opencallback.config.Configuration;
import org.opencallback.domain.CallbackException;
import org.opencallback.domain.ErrorCode;

/**
 * CORS for the public API (service endpoints, {@code /genesys/2/…}, the number service), so that web
 * pages on other origins can call it: origins listed in {@code [server] cors-allowed-origins} (a
 * comma list; {@code *} for any; empty: CORS off). Preflight {@code OPTIONS} requests are answered
 * here. The admin API and everything else never get CORS headers. Thread-safe; reads the option on
 * each request, so a change applies at once.
 */
public final class Cors implements Routes {
  public static final String OPTION = "cors-allowed-origins";
  static final String METHODS = "GET, POST, PUT, DELETE, OPTIONS";
  static final String HEADERS = "Content-Type, Authorization";
  static final String MAX_AGE = "600";

  private final Supplier<Configuration> config;

  public Cors(Supplier<Configuration> config) {
    this.config = config;
  }

  @Override
  public void register(RoutesConfig routes) {
    routes.before(this::actual);
    for (String path : List.of("/genesys/1/service", "/genesys/1/service/*", "/genesys/2/*", "/genesys/1/phonenumber")) {
      routes.options(path, this::preflight);
    }
  }

  private void actual(Context ctx) {
    String origin = ctx.header("Origin");
    if (origin == null || ctx.method() == HandlerType.OPTIONS || !isPublic(ctx.path())) {
      return;
    }
    allow(ctx, origin);
  }

  private void preflight(Context ctx) {
    String origin = ctx.header("Origin");
    if (origin == null || !allow(ctx, origin)) {
      throw new HttpRefusal(
          403,
          ErrorCode.INVALID_PARAMETER,
          "Origin " + (origin == null ? "(none)" : "'" + origin + "'") + " is not allowed: see cors-allowed-origins",
          origin == null ? Map.of() : Map.of("origin", origin));
    }
    ctx.header("Access-Control-Allow-Methods", METHODS);
    String asked = ctx.header("Access-Control-Request-Headers");
    ctx.header("Access-Control-Allow-Headers", asked == null || asked.isBlank() ? HEADERS : asked);
    ctx.header("Access-Control-Max-Age", MAX_AGE);
    ctx.status(204);
  }

  /** Adds the allow headers when the origin is allowed; whether it is. */
  private boolean allow(Context ctx, String origin) {
    List<String> allowed = config.get().server().list(OPTION);
    ctx.header("Vary", "Origin");
    if (allowed.contains("*")) {
      ctx.header("Access-Control-Allow-Origin", "*");
      return true;
    }
    String wanted = origin.trim().toLowerCase(Locale.ROOT);
    if (allowed.stream().anyMatch(o -> o.trim().toLowerCase(Locale.ROOT).equals(wanted))) {
      ctx.header("Access-Control-Allow-Origin", origin.trim());
      ctx.header("Access-Control-Allow-Credentials", "true");
      return true;
    }
    return false;
  }

  static boolean isPublic(String path) {
    return Authentication.isService(path);
  }
}
