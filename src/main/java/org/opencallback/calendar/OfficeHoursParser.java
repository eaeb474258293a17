package org.opencallback.calendar;

import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.MonthDay;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the options of an {@code _service=office-hours} section (formats in docs/calendars.md). */
final class OfficeHoursParser {
  static final String REGULAR_EXPECTED =
      "expected <days> <HH:mm-HH:mm>, e.g. \"Mon-Fri 9:00-17:00\" or \"Sat,Sun 10:00-12:00,14:00-16:00\"";
  static final String ADD_EXPECTED =
      "expected <YYYY-MM-dd|MM-dd> <HH:mm-HH:mm>, e.g. \"2025-12-24 9:00-12:00\" or \"07-14 12:00-14:30\"";
  static final String HOLIDAY_EXPECTED =
      "expected a date YYYY-MM-dd or a yearly date MM-dd, e.g. \"2025-12-25\" or \"12-25\"";
  static final String EFFECTIVE_EXPECTED =
      "expected YYYY-MM-dd or \"YYYY-MM-dd to YYYY-MM-dd\", e.g. \"2025-01-01 to 2025-06-30\"";

  private static final Pattern REGULAR_KEY = Pattern.compile("_bh_regular\\d*");
  private static final Pattern ADD_KEY = Pattern.compile("_bh_add\\d*");
  private static final Pattern HOLIDAY_KEY = Pattern.compile("_(holiday|bh_drop)\\d*");
  private static final Pattern EFFECTIVE_KEY = Pattern.compile("_effective_dates\\d*");

  private static final Pattern RANGE = Pattern.compile("(\\d{1,2}):(\\d{2})-(\\d{1,2}):(\\d{2})");
  private static final Pattern DATE = Pattern.compile("(\\d{4})-(\\d{1,2})-(\\d{1,2})");
  private static final Pattern MONTH_DAY = Pattern.compile("(\\d{1,2})-(\\d{1,2})");
  private static final Pattern DAY_AND_TIMES = Pattern.compile("(\\S+)\\s+(\\d.*)");
  private static final Pattern EFFECTIVE =
      Pattern.compile("(\\S+)\\s+to\\s+(\\S+)", Pattern.CASE_INSENSITIVE);

  private OfficeHoursParser() {}

  static OfficeHours parse(Map<String, String> options) {
    ZoneId zone = zone(options, "_timezone");
    List<WeeklyHours> regular = new ArrayList<>();
    List<ExtraHours> extra = new ArrayList<>();
    List<CalendarDay> holidays = new ArrayList<>();
    List<DateRange> effective = new ArrayList<>();
    // Sorted so that the first malformed option reported is the same on every run.
    for (Map.Entry<String, String> option : new TreeMap<>(options).entrySet()) {
      String key = option.getKey();
      String value = option.getValue() == null ? "" : option.getValue().trim();
      if (value.isEmpty()) {
        continue;
      }
      if (REGULAR_KEY.matcher(key).matches()) {
        regular.addAll(regular(key, value));
      } else if (ADD_KEY.matcher(key).matches()) {
        extra.addAll(extra(key, value));
      } else if (HOLIDAY_KEY.matcher(key).matches()) {
        for (String item : value.split(",")) {
          holidays.add(day(key, value, item.trim(), HOLIDAY_EXPECTED));
        }
      } else if (EFFECTIVE_KEY.matcher(key).matches()) {
        effective.add(effective(key, value));
      }
    }
    return new OfficeHours(zone, regular, extra, holidays, effective);
  }

  /** The zone of {@code key}; UTC when absent or empty. */
  static ZoneId zone(Map<String, String> options, String key) {
    String value = options.get(key);
    if (value == null || value.isBlank()) {
      return ZoneOffset.UTC;
    }
    try {
      return ZoneId.of(value.trim());
    } catch (DateTimeException e) {
      throw new CalendarConfigException(
          key, value, "unknown time zone; expected a Java zone id such as Europe/Paris or America/Toronto");
    }
  }

  private static List<WeeklyHours> regular(String key, String value) {
    int firstDigit = firstDigit(value);
    if (firstDigit < 0) {
      throw new CalendarConfigException(key, value, "no hours; " + REGULAR_EXPECTED);
    }
    String dayPart = value.substring(0, firstDigit).replaceAll("\\s+", "");
    if (dayPart.isEmpty()) {
      throw new CalendarConfigException(key, value, "no days; " + REGULAR_EXPECTED);
    }
    Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
    for (String item : dayPart.split(",", -1)) {
      days.addAll(dayRange(key, value, item));
    }
    List<WeeklyHours> result = new ArrayList<>();
    for (DailyHours hours : ranges(key, value, value.substring(firstDigit), REGULAR_EXPECTED)) {
      result.add(new WeeklyHours(days, hours));
    }
    return result;
  }

