package org.opencallback.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.opencallback.domain.Times;
import org.opencallback.testing.TestPostgres;
import org.opencallback.testing.TestServer;

/**
 * Issue 10, reliability 3: random hostile requests against every public endpoint. Whatever comes in,
 * the server never answers 500 nor shows a stack trace, every 4xx carries a GMS error body, and the
 * callbacks of a service no request names stay exactly as they were. On H2 and on PostgreSQL.
 */
class HostileInputProperties {
  private static final String FUZZED = "S";
  /** Never named by a generated request: its callbacks must not change. */
  private static final String KEPT = "KeepQx7";
  private static final Pattern STACK_TRACE =
      Pattern.compile("(\\bat [a-zA-Z_$][\\w$]*(\\.[\\w$<>]+)+\\(|Caused by:|\\.java:\\d+\\))");
  private static final String NEXT_WEEK =
      Times.format(Instant.now().plus(Duration.ofDays(7)).truncatedTo(ChronoUnit.HOURS));


  /** Method and path template of every public endpoint ({svc}, {id}, {agent} filled per request). */
  private static final List<String[]> ENDPOINTS = List.of(
      new String[] {"POST", "/genesys/1/service/callback/{svc}"},
      new String[] {"GET", "/genesys/1/service/callback"},
      new String[] {"GET", "/genesys/1/service/callback/{svc}"},
      new String[] {"GET", "/genesys/1/service/callback/{svc}/{id}"},
      new String[] {"GET", "/genesys/1/service/callback/{svc}/{id}/history"},
      new String[] {"PUT", "/genesys/1/service/callback/{svc}/{id}"},
      new String[] {"DELETE", "/genesys/1/service/callback/{svc}/{id}"},
      new String[] {"POST", "/genesys/1/service/{svc}/check-queue-position"},
      new String[] {"GET", "/genesys/1/service/{svc}/check-queue-position"},
      new String[] {"GET", "/genesys/1/service/callback/{svc}/availability"},
      new String[] {"GET", "/genesys/2/service/callback/{svc}/availability"},
      new String[] {"GET", "/genesys/1/service/{svc}"},
      new String[] {"GET", "/genesys/1/phonenumber"},
      new String[] {"GET", "/genesys/1/admin/callback/queues"},
      new String[] {"GET", "/genesys/1/admin/callback/watermarks"},
      new String[] {"POST", "/genesys/1/admin/callback/ops/delete"},
      new String[] {"POST", "/genesys/1/admin/callback/cancel"},
      new String[] {"POST", "/genesys/1/admin/callback/reportcancelled"},
      new String[] {"POST", "/genesys/1/admin/callback/services/{svc}/pause"},
      new String[] {"POST", "/genesys/1/admin/callback/services/{svc}/resume"},
      new String[] {"GET", "/genesys/1/admin/callback/services/{svc}/pause"},
      new String[] {"GET", "/genesys/1/engine/agents"},
      new String[] {"GET", "/genesys/1/engine/agents/{agent}"},
      new String[] {"POST", "/genesys/1/engine/agents/{agent}/login"},
      new String[] {"POST", "/genesys/1/engine/agents/{agent}/ready"},
      new String[] {"POST", "/genesys/1/engine/agents/{agent}/notready"},
      new String[] {"POST", "/genesys/1/engine/agents/{agent}/logout"},
      new String[] {"POST", "/genesys/1/engine/agents/{agent}/preview"},
      new String[] {"POST", "/genesys/1/engine/agents/{agent}/disposition"},
      new String[] {"POST", "/genesys/1/engine/agents/{agent}/hangup"},
      new String[] {"GET", "/ui/api/config"},
      new String[] {"GET", "/ui/api/callbacks"},
      new String[] {"GET", "/ui/api/overview"},
      new String[] {"GET", "/health/live"},
      new String[] {"GET", "/genesys/1/nothing/{svc}"});

  private static final List<String> KEYS = List.of(
      "_customer_number", "_desired_time", "_new_desired_time", "_callback_state", "_reason",
      "_callback_reason", "_id", "_urs_virtual_queue", "_request_queue_time_stat", "_copy_from_id",
      "_media_type", "_ttl", "_customer_lookup_keys", "_scheduled_after", "_scheduled_before", "max",
      "number-of-days", "start", "end", "timestamp", "report-busy", "max-time-slots", "filter",
      "service_name", "ids", "reason", "callback_reason", "exported_properties", "name", "services",
      "disposition", "_phone_number", "number", "country", "_default_country", "state", "sort",
      "_usr_note", "note", "_priority", "_vq", "_target", "_ewt");

