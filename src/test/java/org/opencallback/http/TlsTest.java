package org.opencallback.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencallback.testing.FakeReceiver;
import org.opencallback.testing.ForkedServer;
import org.opencallback.testing.TestServer;

/**
 * Issue 15, TLS: the server speaks HTTPS with the configured certificate (PEM files or a PKCS#12
 * keystore; the client trusts that certificate only), the redirect port answers 308 to the same path
 * over HTTPS, a changed certificate file is served without a restart, and an unreadable file stops
 * the start with the section, option and value named. Certificates are made at test time.
 */
class TlsTest {
  @TempDir
  Path dir;

  /** A self-signed certificate for 127.0.0.1 and localhost, and its key. */
  private record Identity(X509Certificate certificate, KeyPair keys) {
    static Identity create(String name) throws Exception {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      KeyPair keys = generator.generateKeyPair();
      Instant now = Instant.now();
      X500Name subject = new X500Name("CN=" + name);
      JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject,
          BigInteger.valueOf(now.toEpochMilli()), Date.from(now.minusSeconds(60)),
          Date.from(now.plus(Duration.ofDays(1))), subject, keys.getPublic());
      builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
          new GeneralName(GeneralName.iPAddress, "127.0.0.1"), new GeneralName(GeneralName.dNSName, "localhost")}));
      X509Certificate certificate = new JcaX509CertificateConverter()
          .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate())));
      return new Identity(certificate, keys);
    }

    /** Writes the certificate and the key as PEM, replacing the files at once (as a rotation would). */
    void writePem(Path certificateFile, Path keyFile) throws IOException {
      write(certificateFile, certificate);
      write(keyFile, keys.getPrivate());
    }

    private static void write(Path file, Object item) throws IOException {
      Path temporary = file.resolveSibling(file.getFileName() + ".new");
      try (Writer out = Files.newBufferedWriter(temporary); JcaPEMWriter pem = new JcaPEMWriter(out)) {
        pem.writeObject(item);
      }
      Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    void writePkcs12(Path file, String password) throws Exception {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry("server", keys.getPrivate(), password.toCharArray(), new Certificate[] {certificate});
      try (OutputStream out = Files.newOutputStream(file)) {
        store.store(out, password.toCharArray());
      }
    }
  }

  /** A client that trusts these certificates only, and follows no redirect. */
  private static HttpClient client(Identity... trusted) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    for (int i = 0; i < trusted.length; i++) {
      trust.setCertificateEntry("trusted" + i, trusted[i].certificate());
    }
    TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, factory.getTrustManagers(), null);
    return HttpClient.newBuilder().sslContext(context).connectTimeout(Duration.ofSeconds(5))
        .followRedirects(HttpClient.Redirect.NEVER).build();
  }

  private static HttpResponse<String> get(HttpClient client, String url) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static X509Certificate served(HttpResponse<?> response) throws Exception {
    return (X509Certificate) response.sslSession().orElseThrow().getPeerCertificates()[0];
  }

  @Test
  void pem_files_are_served_over_https_the_redirect_port_redirects_and_a_new_certificate_is_picked_up()
      throws Exception {
    Identity first = Identity.create("first");
    Path certificate = dir.resolve("server.crt");
    Path key = dir.resolve("server.key");
    first.writePem(certificate, key);
    int redirectPort = ForkedServer.freePort();
    try (TestServer server = TestServer.start(String.join("\n",
        "server:",
        "  tls-certificate: " + certificate,
        "  tls-private-key: " + key,
        "  tls-redirect-port: " + redirectPort,
        ""))) {
      String https = "https://127.0.0.1:" + server.server().port();
      HttpResponse<String> live = get(client(first), https + "/health/live");
      assertThat(live.statusCode()).isEqualTo(200);
      assertThat(served(live)).isEqualTo(first.certificate());
      assertThat(live.headers().firstValue("Strict-Transport-Security")).hasValue(SecurityHeaders.STRICT_TRANSPORT);
      assertThat(get(client(first), https + "/genesys/1/service/callback/BasicCallback/1-x").body())
          .contains("\"code\":40030");

      HttpResponse<String> redirected = get(client(first),
          "http://127.0.0.1:" + redirectPort + "/genesys/1/service/callback/BasicCallback?_customer_number=%2B1555");
      assertThat(redirected.statusCode()).isEqualTo(308);
      assertThat(redirected.headers().firstValue("Location")).hasValue(
          https + "/genesys/1/service/callback/BasicCallback?_customer_number=%2B1555");
      // plain HTTP on the HTTPS port: never an answer from the application
      String plainUrl = "http://127.0.0.1:" + server.server().port() + "/health/live";
      int plainStatus;
      try {
        plainStatus = get(client(first), plainUrl).statusCode();
      } catch (IOException e) {
        plainStatus = -1;
      }
      assertThat(plainStatus).isNotEqualTo(200);

      Identity second = Identity.create("second");
      second.writePem(certificate, key);
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
          assertThat(served(get(client(first, second), https + "/health/live"))).isEqualTo(second.certificate()));
    }
  }

  @Test
  void under_tls_the_default_public_url_is_https_and_a_configured_one_wins() throws Exception {
    Identity identity = Identity.create("public-url");
    Path certificate = dir.resolve("server.crt");
    Path key = dir.resolve("server.key");
    identity.writePem(certificate, key);
    String hook = String.join("\n",
        "service.Hook:",
        "  _type: ors",
        "  _execution: webhook",
        "  _webhook_url: %s/hook",
        "  _enable_in_queue_checking: false",
        "  _request_execution_time_buffer: 0",
        "engine:",
        "  agents: 0",
        "");
    String tls = "server:\n  tls-certificate: " + certificate + "\n  tls-private-key: " + key + "\n";
    try (FakeReceiver receiver = FakeReceiver.start();
        TestServer server = TestServer.start(tls + hook.formatted(receiver.url()))) {
      String https = "https://127.0.0.1:" + server.server().port();
      HttpResponse<String> started = client(identity).send(HttpRequest.newBuilder(
              URI.create(https + "/genesys/1/service/callback/Hook"))
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"_customer_number\":\"+15551230077\"}")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(started.statusCode()).as(started.body()).isEqualTo(200);
      String id = started.body().replaceAll(".*\"_id\":\"([^\"]+)\".*", "$1");

      String reportUrl = String.valueOf(receiver.requests("/hook").get(0).json().get("report_url"));
      assertThat(reportUrl).isEqualTo(
          "https://localhost:" + server.server().port() + "/genesys/1/service/callback/Hook/" + id);
      // the receiver can report back at that address (the certificate is also valid for localhost)
      assertThat(get(client(identity), reportUrl).statusCode()).isEqualTo(200);
    }
    try (FakeReceiver receiver = FakeReceiver.start();
        TestServer server = TestServer.start(
            tls + "  public-url: https://callback.example.com/\n" + hook.formatted(receiver.url()))) {
      HttpResponse<String> started = client(identity).send(HttpRequest.newBuilder(
              URI.create("https://127.0.0.1:" + server.server().port() + "/genesys/1/service/callback/Hook"))
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"_customer_number\":\"+15551230078\"}")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(started.statusCode()).as(started.body()).isEqualTo(200);
      assertThat(String.valueOf(receiver.requests("/hook").get(0).json().get("report_url")))
          .startsWith("https://callback.example.com/genesys/1/service/callback/Hook/");
    }
  }

  @Test
  void under_tls_the_login_page_is_served_and_the_session_cookie_is_secure() throws Exception {
    Identity identity = Identity.create("login");
    Path certificate = dir.resolve("server.crt");
    Path key = dir.resolve("server.key");
    identity.writePem(certificate, key);
    try (TestServer server = TestServer.start("server:\n  tls-certificate: " + certificate
        + "\n  tls-private-key: " + key + "\n" + TestServer.ADMIN_USERS)) {
      String https = "https://127.0.0.1:" + server.server().port();
      assertThat(get(client(identity), https + "/ui/login.html").statusCode()).isEqualTo(200);
      HttpResponse<String> page = get(client(identity), https + "/ui/");
      assertThat(page.statusCode()).isEqualTo(303);
      assertThat(page.headers().firstValue("Location").orElseThrow()).endsWith("/ui/login.html");

      HttpResponse<String> login = client(identity).send(HttpRequest.newBuilder(URI.create(https + "/ui/api/session"))
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(
              "{\"username\":\"admin\",\"password\":\"" + TestServer.ADMIN_PASSWORD + "\"}")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
      String cookie = login.headers().firstValue("Set-Cookie").orElseThrow();
      assertThat(cookie).startsWith("oc_session=").contains("; Secure").contains("HttpOnly")
          .contains("SameSite=Strict").doesNotContain("Max-Age");
    }
  }

  @Test
  void a_pkcs12_keystore_is_served_over_https() throws Exception {
    Identity identity = Identity.create("keystore");
    Path keystore = dir.resolve("server.p12");
    identity.writePkcs12(keystore, "s3cret-store");
    try (TestServer server = TestServer.start(String.join("\n",
        "server:",
        "  tls-keystore: " + keystore,
        "  tls-keystore-password: s3cret-store",
        ""))) {
      HttpResponse<String> live = get(client(identity), "https://127.0.0.1:" + server.server().port() + "/health/ready");
      assertThat(live.statusCode()).isEqualTo(200);
      assertThat(served(live)).isEqualTo(identity.certificate());
      assertThatThrownBy(() -> get(client(Identity.create("other")), "https://127.0.0.1:" + server.server().port()
          + "/health/live")).isInstanceOf(javax.net.ssl.SSLHandshakeException.class);
    }
  }

  @Test
  void unusable_tls_files_stop_the_start_with_section_option_and_value_named() throws Exception {
    Path missing = dir.resolve("missing.crt");
    Path key = dir.resolve("server.key");
    Identity.create("x").writePem(dir.resolve("server.crt"), key);
    Path keystore = dir.resolve("server.p12");
    Identity.create("y").writePkcs12(keystore, "right");
    for (List<String> config : List.of(
        List.of("  tls-certificate: " + missing, "  tls-private-key: " + key),
        List.of("  tls-certificate: " + key, "  tls-private-key: " + key),
        List.of("  tls-keystore: " + keystore, "  tls-keystore-password: wrong"),
        List.of("  tls-certificate: " + dir.resolve("server.crt")),
        List.of("  tls-redirect-port: 8080"))) {
      assertThatThrownBy(() -> TestServer.start("server:\n" + String.join("\n", config) + "\n").close())
          .as(config.toString())
          .hasMessageStartingWith("section [server] option tls-")
          .hasMessageContaining("is invalid")
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }
  }
}
