package org.opencallback.calendar;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.MonthDay;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the options of a {@code _service=capacity} section (formats in docs/calendars.md). */
final class CapacityParser {
  static final String DAYS_EXPECTED = "expected a list of week days, e.g. \"[Mon, Tue, Wed, Thu, Fri, Sat, Sun]\"";
  static final String DAY_EXPECTED =
      "expected {\"<day index>\":{\"HH00\":<capacity>, …}}, e.g. {\"1\":{\"0900\":5,\"1000\":3}}";
  static final String ADD_EXPECTED =
      "expected {\"<YYYY-MM-dd|MM-dd>\":{\"HH00\":<capacity>, …}, …}, e.g."
          + " {\"2025-12-24\":{\"0900\":2,\"1000\":0}}";

  private static final ObjectReader JSON =
      JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build().reader();
  private static final Pattern DAY_KEY = Pattern.compile("_capacity_(\\d+)");
  private static final Pattern HOUR = Pattern.compile("(\\d{1,2}):?(\\d{2})");
  private static final Pattern INDEX = Pattern.compile("\\d{1,2}");
  private static final Pattern DATE = Pattern.compile("(\\d{4})-(\\d{1,2})-(\\d{1,2})");
  private static final Pattern MONTH_DAY = Pattern.compile("(\\d{1,2})-(\\d{1,2})");
  private static final List<DayOfWeek> DEFAULT_ORDER = List.of(DayOfWeek.values());

  private final int maxCapacity;

  private CapacityParser(int maxCapacity) {
    this.maxCapacity = maxCapacity;
  }

  static CapacityPlan parse(Map<String, String> options, int maxCapacity) {
    if (maxCapacity <= 0) {
      throw new IllegalArgumentException("_max_capacity must be positive, was " + maxCapacity);
    }
    return new CapacityParser(maxCapacity).read(options);
  }

  private CapacityPlan read(Map<String, String> options) {
    ZoneId zone = OfficeHoursParser.zone(options, "_timezone");
    List<DayOfWeek> order = order(options.get("_capacity"));
    Map<DayOfWeek, HourlyCapacity> weekly = new EnumMap<>(DayOfWeek.class);
    Map<LocalDate, HourlyCapacity> dated = new HashMap<>();
    Map<MonthDay, HourlyCapacity> yearly = new HashMap<>();
    for (Map.Entry<String, String> option : new TreeMap<>(options).entrySet()) {
      String key = option.getKey();
      String value = option.getValue() == null ? "" : option.getValue().trim();
      Matcher dayKey = DAY_KEY.matcher(key);
      if (dayKey.matches()) {
        readDay(key, value, Integer.parseInt(dayKey.group(1)), order, weekly);
      } else if (key.equals("_capacity_add")) {
        readAdd(key, value, dated, yearly);
      }
    }
    return new CapacityPlan(zone, maxCapacity, weekly, dated, yearly);
  }

  private static List<DayOfWeek> order(String value) {
    if (value == null || value.isBlank()) {
      return DEFAULT_ORDER;
    }
    String list = value.trim();
    if (list.startsWith("[") && list.endsWith("]")) {
      list = list.substring(1, list.length() - 1);
    }
    List<DayOfWeek> days = new ArrayList<>();
    for (String item : list.split(",", -1)) {
      String name = item.trim().replace("\"", "").toUpperCase(Locale.ROOT);
      DayOfWeek day = null;
      for (DayOfWeek candidate : DayOfWeek.values()) {
        if (candidate.name().equals(name) || (name.length() == 3 && candidate.name().startsWith(name))) {
          day = candidate;
        }
      }
      if (day == null) {
        throw new CalendarConfigException(
            "_capacity", value, "unknown day \"" + item.trim() + "\"; " + DAYS_EXPECTED);
      }
      if (days.contains(day)) {
        throw new CalendarConfigException(
            "_capacity", value, "day \"" + item.trim() + "\" is listed twice; " + DAYS_EXPECTED);
      }
      days.add(day);
    }
    return days;
  }

  private void readDay(
      String key,
      String value,
      int suffix,
      List<DayOfWeek> order,
      Map<DayOfWeek, HourlyCapacity> weekly) {
    JsonNode root = json(key, value, DAY_EXPECTED);
    if (root == null) {
      return;
    }
    if (!root.isObject()) {
      throw new CalendarConfigException(key, value, "not a JSON object; " + DAY_EXPECTED);
    }
    Map<Integer, JsonNode> byIndex = new TreeMap<>();
    boolean indexed = root.size() > 0;
    for (Map.Entry<String, JsonNode> entry : root.properties()) {
      indexed &= INDEX.matcher(entry.getKey()).matches();
    }
    if (indexed) {
      for (Map.Entry<String, JsonNode> entry : root.properties()) {
        byIndex.put(Integer.parseInt(entry.getKey()), entry.getValue());
      }
    } else if (root.size() > 0) {
      byIndex.put(suffix, root); // the hour map given directly: {"0900":5}
    }
    for (Map.Entry<Integer, JsonNode> entry : byIndex.entrySet()) {
      int index = entry.getKey();
      if (index < 1 || index > order.size()) {
        throw new CalendarConfigException(
            key,
            value,
            "day index " + index + " is outside 1…" + order.size() + " of _capacity; " + DAY_EXPECTED);
      }
      DayOfWeek day = order.get(index - 1);
      if (weekly.containsKey(day)) {
        throw new CalendarConfigException(
            key, value, "day " + index + " (" + day + ") is defined twice; " + DAY_EXPECTED);
      }
      weekly.put(day, hours(key, value, entry.getValue(), DAY_EXPECTED));
    }
  }

