package org.opencallback.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.opencallback.config.ConfigException;
import org.opencallback.config.ConfigValidator;
import org.opencallback.config.Configuration;
import org.opencallback.config.OptionValues;

/**
 * {@code [server]} TLS settings (docs/security.md, "TLS"): a certificate chain and its private key as
 * PEM files ({@value #CERTIFICATE}, {@value #PRIVATE_KEY}), or a PKCS#12 keystore ({@value #KEYSTORE},
 * {@value #KEYSTORE_PASSWORD}); with either, the server's port speaks HTTPS only, and {@value
 * #REDIRECT_PORT} optionally opens a plain-HTTP port that only redirects to it. PEM files are read
 * with BouncyCastle's {@link PEMParser}; the keystore by the JDK. Read at start; the files themselves
 * are watched and reloaded ({@link TlsConnectors}). Immutable.
 *
 * @param certificate PEM certificate chain, the server's certificate first, or null
 * @param privateKey PEM private key (PKCS#8 or traditional, unencrypted), or null
 * @param keystore PKCS#12 keystore holding one key entry, or null
 * @param keystorePassword its password (also the key's), or null
 * @param redirectPort plain-HTTP port that redirects to HTTPS; 0: none
 */
public record Tls(Path certificate, Path privateKey, Path keystore, String keystorePassword, int redirectPort) {
  public static final String CERTIFICATE = "tls-certificate";
  public static final String PRIVATE_KEY = "tls-private-key";
  public static final String KEYSTORE = "tls-keystore";
  public static final String KEYSTORE_PASSWORD = "tls-keystore-password";
  public static final String REDIRECT_PORT = "tls-redirect-port";

  /** The TLS settings of a configuration; empty when TLS is off. Validated by {@link #CHECK}. */
  public static Optional<Tls> of(Configuration configuration) {
    OptionValues server = configuration.server();
    Path certificate = path(server, CERTIFICATE);
    Path key = path(server, PRIVATE_KEY);
    Path keystore = path(server, KEYSTORE);
    if (certificate == null && key == null && keystore == null) {
      return Optional.empty();
    }
    return Optional.of(new Tls(certificate, key, keystore, server.get(KEYSTORE_PASSWORD).orElse(null),
        server.integer(REDIRECT_PORT, 0)));
  }

  /**
   * Checks at load: PEM certificate and key come together, not with a keystore; every file is readable
   * and holds what it should (the keystore opens with its password); a redirect port needs TLS.
   */
  public static final ConfigValidator CHECK = configuration -> {
    OptionValues server = configuration.server();
    Optional<Tls> tls = of(configuration);
    if (tls.isEmpty()) {
      if (server.integer(REDIRECT_PORT, 0) > 0) {
        throw invalid(server, REDIRECT_PORT, "it needs " + CERTIFICATE + " and " + PRIVATE_KEY + ", or " + KEYSTORE);
      }
      return;
    }
    Tls settings = tls.get();
    if (settings.keystore != null && (settings.certificate != null || settings.privateKey != null)) {
      throw invalid(server, KEYSTORE, "set either " + KEYSTORE + " or " + CERTIFICATE + " and " + PRIVATE_KEY);
    }
    if (settings.keystore == null && (settings.certificate == null || settings.privateKey == null)) {
      String missing = settings.certificate == null ? CERTIFICATE : PRIVATE_KEY;
      throw invalid(server, settings.certificate == null ? PRIVATE_KEY : CERTIFICATE, missing + " is missing");
    }
    try {
      settings.keyStore();
    } catch (TlsFileException e) {
      throw invalid(server, e.option, e.getMessage());
    }
  };

  /** The PEM files as an in-memory keystore, or the PKCS#12 keystore, read now. */
  KeyStore keyStore() throws TlsFileException {
    return keystore != null ? pkcs12() : pem();
  }

  /** The password of {@link #keyStore()}'s key entry. */
  String keyPassword() {
    return keystore != null ? (keystorePassword == null ? "" : keystorePassword) : PEM_PASSWORD;
  }

