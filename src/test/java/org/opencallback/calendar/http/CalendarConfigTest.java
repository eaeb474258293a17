package org.opencallback.calendar.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.opencallback.calendar.http.Cal.NOW;
import static org.opencallback.calendar.http.Cal.assertError;
import static org.opencallback.calendar.http.Cal.booked;
import static org.opencallback.calendar.http.Cal.schedule;
import static org.opencallback.calendar.http.Cal.v1;

import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.opencallback.config.ConfigWatcher;
import org.opencallback.testing.LogLines;
import org.opencallback.testing.MutableClock;
import org.opencallback.testing.TestServer;

/**
 * A malformed office-hours or capacity option refuses the configuration: at start the server does
 * not start (the message names the section and the option); on hot reload the configuration in
 * force stays (docs/calendars.md §1-§2, docs/configuration.md "Changes take effect immediately").
 */
class CalendarConfigTest {
  static String config(String hoursOption, String capacityOption, String capacitySection) {
    return String.join("\n",
        "service.Booked:",
        "  _type: ors",
        "  _business_hours_service: hours",
        "  _capacity_service: cap",
        "  _request_time_bucket: 60",
        "service.hours:",
        "  _type: builtin",
        "  _service: office-hours",
        "  _timezone: UTC",
        "  " + hoursOption,
        "service.cap:",
        "  _type: builtin",
        "  _service: capacity",
        "  _timezone: UTC",
        "  " + capacityOption,
        capacitySection,
        "engine:",
        "  agents: 0",
        "");
  }

  static final String GOOD_HOURS = "_bh_regular1: Mon-Fri 9:00-17:00";
  static final String GOOD_CAPACITY =
      "_capacity_2: '{\"2\":{\"0900\":5,\"1000\":5,\"1100\":5,\"1200\":5,\"1300\":5,\"1400\":5,\"1500\":5,\"1600\":5}}'";

  private static void assertRefusedAtStart(String yaml, String... mentions) {
    assertThatThrownBy(() -> TestServer.start(yaml, new MutableClock(NOW)).close())
        .isInstanceOf(IllegalStateException.class)
        .satisfies(e -> assertThat(e.getMessage()).contains(mentions));
  }