  private static List<ExtraHours> extra(String key, String value) {
    Matcher matcher = DAY_AND_TIMES.matcher(value);
    if (!matcher.matches()) {
      throw new CalendarConfigException(key, value, "no date or no hours; " + ADD_EXPECTED);
    }
    CalendarDay day = day(key, value, matcher.group(1), ADD_EXPECTED);
    List<ExtraHours> result = new ArrayList<>();
    for (DailyHours hours : ranges(key, value, matcher.group(2), ADD_EXPECTED)) {
      result.add(new ExtraHours(day, hours));
    }
    return result;
  }

  private static DateRange effective(String key, String value) {
    Matcher range = EFFECTIVE.matcher(value);
    LocalDate first;
    LocalDate last;
    if (range.matches()) {
      first = date(key, value, range.group(1));
      last = date(key, value, range.group(2));
    } else {
      first = date(key, value, value);
      last = first;
    }
    if (last.isBefore(first)) {
      throw new CalendarConfigException(
          key, value, "the range ends before it starts; " + EFFECTIVE_EXPECTED);
    }
    return new DateRange(first, last);
  }

  private static LocalDate date(String key, String value, String text) {
    Matcher matcher = DATE.matcher(text);
    if (matcher.matches()) {
      try {
        return LocalDate.of(
            Integer.parseInt(matcher.group(1)),
            Integer.parseInt(matcher.group(2)),
            Integer.parseInt(matcher.group(3)));
      } catch (DateTimeException e) {
        throw new CalendarConfigException(
            key, value, "no such date \"" + text + "\"; " + EFFECTIVE_EXPECTED);
      }
    }
    throw new CalendarConfigException(key, value, "bad date \"" + text + "\"; " + EFFECTIVE_EXPECTED);
  }

  private static CalendarDay day(String key, String value, String text, String expected) {
    Matcher full = DATE.matcher(text);
    Matcher yearly = MONTH_DAY.matcher(text);
    try {
      if (full.matches()) {
        return CalendarDay.of(
            LocalDate.of(
                Integer.parseInt(full.group(1)),
                Integer.parseInt(full.group(2)),
                Integer.parseInt(full.group(3))));
      }
      if (yearly.matches()) {
        return CalendarDay.yearly(
            MonthDay.of(Integer.parseInt(yearly.group(1)), Integer.parseInt(yearly.group(2))));
      }
    } catch (DateTimeException e) {
      throw new CalendarConfigException(key, value, "no such date \"" + text + "\"; " + expected);
    }
    throw new CalendarConfigException(key, value, "bad date \"" + text + "\"; " + expected);
  }

  private static Set<DayOfWeek> dayRange(String key, String value, String item) {
    int dash = item.indexOf('-');
    if (dash < 0) {
      return EnumSet.of(dayOfWeek(key, value, item));
    }
    DayOfWeek first = dayOfWeek(key, value, item.substring(0, dash));
    DayOfWeek last = dayOfWeek(key, value, item.substring(dash + 1));
    Set<DayOfWeek> days = EnumSet.of(first);
    // Walks forward through the week, so Sat-Mon is Sat, Sun, Mon; Mon-Mon is Monday alone.
    for (DayOfWeek day = first; day != last; ) {
      day = day.plus(1);
      days.add(day);
    }
    return days;
  }

  private static DayOfWeek dayOfWeek(String key, String value, String text) {
    String name = text.toUpperCase(Locale.ROOT);
    for (DayOfWeek day : DayOfWeek.values()) {
      if (day.name().equals(name) || (name.length() == 3 && day.name().startsWith(name))) {
        return day;
      }
    }
    throw new CalendarConfigException(key, value, "unknown day \"" + text + "\"; " + REGULAR_EXPECTED);
  }

  private static List<DailyHours> ranges(String key, String value, String text, String expected) {
    List<DailyHours> result = new ArrayList<>();
    for (String item : text.replaceAll("\\s+", "").split(",", -1)) {
      Matcher matcher = RANGE.matcher(item);
      if (!matcher.matches()) {
        throw new CalendarConfigException(key, value, "bad hours \"" + item + "\"; " + expected);
      }
      int start = minute(key, value, matcher.group(1), matcher.group(2), false, expected);
      int end = minute(key, value, matcher.group(3), matcher.group(4), true, expected);
      if (start == end) {
        throw new CalendarConfigException(
            key, value, "empty range \"" + item + "\"; use 00:00-24:00 for a whole day");
      }
      result.add(new DailyHours(start, end));
    }
    return result;
  }

  private static int minute(
      String key, String value, String hourText, String minuteText, boolean end, String expected) {
    int hour = Integer.parseInt(hourText);
    int minute = Integer.parseInt(minuteText);
    boolean endOfDay = end && hour == 24 && minute == 0;
    if (!endOfDay && (hour > 23 || minute > 59)) {
      throw new CalendarConfigException(
          key,
          value,
          "no such time \""
              + hourText
              + ":"
              + minuteText
              + "\" (24:00 is only allowed as an end); "
              + expected);
    }
    return hour * 60 + minute;
  }

  private static int firstDigit(String value) {
    for (int i = 0; i < value.length(); i++) {
      if (Character.isDigit(value.charAt(i))) {
        return i;
      }
    }
    return -1;
  }
}
