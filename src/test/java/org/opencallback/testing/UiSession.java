package org.opencallback.testing;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.opencallback.testing.TestServer.Response;

/**
 * A browser's view of the management UI's login: {@code POST /ui/api/session} with a JSON body, then
 * the session cookie on every request and the CSRF token on every request but GET, as the UI's
 * JavaScript sends them. Requests go through {@link Gms#send} (checked against the OpenAPI document).
 */
public final class UiSession {
  public static final String PATH = "/ui/api/session";
  public static final String COOKIE = "oc_session";

  private final TestServer server;
  private final String cookie;
  private final String csrfToken;
  private final Response login;

  private UiSession(TestServer server, String cookie, String csrfToken, Response login) {
    this.server = server;
    this.cookie = cookie;
    this.csrfToken = csrfToken;
    this.login = login;
  }

  /** Logs in; fails unless 200 with a session cookie. */
  public static UiSession login(TestServer server, String user, String password) {
    Response response = Gms.send(server, "POST", PATH, Map.of(), Gms.write(Map.of("username", user, "password", password)));
    if (response.status() != 200) {
      throw new AssertionError("login of " + user + " answered " + response.status() + ": " + response.body());
    }
    String setCookie = setCookie(response);
    String value = setCookie.substring(COOKIE.length() + 1, setCookie.indexOf(';'));
    return new UiSession(server, value, (String) response.map().get("csrfToken"), response);
  }

  /** The {@code Set-Cookie} header of the session cookie. */
  public static String setCookie(Response response) {
    List<String> cookies = response.headers().entrySet().stream()
        .filter(e -> e.getKey().equalsIgnoreCase("Set-Cookie")).flatMap(e -> e.getValue().stream())
        .filter(c -> c.startsWith(COOKIE + "=")).toList();
    if (cookies.isEmpty()) {
      throw new AssertionError("no " + COOKIE + " cookie in " + response.headers());
    }
    return cookies.get(0);
  }

  public Response loginResponse() {
    return login;
  }

  public String cookie() {
    return cookie;
  }

  public String csrfToken() {
    return csrfToken;
  }

  /** A request with the session cookie, the UI's header and (unless GET) the CSRF token. */
  public Response send(String method, String path, Object body) {
    return send(method, path, body, true);
  }

  /** As {@link #send(String, String, Object)}, with or without the CSRF token. */
  public Response send(String method, String path, Object body, boolean withToken) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Cookie", COOKIE + "=" + cookie);
    headers.put("X-Requested-With", "opencallback-ui");
    if (withToken && !method.equals("GET")) {
      headers.put("X-CSRF-Token", csrfToken);
    }
    return Gms.send(server, method, path, headers, body == null ? null : Gms.write(body));
  }

  public Response get(String path) {
    return send("GET", path, null);
  }

  /** Logs out (DELETE with the token). */
  public Response logout() {
    return send("DELETE", PATH, null);
  }
}
