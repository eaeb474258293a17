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
import org.opencallback.config.OptionValues;
import org.opencallback.config.ServiceConfig;
import org.opencallback.domain.CallbackException;
import org.opencallback.domain.ErrorCode;

/**
 * A service's options as they apply to one request: {@code $name$} tokens filled from the request's
 * fields (GMS token variables), then the options listed in {@code _overwritable_options} ({@code
 * _ors}, {@code _target}, {@code _redirect}) taken from the request when it gives them.
 */
final class RequestOptions {
  /** The options a request may override when {@code _overwritable_options} lists them. */
  static final List<String> OVERWRITABLE = List.of("_ors", "_target", "_redirect");

  private static final Pattern TOKEN = Pattern.compile("\\$([A-Za-z0-9_.-]+)\\$");

  private RequestOptions() {}

  static ServiceConfig effective(ServiceConfig service, Map<String, Object> request) {
    Map<String, String> own = new LinkedHashMap<>();
    boolean changed = false;
    for (Map.Entry<String, String> option : service.options().own().entrySet()) {
      String value = option.getValue();
      if (value.indexOf('$') >= 0) {
        String filled = fill(value, request);
        changed |= !filled.equals(value);
        value = filled;
        check(service.name(), option.getKey(), value);
      }
      if (!value.isBlank()) {
        own.put(option.getKey(), value);
      }
    }
    List<String> overwritable = service.options().list("_overwritable_options");
    for (String option : OVERWRITABLE) {
      if (overwritable.contains(option) && request.containsKey(option)) {
        Object value = request.get(option);
        String text = value == null ? "" : String.valueOf(value).trim();
        changed = true;
        // an empty override is kept as "": it unsets the option for this request (e.g. _redirect="")
        own.put(option, text);
      }
    }
    if (!changed) {
      return service;
    }
    return new ServiceConfig(
        service.name(), new OptionValues(service.options().section(), OptionScope.SERVICE, own, service.options().parent(),
            blankOf(service)));
  }

  private static java.util.Set<String> blankOf(ServiceConfig service) {
    java.util.Set<String> blank = new java.util.HashSet<>();
    for (String option : List.of("_default_country")) {
      if (service.options().isBlank(option)) {
        blank.add(option);
      }
    }
    return blank;
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
