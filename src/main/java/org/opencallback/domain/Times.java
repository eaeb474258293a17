package org.opencallback.domain;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/** The API's time format: ISO-8601 UTC with milliseconds, {@code yyyy-MM-ddTHH:mm:ss.SSSZ}. */
public final class Times {
  private static final DateTimeFormatter FORMAT =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  /** Times outside [1970, 10000) are refused: they cannot be meant and do not fit the store. */
  static final Instant EARLIEST = Instant.EPOCH;
  static final Instant LATEST = Instant.parse("+10000-01-01T00:00:00Z");

  private Times() {}

  public static String format(Instant instant) {
    return FORMAT.format(instant.truncatedTo(ChronoUnit.MILLIS));
  }

  /**
   * Parses an ISO-8601 instant: {@code 2026-01-02T10:00:00.000Z}, without millis, or with an offset
   * such as {@code +01:00}. Empty when the text is not one.
   */
  public static Optional<Instant> parse(String text) {
    return parseAny(text).filter(t -> !t.isBefore(EARLIEST) && t.isBefore(LATEST));
  }

  private static Optional<Instant> parseAny(String text) {
    if (text == null || text.isBlank()) {
      return Optional.empty();
    }
    String trimmed = text.trim();
    try {
      return Optional.of(OffsetDateTime.parse(trimmed).toInstant().truncatedTo(ChronoUnit.MILLIS));
    } catch (DateTimeParseException e) {
      try {
        return Optional.of(Instant.parse(trimmed).truncatedTo(ChronoUnit.MILLIS));
      } catch (DateTimeParseException again) {
        return Optional.empty();
      }
    }
  }
}