  /** The files to watch for a reload. */
  List<Path> files() {
    return keystore != null ? List.of(keystore) : List.of(certificate, privateKey);
  }

  /** Loads the current files into the factory (at start and on every reload). */
  void apply(SslContextFactory.Server factory) throws TlsFileException {
    factory.setKeyStore(keyStore());
    factory.setKeyStorePassword(keyPassword());
    factory.setKeyManagerPassword(keyPassword());
  }

  /** The password of the in-memory keystore made from PEM files; it never leaves this process. */
  private static final String PEM_PASSWORD = randomPassword();

  private static String randomPassword() {
    byte[] bytes = new byte[24];
    new SecureRandom().nextBytes(bytes);
    return Base64.getEncoder().encodeToString(bytes);
  }

  private KeyStore pkcs12() throws TlsFileException {
    char[] password = keyPassword().toCharArray();
    try (InputStream in = Files.newInputStream(keystore)) {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(in, password);
      boolean hasKey = false;
      for (String alias : java.util.Collections.list(store.aliases())) {
        hasKey |= store.isKeyEntry(alias);
      }
      if (!hasKey) {
        throw new TlsFileException(KEYSTORE, "the keystore holds no private key");
      }
      return store;
    } catch (IOException | GeneralSecurityException e) {
      throw new TlsFileException(KEYSTORE, "cannot read the PKCS#12 keystore (file, format or "
          + KEYSTORE_PASSWORD + "): " + e.getMessage());
    }
  }

  private KeyStore pem() throws TlsFileException {
    List<Certificate> chain = new ArrayList<>();
    try (Reader reader = Files.newBufferedReader(certificate); PEMParser parser = new PEMParser(reader)) {
      JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
      for (Object item = parser.readObject(); item != null; item = parser.readObject()) {
        if (item instanceof X509CertificateHolder holder) {
          chain.add(converter.getCertificate(holder));
        }
      }
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      throw new TlsFileException(CERTIFICATE, "cannot read the PEM certificate: " + e.getMessage());
    }
    if (chain.isEmpty()) {
      throw new TlsFileException(CERTIFICATE, "no PEM certificate (-----BEGIN CERTIFICATE-----) in the file");
    }
    PrivateKey key;
    try (Reader reader = Files.newBufferedReader(privateKey); PEMParser parser = new PEMParser(reader)) {
      Object item = parser.readObject();
      JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
      if (item instanceof PEMKeyPair pair) {
        key = converter.getKeyPair(pair).getPrivate();
      } else if (item instanceof PrivateKeyInfo info) {
        key = converter.getPrivateKey(info);
      } else {
        throw new TlsFileException(PRIVATE_KEY,
            "no unencrypted PEM private key (-----BEGIN PRIVATE KEY----- or -----BEGIN RSA/EC PRIVATE KEY-----)");
      }
    } catch (IOException | RuntimeException e) {
      throw new TlsFileException(PRIVATE_KEY, "cannot read the PEM private key: " + e.getMessage());
    }
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry("server", key, PEM_PASSWORD.toCharArray(), chain.toArray(Certificate[]::new));
      return store;
    } catch (IOException | GeneralSecurityException e) {
      throw new TlsFileException(PRIVATE_KEY, "the key does not fit the certificate: " + e.getMessage());
    }
  }

  private static Path path(OptionValues server, String option) {
    return server.get(option).map(String::trim).filter(value -> !value.isEmpty()).map(Path::of).orElse(null);
  }

  private static ConfigException invalid(OptionValues server, String option, String problem) {
    return ConfigException.invalidOption(Configuration.SERVER_SECTION, option, server.get(option).orElse(""),
        problem.replaceAll("\\R", " "));
  }

  /** A TLS file that cannot be used; names its option. */
  static final class TlsFileException extends Exception {
    private static final long serialVersionUID = 1L;
    final String option;

    TlsFileException(String option, String message) {
      super(message);
      this.option = option;
    }
  }
}
