package org.opencallback.callback.admission;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.opencallback.domain.CallbackException;
import org.opencallback.domain.ErrorCode;

/**
 * URLs a request chooses for the server to call, checked when the request is accepted (start,
 * redial, {@code PUT}) so that a refused one is answered 400 / 40040 and never stored
 * (docs/security.md, "Outbound URLs"): the {@code _ors}, {@code _webhook_url} and
 * {@code _notification_message_file} a request filled ({@code $token$}) or overrode
 * ({@code _overwritable_options}), and the {@code httpcb} target {@code _device_notification_id}.
 * The check looks no name up (admission never waits for DNS); the addresses of a name are checked
 * again at every connection. Stateless, thread-safe.
 */
public final class RequestedUrls {
  /** The outbound policy's check of a URL without a name lookup. */
  @FunctionalInterface
  public interface Check {
    /** Why the server would not call this URL, or empty when it may. */
    Optional<String> refusal(String url);
  }

  /** Service options that name a URL the server itself calls. */
  private static final String ORS = "_ors";
  private static final String WEBHOOK = "_webhook_url";
  private static final String MESSAGE_FILE = "_notification_message_file";
  static final String DEVICE_ID = "_device_notification_id";

  private final Check check;

  public RequestedUrls(Check check) {
    this.check = check;
  }

  /**
   * At start: the options the request changed ({@code changes}: option → value, null when unset)
   * and the request's fields.
   */
  void start(Map<String, String> changes, Map<String, Object> request) {
    String ors = changes.get(ORS);
    if (ors != null) {
      Arrays.stream(ors.split(",")).map(String::trim).filter(url -> !url.isEmpty())
          .forEach(url -> require(ORS, url));
    }
    String webhook = changes.get(WEBHOOK);
    if (webhook != null && !webhook.isBlank()) {
      require(WEBHOOK, webhook.trim());
    }
    String messages = changes.get(MESSAGE_FILE);
    if (messages != null && !messages.isBlank()) {
      String location = messages.trim().toLowerCase(Locale.ROOT);
      if (!location.startsWith("http://") && !location.startsWith("https://")) {
        // a file path chosen by a request would read any file the server may read
        throw refused(MESSAGE_FILE, "a message file chosen by the request must be an http(s) URL, not a path");
      }
      require(MESSAGE_FILE, messages.trim());
    }
    notificationTarget(request).ifPresent(url -> require(DEVICE_ID, url));
  }

  /**
   * At {@code PUT}: the {@code httpcb} target when the update makes one or changes it (one accepted
   * before is not judged again here; every connection still is).
   */
  public void update(Map<String, Object> before, Map<String, Object> after) {
    Optional<String> target = notificationTarget(after);
    if (target.isPresent() && !Objects.equals(target, notificationTarget(before))) {
      require(DEVICE_ID, target.get());
    }
  }

  /** The URL an {@code httpcb} notification goes to, when the fields ask for one. */
  private static Optional<String> notificationTarget(Map<String, Object> fields) {
    Object os = fields.get("_device_os");
    Object target = fields.get(DEVICE_ID);
    if (os == null || !"httpcb".equalsIgnoreCase(String.valueOf(os).trim()) || Requests.isBlank(target)) {
      return Optional.empty();
    }
    return Optional.of(String.valueOf(target).trim());
  }

  private void require(String parameter, String url) {
    Optional<String> refusal = check.refusal(url);
    if (refusal.isPresent()) {
      throw refused(parameter, refusal.get());
    }
  }

  private static CallbackException refused(String parameter, String why) {
    return new CallbackException(
        ErrorCode.REQUEST_REJECTED,
        CallbackException.Fault.NOT_ALLOWED,
        "Callback request rejected: " + parameter + " is not a URL this server may call: " + why,
        Map.of("parameter", parameter),
        Map.of());
  }
}
