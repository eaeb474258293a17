package org.opencallback.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;

/**
 * Dispatch rate of a running cluster (bench/cluster-scale.sh). The service's SCHEDULED callbacks
 * (seeded due far ahead, outside the nodes' 10-minute horizon) are made due all at once, {@code lead}
 * seconds from now (one UPDATE of {@code due_time}; desired times and bookings stay); the nodes'
 * loaders read them within 2 s. Then the database is polled every 100 ms until none is SCHEDULED.
 * Arguments: JDBC URL, service, lead seconds, timeout seconds. Prints {@code RESULT dispatched=N
 * left=L seconds=S rate=R}: how many left SCHEDULED, the time from their due time to the last one
 * leaving, and N / S.
 */
public final class WatchDispatch {
  private WatchDispatch() {}

  public static void main(String[] args) throws Exception {
    String url = args[0];
    String service = args[1];
    long lead = Long.parseLong(args[2]) * 1000;
    long timeout = Long.parseLong(args[3]) * 1000;
    try (Connection connection = DriverManager.getConnection(url);
        PreparedStatement makeDue = connection.prepareStatement(
            "UPDATE callback SET due_time = ? WHERE service = ? AND state = 'SCHEDULED'");
        PreparedStatement scheduled = connection.prepareStatement(
            "SELECT COUNT(*) FROM callback WHERE service = ? AND state = 'SCHEDULED'")) {
      long due = System.currentTimeMillis() + lead;
      makeDue.setLong(1, due);
      makeDue.setString(2, service);
      int initial = makeDue.executeUpdate();
      System.out.printf("%d SCHEDULED callbacks of %s made due in %.1f s%n", initial, service,
          (due - System.currentTimeMillis()) / 1000.0);
      scheduled.setString(1, service);
      while (System.currentTimeMillis() < due) {
        Thread.sleep(20); // a moment on the wall clock, not a state
      }
      long left = initial;
      long lastReport = due;
      while (left > 0 && System.currentTimeMillis() - due < timeout) {
        Thread.sleep(100);
        left = count(scheduled);
        if (System.currentTimeMillis() - lastReport >= 5000) {
          lastReport = System.currentTimeMillis();
          System.out.printf("  %.1f s after due: %d still SCHEDULED%n", (lastReport - due) / 1000.0, left);
        }
      }
      double seconds = (System.currentTimeMillis() - due) / 1000.0;
      long dispatched = initial - left;
      System.out.printf("RESULT dispatched=%d left=%d seconds=%.1f rate=%.0f%n", dispatched, left, seconds,
          dispatched / Math.max(seconds, 0.001));
    }
  }

  private static long count(PreparedStatement statement) throws Exception {
    try (ResultSet rs = statement.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
