package org.opencallback.calendar.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.opencallback.calendar.http.Cal.NOW;
import static org.opencallback.calendar.http.Cal.assertError;
import static org.opencallback.calendar.http.Cal.body;
import static org.opencallback.calendar.http.Cal.booked;
import static org.opencallback.calendar.http.Cal.iso;
import static org.opencallback.calendar.http.Cal.path;
import static org.opencallback.calendar.http.Cal.schedule;
import static org.opencallback.calendar.http.Cal.slots;
import static org.opencallback.calendar.http.Cal.together;
import static org.opencallback.calendar.http.Cal.v2;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.opencallback.testing.MutableClock;
import org.opencallback.testing.TestServer;
import org.opencallback.testing.TestServer.Response;

/**
 * The last free places of a bucket go to exactly as many racing requests (issue 4 item 6): 20
 * threads at once for a bucket with 1 or 3 places, a few rounds each, on start and on reschedule.
 */
class LastPlaceRaceTest {
  static final int THREADS = 20;
  static final String CONFIG = String.join("\n",
      "service.One:",
      "  _type: ors",
      "  _business_hours_service: utc-hours",
      "  _request_time_bucket: 5",
      "  _max_request_by_time_bucket: 1",
      "service.Three:",
      "  _type: ors",
      "  _business_hours_service: utc-hours",
      "  _request_time_bucket: 5",
      "  _max_request_by_time_bucket: 3",
      "service.utc-hours:",
      "  _type: builtin",
      "  _service: office-hours",
      "  _timezone: UTC",
      "  _bh_regular1: Mon-Fri 9:00-17:00",
      "engine:",
      "  agents: 0",
      "");

  static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start(CONFIG, new MutableClock(NOW));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static Map<String, Object> bucket(String service, Instant start) {
    Map<String, Object> body = v2(server, service,
        "start=" + iso(start) + "&end=" + iso(start.plusSeconds(300)) + "&report-busy=true");
    assertThat(slots(body)).hasSize(1);
    return slots(body).get(0);
  }

  private static void assertOnly(List<Response> responses, int places, String from, String to) {
    List<Response> accepted = responses.stream().filter(r -> r.status() == 200).toList();
    assertThat(accepted).as("accepted").hasSize(places);
    for (Response refused : responses.stream().filter(r -> r.status() != 200).toList()) {
      Map<String, Object> body = assertError(refused, 400, 40051, "availability");
      assertThat(body.get("message"))
          .isEqualTo("Too many requests at desired time [" + from + ", " + to + "]. Proposing time slots.");
    }
  }

  @ParameterizedTest(name = "{0}: {1} place(s), round {2}")
  @CsvSource({"One, 1, 0", "One, 1, 1", "One, 1, 2", "One, 1, 3", "Three, 3, 0", "Three, 3, 1", "Three, 3, 2"})
  void racingStartsForTheLastPlaces(String service, int places, int round) throws Exception {
    Instant bucket = Instant.parse("2030-01-08T10:00:00Z").plusSeconds(600L * round);
    List<Callable<Response>> tasks = new ArrayList<>();
    for (int i = 0; i < THREADS; i++) {
      Instant desired = bucket.plusSeconds(i % 5 * 60L);
      tasks.add(() -> schedule(server, service, desired));
    }
    assertOnly(together(tasks), places, iso(bucket), iso(bucket.plusSeconds(300)));
    Map<String, Object> slot = bucket(service, bucket);
    assertThat(slot.get("capacity")).isEqualTo(0);
    assertThat(slot.get("total")).isEqualTo(places);
  }

  @ParameterizedTest(name = "round {0}")
  @CsvSource({"0", "1", "2"})
  void racingReschedulesForTheLastPlace(int round) throws Exception {
    // twenty callbacks, each alone in its own bucket of One, race to the same free bucket
    Instant day = Instant.parse("2030-01-09T00:00:00Z").plusSeconds(86_400L * round);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < THREADS; i++) {
      ids.add(booked(server, "One", day.plusSeconds(9 * 3600L + 300L * i)));
    }
    Instant target = day.plusSeconds(15 * 3600L);
    List<Callable<Response>> tasks = new ArrayList<>();
    for (String id : ids) {
      tasks.add(() -> server.putJson(path("One", id), body("_new_desired_time", iso(target.plusSeconds(60)))));
    }
    List<Response> responses = together(tasks);
    assertOnly(responses, 1, iso(target), iso(target.plusSeconds(300)));
    assertThat(bucket("One", target).get("capacity")).isEqualTo(0);
    // the winner's old bucket is free again, every loser still holds its own
    int winner = responses.indexOf(responses.stream().filter(r -> r.status() == 200).findFirst().orElseThrow());
    for (int i = 0; i < THREADS; i++) {
      Map<String, Object> slot = bucket("One", day.plusSeconds(9 * 3600L + 300L * i));
      assertThat(slot.get("capacity")).as("bucket " + i).isEqualTo(i == winner ? 1 : 0);
    }
  }
}