  private static final List<String> NASTY = List.of(
      "' OR '1'='1", "'; DROP TABLE callback; --", "\" OR 1=1 --", "1; DELETE FROM callback",
      "%' OR 1=1 --", "\\'", "<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>",
      "${jndi:ldap://x/a}", "{{7*7}}", "../../../../etc/passwd", "%00", "\u0000", "\uFFFF", "\uD800",
      "😀📞", "𝓣𝓮𝓼𝓽", "NaN", "-1", "0", "99999999999999999999999999", "1e999999", "-0.0", "true",
      "null", "[]", "{}", "", " ", "\t\n\r", "+", "++1", "+1 (617) 555-0100", "+16175550123",
      "tel:+16175550123", "2026-02-30T25:61:61.000Z", "0000-00-00T00:00:00.000Z",
      "9999-12-31T23:59:59.999Z", "-999999999-01-01T00:00:00Z", "1970-01-01T00:00:00.000Z",
      "SCHEDULED", "QUEUED", "ROUTING", "PROCESSING", "COMPLETED", "CANCELLED", "completed",
      "Europe/Paris", "[a-", "(.*)*$", "\\", "%s%n%x", "a".repeat(600), "1-00000000-0000-0000-0000-000000000000",
      "S", "s", "*", "?", "#", "&", "=", "\u202e", "\r\nX-Injected: 1");

  /** The server under test on one database, its fuzzed callbacks and the kept ones' snapshots. */
  private static final class Target {
    final TestServer server;
    final List<String> fuzzIds = new ArrayList<>();
    final Map<String, String> kept = new LinkedHashMap<>();

    Target(String... args) {
      server = TestServer.start(String.join("\n",
          TestServer.ADMIN_USERS,
          "engine:",
          "  agents: 0",
          "service." + FUZZED + ":",
          "  _type: ors",
          "service." + KEPT + ":",
          "  _type: ors",
          ""), args);
      String future = NEXT_WEEK;
      for (int i = 0; i < 5; i++) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("_customer_number", "+1617555020" + i);
        if (i % 2 == 0) {
          body.put("_desired_time", future);
        }
        fuzzIds.add((String) server.postJson("/genesys/1/service/callback/" + FUZZED, body).map().get("_id"));
      }
      String scheduled = create(Map.of("_customer_number", "+33144556677", "_desired_time", future, "note", "keep"));
      // (a QUEUED one would legitimately be routed once a fuzzed agent logs in and turns ready)
      String queued = create(Map.of("_customer_number", "+33144556678", "_desired_time",
          Times.format(Instant.now().plus(Duration.ofDays(20)).truncatedTo(ChronoUnit.HOURS)), "vip", true));
      String completed = create(Map.of("_customer_number", "+33144556679"));
      assertThat(server.delete("/genesys/1/service/callback/" + KEPT + "/" + completed).status()).isEqualTo(200);
      for (String id : List.of(scheduled, queued, completed)) {
        kept.put(id, snapshot(id));
      }
    }

    private String create(Map<String, Object> body) {
      TestServer.Response response = server.postJson("/genesys/1/service/callback/" + KEPT, body);
      assertThat(response.status()).as(response.body()).isEqualTo(200);
      return (String) response.map().get("_id");
    }

