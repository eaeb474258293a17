package org.opencallback.calendar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OfficeHoursParsingTest {

  private static OfficeHours regular(String value) {
    return OfficeHours.parse(Options.of("_bh_regular1", value));
  }

  private static Instant at(String iso) {
    return Instant.parse(iso);
  }

  @Test
  void timezone_defaults_to_utc_and_accepts_java_zone_ids() {
    assertThat(OfficeHours.parse(Map.of()).zone()).isEqualTo(ZoneOffset.UTC);
    assertThat(OfficeHours.parse(Options.of("_timezone", "")).zone()).isEqualTo(ZoneOffset.UTC);
    assertThat(OfficeHours.parse(Options.of("_timezone", " Europe/Paris ")).zone())
        .isEqualTo(ZoneId.of("Europe/Paris"));
  }

  @Test
  void no_hours_configured_means_always_closed() {
    OfficeHours hours = OfficeHours.parse(Map.of());
    assertThat(hours.openPeriods(at("2025-01-01T00:00:00Z"), at("2025-02-01T00:00:00Z"))).isEmpty();
  }

  @Test
  void unknown_keys_and_empty_values_are_ignored() {
    Map<String, String> options =
        Options.of(
            "_type", "builtin",
            "_service", "office-hours",
            "_ttl", "30",
            "_use_alternative1", "whatever",
            "_bh_regular1", "",
            "_bh_add1", "  ",
            "_holiday1", "",
            "_effective_dates1", "",
            "_bh_regular2", "Mon-Fri 9:00-17:00");
    options.put("_bh_regular3", null);
    OfficeHours hours = OfficeHours.parse(options);
    assertThat(hours.isOpen(at("2025-03-10T09:00:00Z"))).isTrue();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "Mon-Fri 9:00-17:00         | 2025-03-10T09:00:00Z | true",
        "Mon-Fri 09:00-17:00        | 2025-03-14T16:59:00Z | true",
        "Mon-Fri 9:00-17:00         | 2025-03-15T10:00:00Z | false",
        "mon-fri 9:00-17:00         | 2025-03-12T12:00:00Z | true",
        "Monday-Friday 9:00-17:00   | 2025-03-12T12:00:00Z | true",
        "Mon - Fri  9:00 - 17:00    | 2025-03-12T12:00:00Z | true",
        "Sat 10:00-12:00            | 2025-03-15T11:00:00Z | true",
        "Sat 10:00-12:00            | 2025-03-16T11:00:00Z | false",
        "Mon-Mon 01:00-24:00        | 2025-03-10T23:59:00Z | true",
        "Mon-Mon 01:00-24:00        | 2025-03-11T12:00:00Z | false",
        "'Mon,Wed 9:00-12:00,13:00-17:00' | 2025-03-12T13:30:00Z | true",
        "'Mon,Wed 9:00-12:00,13:00-17:00' | 2025-03-12T12:30:00Z | false",
        "'Mon,Wed 9:00-12:00,13:00-17:00' | 2025-03-11T10:00:00Z | false",
        "'Sat-Sun,Wed 10:00-11:00'  | 2025-03-12T10:30:00Z | true",
      })
  void regular_hours_formats(String value, String instant, boolean open) {
    assertThat(regular(value.trim()).isOpen(at(instant))).isEqualTo(open);
  }

  @Test
  void several_numbered_keys_add_up() {
    OfficeHours hours =
        OfficeHours.parse(
            Options.of("_bh_regular1", "Mon 9:00-10:00", "_bh_regular2", "Tue 9:00-10:00"));
    assertThat(hours.isOpen(at("2025-03-10T09:30:00Z"))).isTrue();
    assertThat(hours.isOpen(at("2025-03-11T09:30:00Z"))).isTrue();
    assertThat(hours.isOpen(at("2025-03-12T09:30:00Z"))).isFalse();
  }

  @Test
  void keys_without_number_are_accepted() {
    OfficeHours hours =
        OfficeHours.parse(
            Options.of("_bh_regular", "Mon 9:00-10:00", "_holiday", "2025-03-17"));
    assertThat(hours.isOpen(at("2025-03-10T09:30:00Z"))).isTrue();
    assertThat(hours.isOpen(at("2025-03-17T09:30:00Z"))).isFalse();
  }

  @Test
  void holiday_lists_and_the_bh_drop_alias_are_accepted() {
    OfficeHours hours =
        OfficeHours.parse(
            Options.of(
                "_bh_regular1", "Mon-Sun 00:00-24:00",
                "_holiday1", "2025-03-10, 12-25",
                "_bh_drop1", "2025-03-11"));
    assertThat(hours.isOpen(at("2025-03-10T12:00:00Z"))).isFalse();
    assertThat(hours.isOpen(at("2025-03-11T12:00:00Z"))).isFalse();
    assertThat(hours.isOpen(at("2030-12-25T12:00:00Z"))).isFalse();
    assertThat(hours.isOpen(at("2025-03-12T12:00:00Z"))).isTrue();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "_bh_regular1      | Mon-Fry 9:00-17:00     | unknown day \"Fry\"",
        "_bh_regular1      | Mon-Fri                | no hours",
        "_bh_regular1      | 9:00-17:00             | no days",
        "_bh_regular1      | Mon-Fri 9:00           | bad hours \"9:00\"",
        "_bh_regular1      | Mon-Fri 9-17           | bad hours \"9-17\"",
        "_bh_regular1      | Mon-Fri 25:00-26:00    | no such time \"25:00\"",
        "_bh_regular1      | Mon-Fri 9:60-17:00     | no such time \"9:60\"",
        "_bh_regular1      | Mon-Fri 24:00-7:00     | no such time \"24:00\"",
        "_bh_regular1      | Mon-Fri 24:30          | bad hours",
        "_bh_regular1      | Mon-Fri 9:00-9:00      | empty range",
        "_bh_regular1      | Mon-Fri 0:00-0:00      | empty range",
        "_bh_regular1      | 'Mon,,Fri 9:00-10:00'  | unknown day \"\"",
        "_bh_regular1      | 'Mon 9:00-10:00,'      | bad hours \"\"",
        "_bh_add1          | 2025-12-24             | no date or no hours",
        "_bh_add1          | 2025-02-30 9:00-10:00  | no such date \"2025-02-30\"",
        "_bh_add1          | 13-01 9:00-10:00       | no such date \"13-01\"",
        "_bh_add1          | Dec-24 9:00-10:00      | bad date \"Dec-24\"",
        "_bh_add1          | 2025-12-24 9:00        | bad hours",
        "_holiday1         | 2025-13-01             | no such date",
        "_holiday1         | 25/12/2025             | bad date",
        "_bh_drop2         | tomorrow               | bad date",
        "_effective_dates1 | 2025-03-10 to 2025-03-01 | ends before it starts",
        "_effective_dates1 | 2025-03-10 until 2025-04-01 | bad date",
        "_effective_dates1 | 2025-02-29             | no such date",
        "_timezone         | Mars/Olympus_Mons      | unknown time zone",
      })
  void malformed_options_name_option_value_and_expectation(
      String option, String value, String problem) {
    Map<String, String> options = new HashMap<>();
    options.put(option, value);
    assertThatThrownBy(() -> OfficeHours.parse(options))
        .isInstanceOfSatisfying(
            CalendarConfigException.class,
            e -> {
              assertThat(e.option()).isEqualTo(option);
              assertThat(e.value()).isEqualTo(value);
              assertThat(e.getMessage())
                  .contains(option)
                  .contains("\"" + value + "\"")
                  .contains(problem)
                  .containsAnyOf("expected", "use 00:00-24:00");
            });
  }

  @Test
  void config_exception_is_an_illegal_argument_exception() {
    assertThat(new CalendarConfigException("_x", "y", "z"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Option _x=\"y\" is invalid: z");
  }
}
