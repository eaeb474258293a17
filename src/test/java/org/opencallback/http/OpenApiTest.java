package org.opencallback.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.javalin.Javalin;
import io.javalin.router.ParsedEndpoint;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opencallback.app.Server;
import org.opencallback.testing.TestServer;

/** The OpenAPI document: served as YAML, JSON and a page, and covering every registered route. */
class OpenApiTest {
  private static TestServer server;
  private static JsonNode document;

  @BeforeAll
  static void startServer() throws Exception {
    server = TestServer.start(Api.CONFIG);
    try (InputStream in = OpenApiTest.class.getClassLoader().getResourceAsStream("openapi.yaml")) {
      document = new ObjectMapper(new YAMLFactory()).readTree(in);
    }
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @Test
  void the_document_is_served_as_yaml_and_as_json() throws Exception {
    TestServer.Response yaml = server.get("/openapi.yaml");
    assertThat(yaml.status()).isEqualTo(200);
    assertThat(yaml.headers().get("content-type").get(0)).startsWith("application/yaml");
    assertThat(new ObjectMapper(new YAMLFactory()).readTree(yaml.body())).isEqualTo(document);
    assertThat(yaml.body()).startsWith("openapi: 3.0.3");

    TestServer.Response json = server.get("/openapi.json");
    assertThat(json.status()).isEqualTo(200);
    assertThat(TestServer.JSON.readTree(json.body())).isEqualTo(document);
  }

  @Test
  void the_page_is_self_contained_and_reads_the_json() {
    TestServer.Response page = server.get("/api-docs");
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.headers().get("content-type").get(0)).startsWith("text/html");
    assertThat(page.body()).contains("fetch('openapi.json')").doesNotContain("http://").doesNotContain("https://")
        .doesNotContain("src=");
  }

  @Test
  void every_registered_route_is_in_the_document() throws Exception {
    Set<String> documented = new TreeSet<>();
    document.get("paths").fields().forEachRemaining(path -> path.getValue().fieldNames().forEachRemaining(method -> {
      if (List.of("get", "post", "put", "delete", "patch").contains(method)) {
        documented.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey());
      }
    }));
    Set<String> registered = new TreeSet<>();
    for (ParsedEndpoint parsed : javalin(server.server()).unsafe.internalRouter.allHttpHandlers()) {
      String method = parsed.endpoint.method.name();
      if (!List.of("GET", "POST", "PUT", "DELETE", "PATCH").contains(method)) {
        continue; // before/after handlers, CORS preflights (OPTIONS)
      }
      String path = parsed.endpoint.path;
      if (path.equals("/ui/<path>")) {
        // static files: documented as /ui/{file} and /ui/js/{file}
        assertThat(documented).contains("GET /ui/{file}", "GET /ui/js/{file}");
        continue;
      }
      registered.add(method + " " + path);
    }
    assertThat(registered).isNotEmpty();
    assertThat(documented).containsAll(registered);
  }

  private static Javalin javalin(Server running) throws ReflectiveOperationException {
    Object http = field(running, "http");
    return (Javalin) field(http, "app");
  }

  private static Object field(Object owner, String name) throws ReflectiveOperationException {
    Field field = owner.getClass().getDeclaredField(name);
    field.setAccessible(true);
    return field.get(owner);
  }
}
