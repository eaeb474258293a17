package org.opencallback.calendar;

import java.util.Arrays;

/** Capacity per bucket for each local hour 0…23 of a day (hours not configured have 0). */
final class HourlyCapacity {
  static final HourlyCapacity NONE = new HourlyCapacity(new int[24]);

  private final int[] perHour;

  HourlyCapacity(int[] perHour) {
    if (perHour.length != 24) {
      throw new IllegalArgumentException("24 hours expected");
    }
    this.perHour = perHour.clone();
  }

  int at(int hour) {
    return perHour[hour];
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof HourlyCapacity hourly && Arrays.equals(hourly.perHour, perHour);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(perHour);
  }

  @Override
  public String toString() {
    return Arrays.toString(perHour);
  }
}
