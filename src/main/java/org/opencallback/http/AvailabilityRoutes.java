package org.opencallback.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TimeZone;
import org.opencallback.callback.admission.Availability;
import org.opencallback.calendar.AvailabilityCalculator;
import org.opencallback.calendar.Slot;
import org.opencallback.domain.CallbackException;
import org.opencallback.domain.Times;

/**
 * Availability v1 and v2 of a callback service, and the office-hours and capacity services' own
 * endpoints ({@code GET /genesys/1/service/{name}}).
 */
public final class AvailabilityRoutes implements Routes {
  private final Availability availability;
  private final ObjectMapper json;
  private final java.time.Clock clock;

  public AvailabilityRoutes(Availability availability, ObjectMapper json, java.time.Clock clock) {
    this.availability = availability;
    this.json = json;
    this.clock = clock;
  }

  @Override
  public void register(RoutesConfig routes) {
    routes.get("/genesys/1/service/callback/{svc}/availability", this::v1);
    routes.get("/genesys/2/service/callback/{svc}/availability", this::v2);
  }

  /** The office-hours and capacity endpoints; registered after the callback routes. */
  public Routes builtinServices() {
    return routes -> routes.get("/genesys/1/service/{name}", this::builtin);
  }

  private void v1(Context ctx) {
    Map<String, String> params = RequestParams.query(ctx);
    String service = ctx.pathParam("svc");
    ZoneId zone = availability.calendar(service).buckets().zone();
    String startText = params.containsKey("start") ? params.get("start") : params.get("timestamp");
    Instant start = startText == null || startText.isBlank() ? clock.instant() : instant("start", startText, zone);
    Instant end = end(params, start, zone, params.get("end"), null);
    int max = positive(params, "max-time-slots");
    List<Slot> slots = availability.slots(service, start, end, false, max).slots();
    Responses.json(ctx, json, AvailabilityCalculator.asAvailability(slots));
  }

  private void v2(Context ctx) {
    Map<String, String> params = RequestParams.query(ctx);
    String service = ctx.pathParam("svc");
    ZoneId officeZone = availability.calendar(service).buckets().zone();
    ZoneId zone = params.containsKey("timezone") ? zone(params.get("timezone")) : officeZone;
    long ends = List.of("end", "end-ms", "number-of-days").stream().filter(params::containsKey).count();
    if (ends > 1) {
      throw CallbackException.invalidParameter("Use only one of end, end-ms and number-of-days");
    }
    if (params.containsKey("start") && params.containsKey("start-ms")) {
      throw CallbackException.invalidParameter("Use only one of start and start-ms");
    }
    Instant start = params.containsKey("start-ms") ? millis("start-ms", params.get("start-ms"))
        : params.containsKey("start") ? instant("start", params.get("start"), zone) : clock.instant();
    Instant end = end(params, start, zone, params.get("end"),
        params.containsKey("end-ms") ? millis("end-ms", params.get("end-ms")) : null);
    boolean busy = Boolean.parseBoolean(params.getOrDefault("report-busy", "false").trim());
    int max = positive(params, "max-time-slots");
    Availability.Result result = availability.slots(service, start, end, busy, max);
    List<Map<String, Object>> slots = result.slots().stream().map(slot -> {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("utcTime", Times.format(slot.start()));
      body.put("localTime", AvailabilityCalculator.isoLocal(slot.start(), zone));
      body.put("capacity", slot.free());
      body.put("total", slot.total());
      return body;
    }).toList();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("slots", slots);
    body.put("durationMin", result.calendar().buckets().minutes());
    body.put("timezone", TimeZone.getTimeZone(zone).getDisplayName(false, TimeZone.LONG, Locale.ENGLISH));
    body.put("timezoneId", zone.getId());
    Responses.json(ctx, json, body);
  }