    String snapshot(String id) {
      String base = "/genesys/1/service/callback/" + KEPT + "/" + id;
      return server.get(base).body() + "\n" + server.get(base + "/history").body();
    }
  }

  /** On H2 (the default store) and on PostgreSQL (issue 15: a NUL used to answer 500 there). */
  private static Target h2;
  private static Target postgres;

  @BeforeContainer
  static void start() {
    h2 = new Target();
    postgres = new Target("--db-url", TestPostgres.newDatabaseUrl());
  }

  @AfterContainer
  static void stop() {
    for (Target target : new Target[] {h2, postgres}) {
      if (target != null) {
        target.server.close();
      }
    }
  }

  @Property(tries = 300)
  void any_endpoint_any_input_gives_a_clean_answer(@ForAll Random random) throws Exception {
    anyEndpoint(h2, random);
  }

  @Property(tries = 300)
  void start_update_and_cancel_of_the_fuzzed_service_stay_clean(@ForAll Random random) throws Exception {
    fuzzedService(h2, random);
  }

  @Property(tries = 150)
  void on_postgresql_any_endpoint_any_input_gives_a_clean_answer(@ForAll Random random) throws Exception {
    anyEndpoint(postgres, random);
  }

  @Property(tries = 150)
  void on_postgresql_start_update_and_cancel_of_the_fuzzed_service_stay_clean(@ForAll Random random)
      throws Exception {
    fuzzedService(postgres, random);
  }

  private void anyEndpoint(Target target, Random random) throws Exception {
    String[] endpoint = ENDPOINTS.get(random.nextInt(ENDPOINTS.size()));
    String method = random.nextInt(10) == 0 ? pick(random, List.of("GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD"))
        : endpoint[0];
    String path = endpoint[1]
        .replace("{svc}", segment(random, List.of(FUZZED, FUZZED, "Nope", "s")))
        .replace("{id}", segment(random, target.fuzzIds))
        .replace("{agent}", segment(random, List.of("alice", "bob")));
    check(target, random, method, path);
  }

  private void fuzzedService(Target target, Random random) throws Exception {
    String id = target.fuzzIds.get(random.nextInt(target.fuzzIds.size()));
    String[] choice = pick(random, List.of(
        new String[] {"POST", "/genesys/1/service/callback/" + FUZZED},
        new String[] {"POST", "/genesys/1/service/callback/" + FUZZED},
        new String[] {"PUT", "/genesys/1/service/callback/" + FUZZED + "/" + id},
        new String[] {"DELETE", "/genesys/1/service/callback/" + FUZZED + "/" + id},
        new String[] {"GET", "/genesys/1/service/callback/" + FUZZED},
        new String[] {"GET", "/genesys/2/service/callback/" + FUZZED + "/availability"}));
    check(target, random, choice[0], choice[1]);
  }

  private void check(Target target, Random random, String method, String path) throws Exception {
    byte[] requestTarget = target(random, path);
    Map<String, String> headers = new LinkedHashMap<>();
    byte[] body = null;
    if (!method.equals("GET") && !method.equals("HEAD") || random.nextInt(8) == 0) {
      String[] contentType = new String[1];
      body = body(random, contentType);
      if (contentType[0] != null) {
        headers.put("Content-Type", contentType[0]);
      }
    }
    switch (random.nextInt(6)) {
      case 0 -> headers.put("Authorization", "Basic " + java.util.Base64.getEncoder()
          .encodeToString(("admin:" + TestServer.ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8)));
      case 1 -> headers.put("Authorization", "Basic " + java.util.Base64.getEncoder()
          .encodeToString(("admin:" + text(random)).getBytes(StandardCharsets.UTF_8)));
      case 2 -> headers.put("Authorization", pick(random, List.of("Basic !!!", "Basic ", "Bearer x", "Basic Og==",
          "Basic " + java.util.Base64.getEncoder().encodeToString(new byte[] {(byte) 0xC3, 0x28, ':', 'x'}))));
      default -> { }
    }
    if (random.nextInt(10) == 0) {
      headers.put(pick(random, List.of("X-Forwarded-For", "Origin", "Accept", "User-Agent", "X-Request-Id")),
          ascii(text(random)));
    }
    String described = method + " " + new String(requestTarget, StandardCharsets.ISO_8859_1) + " " + headers
        + (body == null ? "" : " body(" + body.length + "): " + shorten(new String(body, StandardCharsets.UTF_8)));

    RawHttp.Reply reply = RawHttp.send(target.server.server().port(), method, requestTarget, headers, body);
    if (reply == null) {
      assertThat(body).as("closed without an answer: " + described).isNotNull();
      assertThat(body.length).as("closed without an answer: " + described).isGreaterThan(1_000_000);
    } else {
      described = described + "\n→ " + reply.status() + " " + reply.headers();
      assertThat(reply.status()).as(described + "\n→ " + reply.body()).isLessThan(500);
      assertThat(STACK_TRACE.matcher(reply.body()).find()).as(described + "\n→ " + reply.body()).isFalse();
      if (reply.status() >= 400 && !method.equals("HEAD")) {
        JsonNode error;
        try {
          error = TestServer.JSON.readTree(reply.body());
        } catch (java.io.IOException e) {
          throw new AssertionError("not a GMS error body: " + described + "\n→ " + reply.status() + " " + reply.headers() + " " + reply.body());
        }
        assertThat(error.path("code").isInt()).as(described + "\n→ " + reply.body()).isTrue();
        assertThat(error.path("message").isTextual()).as(described + "\n→ " + reply.body()).isTrue();
        assertThat(error.path("exception").isTextual()).as(described + "\n→ " + reply.body()).isTrue();
      }
    }
    for (Map.Entry<String, String> entry : target.kept.entrySet()) {
      assertThat(target.snapshot(entry.getKey())).as("after " + described).isEqualTo(entry.getValue());
    }
  }

  // ------------------------------------------------------------------ generators

  private static <T> T pick(Random random, List<T> values) {
    return values.get(random.nextInt(values.size()));
  }

  /** A path segment: a good value, or something hostile, percent-encoded or raw. */
  private static String segment(Random random, List<String> good) {
    return switch (random.nextInt(6)) {
      case 0, 1, 2 -> pick(random, good);
      case 3 -> encode(pick(random, NASTY).replace(KEPT, ""));
      case 4 -> pick(random, List.of("%", "%G1", "%C3%28", "%FF%FE", "%2F..%2F", "..", "%00", ";x=1", "a%20b"));
      default -> encode(text(random));
    };
  }

  private static byte[] target(Random random, String path) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(path.getBytes(StandardCharsets.UTF_8));
    int params = random.nextInt(4) == 0 ? 0 : random.nextInt(6);
    for (int i = 0; i < params; i++) {
      out.write(i == 0 ? '?' : '&');
      out.writeBytes(encode(pick(random, KEYS)).getBytes(StandardCharsets.US_ASCII));
      if (random.nextInt(10) != 0) {
        out.write('=');
        switch (random.nextInt(5)) {
          case 0 -> out.writeBytes(pick(random, List.of("%", "%G1", "%C3%28", "%FF", "%E2%82", "+", "%2B1617")).getBytes(StandardCharsets.US_ASCII));
          case 1 -> out.write(0xC3);
          default -> out.writeBytes(encode(value(random)).getBytes(StandardCharsets.US_ASCII));
        }
      }
    }
    return out.toByteArray();
  }

  private static String encode(String text) {
    StringBuilder out = new StringBuilder();
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if (Character.isLetterOrDigit(c) && c < 128 || c == '-' || c == '_' || c == '.' || c == '~') {
        out.append((char) c);
      } else {
        out.append('%').append(HexFormat.of().withUpperCase().toHexDigits((byte) c));
      }
    }
    return out.toString();
  }

  private static String ascii(String text) {
    return text.replaceAll("[^\\x20-\\x7e]", "?");
  }

  private static String text(Random random) {
    int length = random.nextInt(4) == 0 ? random.nextInt(300) : random.nextInt(12);
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < length; i++) {
      int kind = random.nextInt(10);
      if (kind < 6) {
        out.append((char) (0x20 + random.nextInt(0x5f)));
      } else if (kind < 8) {
        out.appendCodePoint(random.nextInt(0x2FFFF));
      } else {
        out.append(pick(random, List.of("'", "\"", "\\", "<", ">", "%", "&", "=", "\n", "\u0000", "{", "}")));
      }
    }
    return out.toString().replace(KEPT, "");
  }

  private static String value(Random random) {
    return switch (random.nextInt(5)) {
      case 0, 1 -> pick(random, NASTY);
      case 2 -> text(random);
      case 3 -> String.valueOf(random.nextInt(3) == 0 ? random.nextLong() : random.nextInt(100));
      default -> pick(random, List.of(NEXT_WEEK, "+16175550199", "+1617555" + (1000 + random.nextInt(9000)),
          FUZZED, "true", "false", "30", "1"));
    };
  }

  private static Object jsonValue(Random random, int depth) {
    int kind = depth > 4 ? random.nextInt(6) : random.nextInt(9);
    return switch (kind) {
      case 0, 1 -> value(random);
      case 2 -> random.nextInt(3) == 0 ? random.nextDouble() * Math.pow(10, random.nextInt(300)) : random.nextLong();
      case 3 -> random.nextBoolean();
      case 4 -> null;
      case 5 -> new java.math.BigInteger(200, random);
      case 6, 7 -> {
        List<Object> list = new ArrayList<>();
        for (int i = random.nextInt(4); i > 0; i--) {
          list.add(jsonValue(random, depth + 1));
        }
        yield list;
      }
      default -> jsonObject(random, depth + 1);
    };
  }

  private static Map<String, Object> jsonObject(Random random, int depth) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = random.nextInt(7); i > 0; i--) {
      map.put(random.nextInt(5) == 0 ? text(random) : pick(random, KEYS), jsonValue(random, depth));
    }
    return map;
  }

  private static byte[] body(Random random, String[] contentType) throws Exception {
    contentType[0] = pick(random, List.of("application/json", "application/json", "application/x-www-form-urlencoded",
        "text/plain", "application/xml", "multipart/form-data; boundary=x", "application/json; charset=latin1", ""));
    if (contentType[0].isEmpty()) {
      contentType[0] = null;
    }
    return switch (random.nextInt(12)) {
      case 0, 1, 2, 3 -> TestServer.JSON.writeValueAsBytes(jsonObject(random, 0));
      case 4 -> form(random).getBytes(StandardCharsets.UTF_8);
      case 5 -> nested(random.nextInt(4) == 0 ? 20 + random.nextInt(10) : 33 + random.nextInt(5000), random);
      case 6 -> {
        // invalid UTF-8 inside an otherwise fine body
        byte[] prefix = "{\"_customer_number\":\"+1617555".getBytes(StandardCharsets.US_ASCII);
        byte[] bad = {(byte) 0xC3, 0x28, (byte) 0xFF, (byte) 0xED, (byte) 0xA0, (byte) 0x80};
        byte[] suffix = "\"}".getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(prefix);
        out.writeBytes(bad);
        out.writeBytes(suffix);
        yield out.toByteArray();
      }
      case 7 -> {
        byte[] bytes = new byte[random.nextInt(200)];
        random.nextBytes(bytes);
        yield bytes;
      }
      case 8 -> {
        // huge: just under or over the 1 MB limit
        int size = random.nextBoolean() ? 999_000 : 1_000_001 + random.nextInt(500_000);
        String filler = "x".repeat(size);
        yield ("{\"_customer_number\":\"+16175550188\",\"note\":\"" + filler + "\"}").getBytes(StandardCharsets.US_ASCII);
      }
      case 9 -> pick(random, List.of("{", "{\"a\":", "[1,2]", "\"text\"", "123", "null", "{\"a\":1}}",
          "{\"a\" 1}", "{'a':1}", "{\"_customer_number\":+16175550111}", "{\"a\":NaN}", "{\"a\":1e99999}",
          "{\"a\":\"\\ud800\"}", "{\"a\":\"\\u0000\"}", "{\"a\":1,\"a\":2}", "{\"\":\"\"}", "[]", "{}",
          "\uFEFF{}", "{\"__proto__\":{}}", "{\"a\":\"\\x\"}")).getBytes(StandardCharsets.UTF_8);
      case 10 -> {
        Map<String, Object> wide = new LinkedHashMap<>();
        for (int i = 0; i < 2000 + random.nextInt(3000); i++) {
          wide.put("k" + i, random.nextInt(3) == 0 ? List.of(i) : "v" + i);
        }
        yield TestServer.JSON.writeValueAsBytes(wide);
      }
      default -> {
        Map<String, Object> start = new LinkedHashMap<>();
        start.put("_customer_number", random.nextBoolean() ? "+1617555" + (1000 + random.nextInt(9000)) : jsonValue(random, 3));
        if (random.nextBoolean()) {
          start.put("_desired_time", random.nextBoolean() ? NEXT_WEEK : jsonValue(random, 3));
        }
        start.put(pick(random, KEYS), jsonValue(random, 2));
        yield TestServer.JSON.writeValueAsBytes(start);
      }
    };
  }

  private static String form(Random random) {
    StringBuilder out = new StringBuilder();
    for (int i = random.nextInt(6); i >= 0; i--) {
      if (out.length() > 0) {
        out.append('&');
      }
      out.append(random.nextInt(4) == 0 ? text(random) : pick(random, KEYS));
      out.append('=');
      out.append(random.nextBoolean() ? encode(value(random)) : value(random));
    }
    return out.toString();
  }

  private static byte[] nested(int depth, Random random) {
    StringBuilder out = new StringBuilder("{\"_customer_number\":\"+16175550177\",\"x\":");
    for (int i = 0; i < depth; i++) {
      out.append(random.nextBoolean() ? "{\"a\":" : "[");
    }
    return out.append("1").toString().getBytes(StandardCharsets.UTF_8);
  }

  private static String shorten(String text) {
    return text.length() <= 300 ? text : text.substring(0, 300) + "…(" + text.length() + ")";
  }
}
