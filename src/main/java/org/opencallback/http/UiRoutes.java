package org.opencallback.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.opencallback.config.Configuration;
import org.opencallback.domain.CallbackException;
import org.opencallback.domain.ErrorCode;
import org.opencallback.store.CallbackStore;

/**
 * The management web UI at {@code /ui/}: static files from the classpath folder {@code ui/} (plain
 * HTML, CSS and JavaScript modules, nothing fetched from elsewhere) and the read-only JSON endpoints
 * under {@code /ui/api/} that the GMS API lacks. The static files are public (they hold no data: the
 * login page needs them); the page itself and the JSON need a login ({@link Authentication}, {@link
 * SessionRoutes}).
 */
public final class UiRoutes implements Routes {
  static final String ROOT = "/ui";
  private static final String CLASSPATH = "ui/";
  private static final Pattern SAFE_PATH = Pattern.compile("[A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)*\\.[a-z0-9]+");
  private static final Map<String, String> TYPES = Map.of(
      "html", "text/html; charset=utf-8",
      "css", "text/css; charset=utf-8",
      "js", "text/javascript; charset=utf-8",
      "svg", "image/svg+xml",
      "png", "image/png",
      "ico", "image/x-icon",
      "json", "application/json",
      "webmanifest", "application/manifest+json");
  /** Everything from this server only: no CDN, no inline script. */
  static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self';"
      + " img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'none';"
      + " frame-ancestors 'none'; form-action 'self'";

  private final UiApi api;
  private final ObjectMapper json;
  /** Files found so far. Bound: the UI files in the jar (a path not found is not kept). */
  private final Map<String, Asset> assets = new ConcurrentHashMap<>();

  public UiRoutes(Supplier<Configuration> config, CallbackStore store, ObjectMapper json, Clock clock) {
    this.api = new UiApi(config, store, json, clock);
    this.json = json;
  }

  @Override
  public void register(RoutesConfig routes) {
    routes.before(ROOT, this::setSecurityHeaders);
    routes.before(ROOT + "/*", this::setSecurityHeaders);
    routes.get(ROOT, this::index);
    routes.get(ROOT + "/", this::index);
    api.register(routes);
    routes.get(ROOT + "/<path>", ctx -> serve(ctx, ctx.pathParam("path")));
  }

  /** The page's security headers; the login itself is {@link Authentication}'s (the admin users). */
  private void setSecurityHeaders(Context ctx) {
    ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.header("X-Frame-Options", "DENY");
    ctx.header("Referrer-Policy", "no-referrer");
  }

  /** {@code /ui} goes to {@code /ui/}, so that the page's relative addresses resolve. */
  private void index(Context ctx) {
    if (!ctx.path().endsWith("/")) {
      String query = ctx.queryString();
      ctx.redirect(ROOT + "/" + (query == null ? "" : "?" + query), HttpStatus.MOVED_PERMANENTLY);
      return;
    }
    serve(ctx, "index.html");
  }

  private void serve(Context ctx, String path) {
    Optional<Asset> asset = SAFE_PATH.matcher(path).matches()
        ? Optional.ofNullable(assets.get(path)).or(() -> load(path)) : Optional.empty();
    asset.ifPresent(found -> assets.putIfAbsent(path, found));
    if (asset.isEmpty()) {
      throw new HttpRefusal(404, ErrorCode.INVALID_PARAMETER, "No such resource: " + ctx.path(),
          Map.of("path", ctx.path()));
    }
    // file names carry no version: the browser keeps a copy but asks each time whether it changed
    ctx.header("Cache-Control", "no-cache");
    ctx.header("ETag", asset.get().etag());
    if (asset.get().etag().equals(ctx.header("If-None-Match"))) {
      ctx.status(304);
      return;
    }
    ctx.contentType(asset.get().contentType()).result(asset.get().bytes());
  }

  private static Optional<Asset> load(String path) {
    String extension = path.substring(path.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
    String type = TYPES.get(extension);
    if (type == null) {
      return Optional.empty();
    }
    try (InputStream in = UiRoutes.class.getClassLoader().getResourceAsStream(CLASSPATH + path)) {
      if (in == null) {
        return Optional.empty();
      }
      byte[] bytes = in.readAllBytes();
      return Optional.of(new Asset(bytes, type, "\"" + sha256(bytes).substring(0, 16) + "\""));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + CLASSPATH + path, e);
    }
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing", e);
    }
  }

  /** One static file, read once. */
  private record Asset(byte[] bytes, String contentType, String etag) {}
}