  private void readAdd(
      String key,
      String value,
      Map<LocalDate, HourlyCapacity> dated,
      Map<MonthDay, HourlyCapacity> yearly) {
    JsonNode root = json(key, value, ADD_EXPECTED);
    if (root == null) {
      return;
    }
    List<JsonNode> objects = new ArrayList<>();
    if (root.isArray()) {
      root.forEach(objects::add);
    } else {
      objects.add(root);
    }
    for (JsonNode object : objects) {
      if (!object.isObject()) {
        throw new CalendarConfigException(key, value, "not a JSON object; " + ADD_EXPECTED);
      }
      for (Map.Entry<String, JsonNode> entry : object.properties()) {
        String date = entry.getKey().trim();
        HourlyCapacity hours = hours(key, value, entry.getValue(), ADD_EXPECTED);
        Matcher full = DATE.matcher(date);
        Matcher monthDay = MONTH_DAY.matcher(date);
        try {
          Object previous;
          if (full.matches()) {
            previous =
                dated.put(
                    LocalDate.of(
                        Integer.parseInt(full.group(1)),
                        Integer.parseInt(full.group(2)),
                        Integer.parseInt(full.group(3))),
                    hours);
          } else if (monthDay.matches()) {
            previous =
                yearly.put(
                    MonthDay.of(
                        Integer.parseInt(monthDay.group(1)), Integer.parseInt(monthDay.group(2))),
                    hours);
          } else {
            throw new CalendarConfigException(
                key, value, "bad date \"" + date + "\"; " + ADD_EXPECTED);
          }
          if (previous != null) {
            throw new CalendarConfigException(
                key, value, "date \"" + date + "\" is defined twice; " + ADD_EXPECTED);
          }
        } catch (DateTimeException e) {
          throw new CalendarConfigException(
              key, value, "no such date \"" + date + "\"; " + ADD_EXPECTED);
        }
      }
    }
  }

  private HourlyCapacity hours(String key, String value, JsonNode node, String expected) {
    if (!node.isObject()) {
      throw new CalendarConfigException(
          key, value, "hours must be a JSON object {\"HH00\":<capacity>}; " + expected);
    }
    int[] perHour = new int[24];
    boolean[] seen = new boolean[24];
    for (Map.Entry<String, JsonNode> entry : node.properties()) {
      Matcher hour = HOUR.matcher(entry.getKey().trim());
      if (!hour.matches()
          || Integer.parseInt(hour.group(1)) > 23
          || Integer.parseInt(hour.group(2)) != 0) {
        throw new CalendarConfigException(
            key,
            value,
            "bad hour slot \"" + entry.getKey() + "\", expected 0000, 0100, … 2300; " + expected);
      }
      int h = Integer.parseInt(hour.group(1));
      if (seen[h]) {
        throw new CalendarConfigException(
            key, value, "hour slot \"" + entry.getKey() + "\" is defined twice; " + expected);
      }
      seen[h] = true;
      perHour[h] = capacity(key, value, entry.getKey(), entry.getValue());
    }
    return new HourlyCapacity(perHour);
  }

  private int capacity(String key, String value, String slot, JsonNode node) {
    long capacity;
    if (node.isIntegralNumber() && node.canConvertToLong()) {
      capacity = node.longValue();
    } else if (node.isTextual() && node.asText().trim().matches("-?\\d{1,18}")) {
      capacity = Long.parseLong(node.asText().trim());
    } else {
      throw new CalendarConfigException(
          key, value, "capacity " + node + " at " + slot + " is not a whole number");
    }
    if (capacity < 0) {
      throw new CalendarConfigException(
          key, value, "capacity " + capacity + " at " + slot + " is negative");
    }
    if (capacity > maxCapacity) {
      throw new CalendarConfigException(
          key,
          value,
          "capacity "
              + capacity
              + " at "
              + slot
              + " is above _max_capacity "
              + maxCapacity
              + " (GMS: CapacityException)");
    }
    return (int) capacity;
  }

  /** The parsed value; null when empty, {}, or []. */
  private static JsonNode json(String key, String value, String expected) {
    if (value.isEmpty()) {
      return null;
    }
    JsonNode root;
    try {
      root = JSON.readTree(value);
    } catch (JsonProcessingException e) {
      throw new CalendarConfigException(
          key, value, "not valid JSON (" + e.getOriginalMessage() + "); " + expected);
    }
    if (root == null || root.isMissingNode() || ((root.isObject() || root.isArray()) && root.isEmpty())) {
      return null;
    }
    return root;
  }
}
