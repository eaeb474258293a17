package org.opencallback.calendar;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.zone.ZoneOffsetTransition;

/**
 * The one rule by which configured wall-clock times become instants: a local date-time maps to
 * the <em>first instant at which the zone's clock shows that time or later</em>.
 *
 * <ul>
 *   <li>Normal times map as usual.
 *   <li>A time skipped by a spring-forward gap (02:30 in New York on the second Sunday of March)
 *       maps to the instant of the jump (03:00 EDT). {@link ZonedDateTime#of} would instead push
 *       it later by the gap length (03:30 EDT), which would make two different local times map
 *       to the same instant and shift closing times.
 *   <li>A time repeated by a fall-back overlap maps to its first occurrence (the earlier offset,
 *       as {@link ZonedDateTime#withEarlierOffsetAtOverlap()}).
 * </ul>
 */
final class LocalTimes {
  private LocalTimes() {}

  static Instant toInstant(LocalDateTime local, ZoneId zone) {
    ZoneOffsetTransition transition = zone.getRules().getTransition(local);
    if (transition != null && transition.isGap()) {
      return transition.getInstant();
    }
    return ZonedDateTime.of(local, zone).withEarlierOffsetAtOverlap().toInstant();
  }

  /** The instant the local date starts (normally its midnight). */
  static Instant startOfDay(LocalDate date, ZoneId zone) {
    return toInstant(date.atStartOfDay(), zone);
  }

  static LocalDate localDate(Instant instant, ZoneId zone) {
    return LocalDate.ofInstant(instant, zone);
  }
}
