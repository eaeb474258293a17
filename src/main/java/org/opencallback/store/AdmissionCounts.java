package org.opencallback.store;

import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.opencallback.domain.Callback;
import org.opencallback.domain.CallbackState;

/**
 * The admission SQL of {@link JdbcCallbackStore}: the per-service lock, the booking and throttle
 * counts kept beside the callbacks, and the counts an {@link AdmissionGuard} checks. Runs on the
 * caller's transaction; holds only the dialect: thread-safe.
 */
final class AdmissionCounts {
  /** Size of the slots booking counts are kept in: 5 minutes, the smallest bucket. */
  static final long SLOT_MILLIS = 300_000L;
  private static final long DAY_MILLIS = 86_400_000L;

  private final Dialect dialect;

  AdmissionCounts(Dialect dialect) {
    this.dialect = dialect;
  }

  /** The counts for admission checks, on the storing transaction's connection. */
  AdmissionQuery counts(Handle handle) {
    return new Counts(handle);
  }

  /** Counts the throttled parameters an insert passed with, in its day. */
  void countParameters(Handle handle, Callback callback, List<AdmissionGuard.ParameterValue> counted) {
    long day = Math.floorDiv(callback.timeScheduled().toEpochMilli(), DAY_MILLIS) * DAY_MILLIS;
    for (AdmissionGuard.ParameterValue parameter : counted) {
      handle.createUpdate(dialect.incrementThrottle())
          .bind("service", callback.service())
          .bind("name", parameter.name())
          .bind("value", truncate(parameter.value()))
          .bind("day", day)
          .execute();
    }
  }

  void lockService(Handle handle, String service) {
    String sql = dialect.serviceLock();
    if (sql != null) {
      // pg_advisory_xact_lock returns void: read the row, not its value
      handle.createQuery(sql).bind("service", service).map((rs, ctx) -> Boolean.TRUE).list();
    }
  }

  void book(Handle handle, Callback callback, int delta) {
    handle.createUpdate(dialect.incrementBooking())
        .bind("service", callback.service())
        .bind("slot", slot(callback.desiredTime()))
        .bind("delta", delta)
        .execute();
  }

  static long slot(Instant time) {
    return Math.floorDiv(time.toEpochMilli(), SLOT_MILLIS) * SLOT_MILLIS;
  }

  static String truncate(String value) {
    return value.length() <= CallbackRows.MAX_KEY_VALUE ? value : value.substring(0, CallbackRows.MAX_KEY_VALUE);
  }

  /** Counts for admission checks, on the storing transaction's connection. */
  private static final class Counts implements AdmissionQuery {
    private final Handle handle;

    Counts(Handle handle) {
      this.handle = handle;
    }

    @Override
    public int activeForNumber(String service, String customerNumber) {
      return handle.createQuery("SELECT COUNT(*) FROM callback WHERE service = :service"
              + " AND customer_number = :number AND state <> 'COMPLETED'")
          .bind("service", service).bind("number", customerNumber).mapTo(Integer.class).one();
    }

    @Override
    public int inState(String service, CallbackState state, int atMost) {
      return handle.createQuery("SELECT COUNT(*) FROM (SELECT 1 FROM callback WHERE service = :service"
              + " AND state = :state LIMIT :atMost) counted")
          .bind("service", service).bind("state", state.name()).bind("atMost", Math.max(0, atMost))
          .mapTo(Integer.class).one();
    }

    @Override
    public int immediateSince(String service, Instant since) {
      return handle.createQuery("SELECT COUNT(*) FROM callback WHERE service = :service"
              + " AND immediate = TRUE AND time_scheduled >= :since")
          .bind("service", service).bind("since", since.toEpochMilli()).mapTo(Integer.class).one();
    }

    @Override
    public int parameterCount(String service, String name, String value, Instant dayStart) {
      return handle.createQuery("SELECT COALESCE(MAX(taken), 0) FROM throttle_count WHERE service = :service"
              + " AND param_name = :name AND param_value = :value AND day_start = :day")
          .bind("service", service).bind("name", name).bind("value", truncate(value))
          .bind("day", dayStart.toEpochMilli()).mapTo(Integer.class).one();
    }

    @Override
    public int booked(String service, Instant from, Instant to) {
      return handle.createQuery("SELECT COALESCE(SUM(taken), 0) FROM booking_count WHERE service = :service"
              + " AND slot_start >= :from AND slot_start < :to")
          .bind("service", service).bind("from", slot(from)).bind("to", to.toEpochMilli())
          .mapTo(Integer.class).one();
    }
  }
}
