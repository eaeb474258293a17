package org.opencallback.callback.admission;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.opencallback.config.OptionScope;
import org.opencallback.config.OptionCatalog;
import org.opencallback.config.OptionSpec;
import org.opencallback.config.ServiceConfig;
import org.opencallback.domain.CallbackException;
import org.opencallback.domain.ErrorCode;

/**
 * A service's options as they apply to one request: {@code $name$} tokens filled from the request's
 * fields (GMS token variables), then the options listed in {@code _overwritable_options} taken from
 * the request when it gives them — only those of {@link #OVERWRITABLE}. The result is a set of
 * changes ({@link Resolved#changes}), computed once, stored with the callback and applied again at
 * hand-off ({@link ServiceConfig#withResolved}), so the engine sees what admission saw.
 */
final class RequestOptions {
  /**
   * The options a request may override when {@code _overwritable_options} lists them: GMS's own three
   * ({@code _ors}, {@code _target}, {@code _redirect}) and the queueing options the execution reads
   * (virtual queue and priority). Anything else listed is ignored (docs/decisions.md).
   */
  static final List<String> OVERWRITABLE = List.of(
      "_ors", "_target", "_redirect", "_urs_virtual_queue", "_urs_vq_priority", "_urs_vq_priority_increment");
  /** Overridable options whose value must be a whole number. */
  private static final List<String> WHOLE_NUMBERS = List.of("_urs_vq_priority", "_urs_vq_priority_increment");

  private static final Pattern TOKEN = Pattern.compile("\\$([A-Za-z0-9_.-]+)\\$");

  /**
   * @param service the options as they apply to this request
   * @param changes how they differ from the configured ones: option → value, null for an option the
   *     request left unset (a token filled with nothing)
   */
  record Resolved(ServiceConfig service, Map<String, String> changes) {}

  private RequestOptions() {}

  static Resolved resolve(ServiceConfig service, Map<String, Object> request) {
    Map<String, String> changes = new LinkedHashMap<>();
    for (Map.Entry<String, String> option : service.options().own().entrySet()) {
      String value = option.getValue();
      if (value.indexOf('$') >= 0) {
        String filled = fill(value, request);
        if (!filled.equals(value)) {
          check(service.name(), option.getKey(), filled);
          changes.put(option.getKey(), filled.isBlank() ? null : filled);
        }
      }
    }
    List<String> overwritable = service.options().list("_overwritable_options");
    for (String option : OVERWRITABLE) {
      if (overwritable.contains(option) && request.containsKey(option)) {
        Object value = request.get(option);
        String text = value == null ? "" : String.valueOf(value).trim();
        check(service.name(), option, text);
        if (!text.isEmpty() && WHOLE_NUMBERS.contains(option) && !isWhole(text)) {
          throw CallbackException.invalidParameter(
              option + " must be a whole number between " + Integer.MIN_VALUE + " and " + Integer.MAX_VALUE
                  + ": \"" + text + "\"");
        }
        // an empty override is kept as "": it unsets the option for this request (e.g. _redirect="")
        changes.put(option, text);
      }
    }
    return new Resolved(service.withResolved(changes), changes);
  }

  private static boolean isWhole(String text) {
    try {
      Integer.parseInt(text);
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static String fill(String value, Map<String, Object> request) {
    Matcher matcher = TOKEN.matcher(value);
    StringBuilder filled = new StringBuilder();
    while (matcher.find()) {
      Object replacement = request.get(matcher.group(1));
      matcher.appendReplacement(filled, Matcher.quoteReplacement(replacement == null ? "" : String.valueOf(replacement)));
    }
    matcher.appendTail(filled);
    return filled.toString().trim();
  }

  private static void check(String service, String option, String value) {
    if (value.isBlank()) {
      return;
    }
    Optional<OptionSpec> spec = OptionCatalog.find(OptionScope.SERVICE, option);
    String problem = spec.map(s -> s.problem(value)).orElse(null);
    if (problem != null) {
      throw new CallbackException(
          ErrorCode.INVALID_PARAMETER,
          CallbackException.Fault.INVALID_REQUEST,
          "Option " + option + " of service " + service + " filled from the request is invalid: \""
              + value + "\": " + problem,
          Map.of("option", option, "value", value),
          Map.of());
    }
  }
}