  @Test
  void anInvalidOfficeHoursOptionStopsTheStart() {
    assertRefusedAtStart(config("_bh_regular1: Mon-Fry 9:00-17:00", GOOD_CAPACITY, ""),
        "service.hours", "_bh_regular1", "Mon-Fry 9:00-17:00", "Fry");
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource(delimiter = '|', value = {
      "_timezone|Mars/Olympus_Mons",
      "_bh_regular1|Mon-Fri 9:00",
      "_bh_regular2|Mon-Fri 9:00-9:00",
      "_bh_regular3|Mon-Fri 9:00-25:00",
      "_bh_add1|2030-02-30 9:00-12:00",
      "_bh_add1|2030-01-09 nine-noon",
      "_holiday1|2030-13-01",
      "_bh_drop1|someday",
      "_effective_dates1|2030-01-10 to soon"})
  void everyMalformedOfficeHoursOptionStopsTheStart(String option, String value) {
    String extra = option.equals("_bh_regular1") ? "" : GOOD_HOURS + "\n  ";
    assertRefusedAtStart(config(extra + option + ": '" + value + "'", GOOD_CAPACITY, ""), "service.hours", option);
  }

  @Test
  void aCapacityAboveTheDefaultMaxCapacityOf1000StopsTheStart() {
    assertRefusedAtStart(config(GOOD_HOURS, "_capacity_2: '{\"2\":{\"0900\":1001}}'", ""),
        "service.cap", "_capacity_2", "_max_capacity", "1000");
  }

  @Test
  void aCapacityAboveAConfiguredMaxCapacityStopsTheStartAndOneAtItIsAccepted() {
    String max = "capacity:\n  _max_capacity: 10";
    assertRefusedAtStart(config(GOOD_HOURS, "_capacity_2: '{\"2\":{\"0900\":11}}'", max),
        "service.cap", "_capacity_2", "_max_capacity", "10");
    try (TestServer server = TestServer.start(config(GOOD_HOURS, "_capacity_2: '{\"2\":{\"0900\":10}}'", max),
        new MutableClock(NOW))) {
      assertThat(v1(server, "Booked", "start=2030-01-08T00:00:00.000Z"))
          .containsExactly(Map.entry("2030-01-08T09:00:00.000Z", 10));
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "_capacity_2: 'not json'|_capacity_2",
      "_capacity_2: '{\"2\":{\"0930\":5}}'|_capacity_2",
      "_capacity_2: '{\"2\":{\"0900\":-1}}'|_capacity_2",
      "_capacity: '[Mon, Mon, Tue, Wed, Thu, Fri, Sat]'|_capacity",
      "_capacity_add: '{\"2030-02-30\":{\"0900\":1}}'|_capacity_add"})
  void everyMalformedCapacityOptionStopsTheStart(String line, String option) {
    assertRefusedAtStart(config(GOOD_HOURS, line, ""), "service.cap", option);
  }

  @Test
  void onHotReloadAnInvalidCalendarLeavesTheConfigurationInForce() throws Exception {
    try (TestServer server = TestServer.start(config(GOOD_HOURS, GOOD_CAPACITY, ""), new MutableClock(NOW));
        LogLines watcher = new LogLines(ConfigWatcher.class)) {
      assertThat(v1(server, "Booked", "start=2030-01-08T00:00:00.000Z")).hasSize(8);

      // a valid change is applied: mornings only, 3 places
      String mornings = config("_bh_regular1: Mon-Fri 9:00-12:00",
          "_capacity_2: '{\"2\":{\"0900\":3,\"1000\":3,\"1100\":3,\"1200\":3}}'", "");
      Files.writeString(server.configFile(), mornings);
      Awaitility.await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
          assertThat(v1(server, "Booked", "start=2030-01-08T00:00:00.000Z")).containsExactly(
              Map.entry("2030-01-08T09:00:00.000Z", 3), Map.entry("2030-01-08T10:00:00.000Z", 3),
              Map.entry("2030-01-08T11:00:00.000Z", 3)));

      // invalid office hours: refused, mornings stay
      Files.writeString(server.configFile(), config("_bh_regular1: Mon-Fry 9:00-17:00", GOOD_CAPACITY, ""));
      awaitRefused(watcher, "_bh_regular1");
      assertMorningsInForce(server);

      // capacity above _max_capacity: refused, mornings stay
      Files.writeString(server.configFile(), config(GOOD_HOURS, "_capacity_2: '{\"2\":{\"0900\":5000}}'", ""));
      awaitRefused(watcher, "_capacity_2");
      assertMorningsInForce(server);
    }
  }

  /** The watcher read the change and refused it, naming the option (instead of sleeping for a while). */
  private static void awaitRefused(LogLines watcher, String option) {
    Awaitility.await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100)).until(() ->
        watcher.lines().stream().anyMatch(line -> line.startsWith("ERROR Configuration change refused")
            && line.contains(option)));
  }

  private static void assertMorningsInForce(TestServer server) {
    assertThat(v1(server, "Booked", "start=2030-01-08T00:00:00.000Z")).hasSize(3).containsKey("2030-01-08T11:00:00.000Z");
    Map<String, Object> hours = server.get("/genesys/1/service/hours?start=2030-01-08T00:00:00.000Z&number-of-days=1").map();
    assertThat(hours.get("periods")).isEqualTo(List.of(
        Map.of("date", "2030-01-08", "start", "2030-01-08T09:00:00.000Z", "end", "2030-01-08T12:00:00.000Z")));
    assertError(schedule(server, "Booked", Instant.parse("2030-01-08T13:00:00Z")), 400, 40050, "availability");
    booked(server, "Booked", Instant.parse("2030-01-08T11:30:00Z"));
  }
}
