package org.opencallback.calendar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CapacityPlanTest {

  /** The configuration from GMS's Capacity API page. */
  private static final Map<String, String> GMS_EXAMPLE =
      Options.of(
          "_type", "builtin",
          "_service", "capacity",
          "_timezone", "UTC",
          "_capacity", "[Mon, Tue, Wed, Thu, Fri, Sat, Sun]",
          "_capacity_1", "{\"1\":{\"0000\":1,\"0100\":3}}",
          "_capacity_2", "{\"2\":{\"0100\":3}}",
          "_capacity_3",
              "{\"3\":{\"1000\":6,\"1100\":6,\"1200\":6,\"1300\":6,\"1400\":6,\"1500\":6,\"1600\":6,"
                  + "\"1700\":6,\"1800\":6,\"1900\":6,\"2000\":6,\"2100\":6,\"2200\":6,\"2300\":6,"
                  + "\"0000\":6,\"0100\":6,\"0200\":6,\"0300\":6,\"0400\":6,\"0500\":6,\"0600\":6,"
                  + "\"0700\":6,\"0800\":6,\"0900\":6}}",
          "_capacity_4", "{\"4\":{\"1100\":3,\"0100\":3}}",
          "_capacity_5", "{\"5\":{\"0100\":3}}",
          "_capacity_6", "{\"6\":{\"0100\":3}}",
          "_capacity_7", "{\"7\":{\"0000\":1,\"0100\":3}}",
          "_capacity_add", "{}");

  private static Instant at(String iso) {
    return Instant.parse(iso);
  }

  @Test
  void the_gms_example_gives_capacity_per_hour_of_each_day() {
    CapacityPlan plan = CapacityPlan.parse(GMS_EXAMPLE, 1000);
    assertThat(plan.zone()).isEqualTo(ZoneId.of("UTC"));
    assertThat(plan.maxCapacity()).isEqualTo(1000);
    // 2025-03-10 is a Monday.
    assertThat(plan.capacityAt(at("2025-03-10T00:00:00Z"))).isEqualTo(1);
    assertThat(plan.capacityAt(at("2025-03-10T00:55:00Z"))).isEqualTo(1);
    assertThat(plan.capacityAt(at("2025-03-10T01:30:00Z"))).isEqualTo(3);
    assertThat(plan.capacityAt(at("2025-03-10T02:00:00Z"))).isZero();
    assertThat(plan.capacityAt(at("2025-03-11T00:00:00Z"))).isZero();
    assertThat(plan.capacityAt(at("2025-03-12T17:45:00Z"))).isEqualTo(6);
    assertThat(plan.capacityAt(at("2025-03-13T11:05:00Z"))).isEqualTo(3);
    assertThat(plan.capacityAt(at("2025-03-16T00:10:00Z"))).isEqualTo(1);
  }

  @Test
  void nothing_configured_means_no_capacity() {
    CapacityPlan plan = CapacityPlan.parse(Map.of(), 1000);
    assertThat(plan.capacityAt(at("2025-03-10T10:00:00Z"))).isZero();
  }

  @Test
  void the_capacity_list_sets_which_day_each_index_is() {
    CapacityPlan plan =
        CapacityPlan.parse(
            Options.of(
                "_capacity", "[Sun, Mon, Tue, Wed, Thu, Fri, Sat]",
                "_capacity_1", "{\"1\":{\"0900\":4}}"),
            1000);
    assertThat(plan.capacityAt(at("2025-03-16T09:00:00Z"))).isEqualTo(4); // Sunday
    assertThat(plan.capacityAt(at("2025-03-10T09:00:00Z"))).isZero(); // Monday
  }

  @Test
  void an_hour_map_may_be_given_without_the_day_index() {
    CapacityPlan plan =
        CapacityPlan.parse(Options.of("_capacity_2", "{\"0900\":4,\"10:00\":\"5\"}"), 1000);
    assertThat(plan.capacityAt(at("2025-03-11T09:30:00Z"))).isEqualTo(4);
    assertThat(plan.capacityAt(at("2025-03-11T10:30:00Z"))).isEqualTo(5);
  }

  @Test
  void hours_are_read_in_the_plan_zone() {
    CapacityPlan plan =
        CapacityPlan.parse(
            Options.of("_timezone", "Europe/Paris", "_capacity_1", "{\"1\":{\"0900\":4}}"), 1000);
    assertThat(plan.capacityAt(at("2025-03-10T08:00:00Z"))).isEqualTo(4);
    assertThat(plan.capacityAt(at("2025-03-10T09:00:00Z"))).isZero();
    assertThat(plan.capacityAt(at("2025-07-14T07:00:00Z"))).isEqualTo(4);
  }

  @Test
  void a_date_exception_replaces_its_week_day_map() {
    Map<String, String> options =
        Options.of(
            "_capacity_3", "{\"3\":{\"0900\":6,\"1000\":6,\"1100\":6}}",
            "_capacity_add", "{\"2025-12-24\":{\"0900\":2,\"1000\":0}, \"12-31\":{\"1100\":9}}");
    CapacityPlan plan = CapacityPlan.parse(options, 1000);
    assertThat(plan.capacityAt(at("2025-12-24T09:00:00Z"))).isEqualTo(2);
    assertThat(plan.capacityAt(at("2025-12-24T10:00:00Z"))).isZero();
    assertThat(plan.capacityAt(at("2025-12-24T11:00:00Z"))).isZero();
    assertThat(plan.capacityAt(at("2025-12-17T11:00:00Z"))).isEqualTo(6);
    assertThat(plan.capacityAt(at("2025-12-31T11:00:00Z"))).isEqualTo(9);
    assertThat(plan.capacityAt(at("2025-12-31T09:00:00Z"))).isZero();
    assertThat(plan.capacityAt(at("2031-12-31T11:00:00Z"))).isEqualTo(9);
  }

  @Test
  void a_dated_exception_wins_over_a_yearly_one() {
    CapacityPlan plan =
        CapacityPlan.parse(
            Options.of(
                "_capacity_add",
                "[{\"12-24\":{\"0900\":1}}, {\"2025-12-24\":{\"0900\":2}}]"),
            1000);
    assertThat(plan.capacityAt(at("2025-12-24T09:00:00Z"))).isEqualTo(2);
    assertThat(plan.capacityAt(at("2026-12-24T09:00:00Z"))).isEqualTo(1);
  }

  @Test
  void empty_exceptions_are_accepted_in_every_gms_spelling() {
    for (String empty : List.of("", "{}", "[]", " [ ] ")) {
      assertThat(CapacityPlan.parse(Options.of("_capacity_add", empty), 10).capacityAt(at("2025-03-10T10:00:00Z")))
          .isZero();
    }
  }

  @Test
  void the_maximum_itself_is_allowed() {
    CapacityPlan plan = CapacityPlan.parse(Options.of("_capacity_1", "{\"1\":{\"0900\":1000}}"), 1000);
    assertThat(plan.capacityAt(at("2025-03-10T09:00:00Z"))).isEqualTo(1000);
  }

  @Test
  void a_value_above_the_maximum_is_refused_like_gms_capacity_exception() {
    assertThatThrownBy(
            () -> CapacityPlan.parse(Options.of("_capacity_3", "{\"3\":{\"0900\":1001}}"), 1000))
        .isInstanceOfSatisfying(
            CalendarConfigException.class,
            e -> {
              assertThat(e.option()).isEqualTo("_capacity_3");
              assertThat(e.getMessage())
                  .contains("1001")
                  .contains("0900")
                  .contains("above _max_capacity 1000")
                  .contains("CapacityException");
            });
    assertThatThrownBy(
            () -> CapacityPlan.parse(Options.of("_capacity_add", "{\"2025-12-24\":{\"0900\":51}}"), 50))
        .isInstanceOf(CalendarConfigException.class)
        .hasMessageContaining("above _max_capacity 50");
  }

  @Test
  void the_maximum_must_be_positive() {
    assertThatThrownBy(() -> CapacityPlan.parse(Map.of(), 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "_capacity     | '[Mon, Tue, Wed, Thu, Fri, Sat, Sunday, Xyz]' | unknown day \"Xyz\"",
        "_capacity     | '[Mon, Tue, Mon]'         | listed twice",
        "_timezone     | Nowhere/Land              | unknown time zone",
        "_capacity_1   | '{\"1\":{\"0900\":1'      | not valid JSON",
        "_capacity_1   | '{\"1\":{\"0900\":1,\"0900\":2}}' | not valid JSON",
        "_capacity_1   | '[1,2]'                   | not a JSON object",
        "_capacity_1   | '{\"1\":[1,2]}'           | hours must be a JSON object",
        "_capacity_1   | '{\"1\":{\"0930\":1}}'    | bad hour slot \"0930\"",
        "_capacity_1   | '{\"1\":{\"2400\":1}}'    | bad hour slot \"2400\"",
        "_capacity_1   | '{\"1\":{\"nine\":1}}'    | bad hour slot \"nine\"",
        "_capacity_1   | '{\"1\":{\"0900\":-1}}'   | is negative",
        "_capacity_1   | '{\"1\":{\"0900\":1.5}}'  | not a whole number",
        "_capacity_1   | '{\"1\":{\"0900\":\"x\"}}' | not a whole number",
        "_capacity_1   | '{\"1\":{\"0900\":true}}' | not a whole number",
        "_capacity_1   | '{\"8\":{\"0900\":1}}'    | day index 8 is outside",
        "_capacity_1   | '{\"0\":{\"0900\":1}}'    | day index 0 is outside",
        "_capacity_add | '{\"2025-02-30\":{\"0900\":1}}' | no such date \"2025-02-30\"",
        "_capacity_add | '{\"Christmas\":{\"0900\":1}}'  | bad date \"Christmas\"",
        "_capacity_add | '[1]'                     | not a JSON object",
      })
  void malformed_capacity_options_name_option_value_and_problem(
      String option, String value, String problem) {
    assertThatThrownBy(() -> CapacityPlan.parse(Options.of(option, value), 1000))
        .isInstanceOfSatisfying(
            CalendarConfigException.class,
            e -> {
              assertThat(e.option()).isEqualTo(option);
              assertThat(e.value()).isEqualTo(value);
              assertThat(e.getMessage()).contains(option).contains(value).contains(problem);
            });
  }

  @Test
  void a_day_defined_twice_is_refused() {
    assertThatThrownBy(
            () ->
                CapacityPlan.parse(
                    Options.of(
                        "_capacity_1", "{\"1\":{\"0900\":1}}",
                        "_capacity_2", "{\"1\":{\"0900\":2}}"),
                    1000))
        .isInstanceOf(CalendarConfigException.class)
        .hasMessageContaining("defined twice");
  }

  @Test
  void a_short_capacity_list_limits_the_day_indexes() {
    assertThatThrownBy(
            () ->
                CapacityPlan.parse(
                    Options.of("_capacity", "[Mon, Tue]", "_capacity_3", "{\"3\":{\"0900\":1}}"),
                    1000))
        .isInstanceOf(CalendarConfigException.class)
        .hasMessageContaining("outside 1…2");
  }

  @Test
  void describe_lists_periods_with_capacity_joined_and_clipped() {
    CapacityPlan plan = CapacityPlan.parse(GMS_EXAMPLE, 1000);
    Map<String, Object> body =
        plan.describe(
            LocalDateTime.parse("2025-03-13T00:15:00"),
            LocalDateTime.parse("2025-03-13T12:45:00"),
            ZoneOffset.UTC);
    assertThat(body)
        .containsEntry("timezone", "Z")
        .containsEntry("start", "2025-03-13T00:15:00.000")
        .containsEntry("end", "2025-03-13T12:45:00.000");
    assertThat(body.get("periods"))
        .isEqualTo(
            List.of(
                Map.of(
                    "start", "2025-03-13T01:00:00.000",
                    "end", "2025-03-13T02:00:00.000",
                    "utcStart", "2025-03-13T01:00:00.000Z",
                    "utcEnd", "2025-03-13T02:00:00.000Z",
                    "capacity", 3),
                Map.of(
                    "start", "2025-03-13T11:00:00.000",
                    "end", "2025-03-13T12:00:00.000",
                    "utcStart", "2025-03-13T11:00:00.000Z",
                    "utcEnd", "2025-03-13T12:00:00.000Z",
                    "capacity", 3)));
  }

  @Test
  void describe_joins_equal_hours_and_writes_local_times_of_the_requested_zone() {
    CapacityPlan plan = CapacityPlan.parse(GMS_EXAMPLE, 1000);
    Map<String, Object> body =
        plan.describe(
            LocalDateTime.parse("2025-03-12T10:15:00"),
            LocalDateTime.parse("2025-03-12T13:45:00"),
            ZoneId.of("Europe/Paris"));
    assertThat(body.get("periods"))
        .isEqualTo(
            List.of(
                Map.of(
                    "start", "2025-03-12T10:15:00.000",
                    "end", "2025-03-12T13:45:00.000",
                    "utcStart", "2025-03-12T09:15:00.000Z",
                    "utcEnd", "2025-03-12T12:45:00.000Z",
                    "capacity", 6)));
  }

  @Test
  void describe_in_the_repeated_autumn_hour() {
    CapacityPlan plan =
        CapacityPlan.parse(
            Options.of("_timezone", "America/New_York", "_capacity_7", "{\"7\":{\"0100\":4}}"),
            1000);
    Map<String, Object> body =
        plan.describe(
            LocalDateTime.parse("2025-11-02T00:00:00"),
            LocalDateTime.parse("2025-11-02T03:00:00"),
            ZoneId.of("America/New_York"));
    // The 01:00 hour happens twice; both occurrences have its capacity.
    assertThat(body.get("periods"))
        .isEqualTo(
            List.of(
                Map.of(
                    "start", "2025-11-02T01:00:00.000",
                    "end", "2025-11-02T02:00:00.000",
                    "utcStart", "2025-11-02T05:00:00.000Z",
                    "utcEnd", "2025-11-02T07:00:00.000Z",
                    "capacity", 4)));
    assertThat(plan.capacityAt(at("2025-11-02T06:30:00Z"))).isEqualTo(4);
  }

  @Test
  void describe_refuses_an_end_before_the_start() {
    CapacityPlan plan = CapacityPlan.parse(GMS_EXAMPLE, 1000);
    assertThatThrownBy(
            () ->
                plan.describe(
                    LocalDateTime.parse("2025-03-12T10:00:00"),
                    LocalDateTime.parse("2025-03-12T09:00:00"),
                    ZoneOffset.UTC))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