  private void builtin(Context ctx) {
    String name = ctx.pathParam("name");
    Map<String, String> params = RequestParams.query(ctx);
    Map<String, Object> body;
    ZoneId capacityZone = availability.capacityZone(name);
    if (capacityZone != null) {
      ZoneId zone = params.containsKey("timezone") ? zone(params.get("timezone")) : capacityZone;
      LocalDateTime start = params.containsKey("start") ? local("start", params.get("start"))
          : LocalDate.now(clock.withZone(zone)).atStartOfDay();
      LocalDateTime end = params.containsKey("end") ? local("end", params.get("end")) : start.plusDays(1);
      checkRange(start.atZone(zone).toInstant(), end.atZone(zone).toInstant());
      body = availability.capacity(name, start, end, zone);
    } else {
      Instant now = clock.instant();
      Instant start = params.containsKey("start") ? instant("start", params.get("start"), java.time.ZoneOffset.UTC) : now;
      Instant end;
      if (params.containsKey("end")) {
        end = instant("end", params.get("end"), java.time.ZoneOffset.UTC);
      } else if (params.containsKey("number-of-days")) {
        end = start.plus(Duration.ofDays(positive(params, "number-of-days")));
      } else {
        end = start;
      }
      checkRange(start, end);
      body = availability.officeHours(name, start, end);
    }
    if (body == null) {
      throw new CallbackException(org.opencallback.domain.ErrorCode.INVALID_PARAMETER, CallbackException.Fault.UNKNOWN_SERVICE,
          "Service '" + name + "' is not an office-hours or capacity service", Map.of("service", name), Map.of());
    }
    Responses.json(ctx, json, body);
  }

  private static Instant end(Map<String, String> params, Instant start, ZoneId zone, String endText, Instant endMs) {
    Instant end;
    if (endMs != null) {
      end = endMs;
    } else if (endText != null && !endText.isBlank()) {
      end = instant("end", endText, zone);
    } else {
      int days = params.containsKey("number-of-days") ? positive(params, "number-of-days") : 1;
      end = start.atZone(zone).toLocalDate().plusDays(days).atStartOfDay(zone).toInstant();
    }
    checkRange(start, end);
    return end;
  }

  private static void checkRange(Instant start, Instant end) {
    if (end.isBefore(start)) {
      throw CallbackException.invalidParameter("end " + Times.format(end) + " is before start " + Times.format(start));
    }
    if (Duration.between(start, end).compareTo(Availability.MAX_RANGE) > 0) {
      throw CallbackException.invalidParameter("The range may cover at most " + Availability.MAX_RANGE.toDays() + " days");
    }
  }

  /** An ISO time; without a zone or offset it is read in {@code zone}. */
  private static Instant instant(String name, String text, ZoneId zone) {
    java.util.Optional<Instant> absolute = Times.parse(text);
    if (absolute.isPresent()) {
      return absolute.get();
    }
    try {
      return LocalDateTime.parse(text.trim()).atZone(zone).toInstant();
    } catch (DateTimeParseException e) {
      throw bad(name, text, "an ISO-8601 time such as 2026-01-31T14:30:00.000Z");
    }
  }

  private static LocalDateTime local(String name, String text) {
    try {
      return LocalDateTime.parse(text.trim());
    } catch (DateTimeParseException e) {
      throw bad(name, text, "a local ISO-8601 time such as 2026-01-31T09:15:00.000");
    }
  }

  private static Instant millis(String name, String text) {
    try {
      Instant instant = Instant.ofEpochMilli(Long.parseLong(text.trim()));
      return Times.parse(Times.format(instant)).orElseThrow(() -> bad(name, text, "epoch milliseconds"));
    } catch (NumberFormatException | DateTimeException e) {
      throw bad(name, text, "epoch milliseconds");
    }
  }

  private static ZoneId zone(String text) {
    try {
      return ZoneId.of(text.trim(), ZoneId.SHORT_IDS);
    } catch (DateTimeException e) {
      throw bad("timezone", text, "a time-zone id such as Europe/Paris");
    }
  }

  private static int positive(Map<String, String> params, String name) {
    String text = params.get(name);
    if (text == null || text.isBlank()) {
      return 0;
    }
    try {
      int value = Integer.parseInt(text.trim());
      if (value >= 1) {
        return value;
      }
    } catch (NumberFormatException e) {
      // refused below
    }
    throw bad(name, text, "a whole number of 1 or more");
  }

  private static CallbackException bad(String name, String value, String expected) {
    return new CallbackException(org.opencallback.domain.ErrorCode.INVALID_PARAMETER, CallbackException.Fault.INVALID_REQUEST,
        "Invalid " + name + " '" + value + "': expected " + expected, Map.of("parameter", name, "value", value),
        Map.of());
  }
}
