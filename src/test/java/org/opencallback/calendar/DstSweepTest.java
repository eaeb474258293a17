package org.opencallback.calendar;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A fixed sweep of {@link BruteForce} checks over zones with unusual offset changes (half-hour
 * DST, changes at midnight or at 00:01, a skipped day), two changes each, independent of random
 * generation.
 */
class DstSweepTest {
  private static final List<String> ZONES =
      List.of(
          "America/New_York", "Europe/Paris", "Australia/Lord_Howe", "America/Sao_Paulo",
          "Pacific/Apia", "Pacific/Chatham", "America/Goose_Bay", "Africa/Casablanca",
          "Asia/Tehran", "America/St_Johns", "America/Santiago", "Asia/Kolkata");

  private static final List<List<Scenario.Rule>> SCHEDULES =
      List.of(
          List.of(new Scenario.Rule(DayOfWeek.MONDAY, 6, 0, 1440)),
          List.of(
              new Scenario.Rule(DayOfWeek.SATURDAY, 2, 90, 150),
              new Scenario.Rule(DayOfWeek.MONDAY, 6, 1380, 60),
              new Scenario.Rule(DayOfWeek.FRIDAY, 3, 0, 30)));

  static Stream<Scenario> scenarios() {
    List<Scenario> scenarios = new ArrayList<>();
    for (String id : ZONES) {
      ZoneId zone = ZoneId.of(id);
      // Transitions after these days: around 1987/88 (Goose Bay at 00:01), 2011 (Apia), 2017.
      for (LocalDate base : List.of(LocalDate.of(1987, 9, 1), LocalDate.of(2011, 12, 1), LocalDate.of(2017, 3, 1))) {
        int day = (int) ChronoUnit.DAYS.between(LocalDate.of(1985, 1, 1), base);
        for (int size : List.of(5, 60, 120)) {
          for (List<Scenario.Rule> rules : SCHEDULES) {
            scenarios.add(
                Scenario.of(
                    zone, day, true, 20 * 60 + size, rules, Optional.of(1),
                    Optional.of(new Scenario.Add(1, 60, 120)), Optional.empty(), false, size));
          }
        }
      }
    }
    return scenarios.stream();
  }

  @ParameterizedTest
  @MethodSource("scenarios")
  void office_hours_and_slots_match_the_reference_around_offset_changes(Scenario scenario) {
    new BruteForce(scenario).check();
  }
}
