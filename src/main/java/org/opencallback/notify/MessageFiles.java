package org.opencallback.notify;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.opencallback.domain.Callback;
import org.opencallback.outbound.OutboundHttp;
import org.opencallback.outbound.OutboundRefused;

/**
 * Reads {@code _notification_message_file}: a JSON object of strings keyed by event. The location is
 * GMS's default path {@value #DEFAULT_PATH} (the bundled file), an {@code http(s)} URL, or a file
 * path. A file read well is kept {@link #KEEP} before it is read again; a failure is not kept. A
 * location a request chose ({@link #loadRequested}) goes through the outbound policy's client; the
 * operator's (the configuration's) through a plain JDK client (docs/security.md, "Outbound URLs").
 * Thread-safe.
 */
public final class MessageFiles {
  public static final String DEFAULT_PATH = "/genesys/1/document/service_template/callback/Resources/Strings/messages.json";
  /** The bundled file, on the class path. */
  public static final String BUNDLED = "/notification/messages.json";
  static final Duration KEEP = Duration.ofSeconds(10);
  /** The option naming the file. */
  static final String OPTION = "_notification_message_file";
  /** Cache key prefix of a file a request chose. */
  private static final String REQUESTED = "requested ";
  static final Duration TIMEOUT = Duration.ofSeconds(5);

  /** Most message files kept: one per configured location, far fewer in practice. */
  static final int MAX_FILES = 256;

  private final ObjectMapper json;
  /** For an operator's location (the configuration): not a request's choice. */
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
  /** For a location a request chose: the outbound policy judges every address at connect time. */
  private final OutboundHttp outbound;
  /** Messages by location. Bound: {@link #MAX_FILES} locations, each kept {@link #KEEP} after it was read. */
  private final Cache<String, Map<String, String>> cache =
      Caffeine.newBuilder().maximumSize(MAX_FILES).expireAfterWrite(KEEP).build();

  /** Without a checked client: a location a request chose is refused ({@link #loadRequested}). */
  public MessageFiles(ObjectMapper json) {
    this(json, null);
  }

  /** @param outbound the checked client a location chosen by a request is fetched through */
  public MessageFiles(ObjectMapper json, OutboundHttp outbound) {
    this.json = json;
    this.outbound = outbound;
  }

  /** Whether the callback's request chose its message file ({@code $token$} or {@code _overwritable_options}). */
  public static boolean chosenByRequest(Callback callback) {
    return callback.resolvedOptions().containsKey(OPTION);
  }

  /**
   * The messages of a file the operator configured: the bundled one, an http(s) URL or a file path.
   *
   * @throws MessageFileException when it cannot be read or is not a JSON object of strings
   */
  public Map<String, String> load(String location) {
    String where = location == null || location.isBlank() ? DEFAULT_PATH : location.trim();
    Map<String, String> kept = cache.getIfPresent(where);
    if (kept != null) {
      return kept;
    }
    Map<String, String> messages = parse(where, read(where));
    cache.put(where, messages);
    return messages;
  }

  /**
   * The messages of a file a request chose: an http(s) URL only (admission judged it already:
   * RequestedUrls), fetched through the outbound policy's client, which refuses a host name that
   * resolves to a private, loopback or metadata address when it connects. Kept apart from the
   * operator's files: a request's choice never reads what an operator's location fetched.
   *
   * @throws MessageFileException when it is refused, cannot be fetched or is not a JSON object of strings
   */
  public Map<String, String> loadRequested(String location) {
    String where = location == null ? "" : location.trim();
    String key = REQUESTED + where;
    Map<String, String> kept = cache.getIfPresent(key);
    if (kept != null) {
      return kept;
    }
    Map<String, String> messages = parse(where, fetchChecked(where));
    cache.put(key, messages);
    return messages;
  }

  private byte[] fetchChecked(String where) {
    String lower = where.toLowerCase(java.util.Locale.ROOT);
    if (!lower.startsWith("http://") && !lower.startsWith("https://")) {
      throw new MessageFileException("message file " + where + ": a request may choose an http(s) URL only");
    }
    if (outbound == null) {
      throw new MessageFileException("message file " + where + ": no outbound client for a request's choice");
    }
    OutboundHttp.Answer answer;
    try {
      answer = outbound.getAndWait(where, TIMEOUT);
    } catch (OutboundRefused refused) {
      throw new MessageFileException("message file " + where + " refused: " + refused.getMessage(), refused);
    } catch (UncheckedIOException e) {
      throw new MessageFileException("message file " + where + " cannot be fetched: " + e.getCause().getMessage(), e);
    }
    if (answer.status() != 200) {
      throw new MessageFileException("message file " + where + " answered HTTP " + answer.status());
    }
    return answer.body().getBytes(StandardCharsets.UTF_8);
  }

  /** How many files are kept now (tests). */
  long kept() {
    cache.cleanUp();
    return cache.estimatedSize();
  }

  /** The bundled file's bytes. */
  public static byte[] bundled() {
    try (InputStream in = MessageFiles.class.getResourceAsStream(BUNDLED)) {
      if (in == null) {
        throw new MessageFileException("the bundled message file " + BUNDLED + " is missing");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new MessageFileException("the bundled message file cannot be read", e);
    }
  }

  private byte[] read(String where) {
    if (where.equals(DEFAULT_PATH)) {
      return bundled();
    }
    if (where.startsWith("http://") || where.startsWith("https://")) {
      try {
        HttpResponse<byte[]> response = client.send(
            HttpRequest.newBuilder(URI.create(where)).timeout(TIMEOUT).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
          throw new MessageFileException("message file " + where + " answered HTTP " + response.statusCode());
        }
        return response.body();
      } catch (IOException | IllegalArgumentException e) {
        throw new MessageFileException("message file " + where + " cannot be fetched: " + e.getMessage(), e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new MessageFileException("message file " + where + ": interrupted", e);
      }
    }
    try {
      return Files.readAllBytes(Path.of(where.startsWith("file:") ? URI.create(where).getPath() : where));
    } catch (IOException | RuntimeException e) {
      throw new MessageFileException("message file " + where + " cannot be read: " + e.getMessage(), e);
    }
  }

  private Map<String, String> parse(String where, byte[] bytes) {
    JsonNode root;
    try {
      root = json.readTree(bytes);
    } catch (IOException e) {
      throw new MessageFileException("message file " + where + " is not JSON: " + String.valueOf(e.getMessage()).split("\\R")[0], e);
    }
    if (root == null || !root.isObject()) {
      throw new MessageFileException("message file " + where + " is not a JSON object");
    }
    Map<String, String> messages = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      if (!entry.getValue().isTextual()) {
        throw new MessageFileException("message file " + where + ": " + entry.getKey() + " is not a string");
      }
      messages.put(entry.getKey(), entry.getValue().asText());
    }
    return Map.copyOf(messages);
  }
}
