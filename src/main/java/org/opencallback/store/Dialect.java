package org.opencallback.store;

/** Where H2 and PostgreSQL SQL differ. */
public enum Dialect {
  H2 {
    @Override
    String incrementBooking() {
      return "MERGE INTO booking_count t USING (VALUES (CAST(:service AS VARCHAR(255)), CAST(:slot AS BIGINT)))"
          + " s(service, slot_start) ON t.service = s.service AND t.slot_start = s.slot_start"
          + " WHEN MATCHED THEN UPDATE SET taken = t.taken + :delta"
          + " WHEN NOT MATCHED THEN INSERT (service, slot_start, taken) VALUES (s.service, s.slot_start, :delta)";
    }

    @Override
    String incrementThrottle() {
      return "MERGE INTO throttle_count t USING (VALUES (CAST(:service AS VARCHAR(255)),"
          + " CAST(:name AS VARCHAR(255)), CAST(:value AS VARCHAR(512)), CAST(:day AS BIGINT)))"
          + " s(service, param_name, param_value, day_start) ON t.service = s.service"
          + " AND t.param_name = s.param_name AND t.param_value = s.param_value AND t.day_start = s.day_start"
          + " WHEN MATCHED THEN UPDATE SET taken = t.taken + 1"
          + " WHEN NOT MATCHED THEN INSERT (service, param_name, param_value, day_start, taken)"
          + " VALUES (s.service, s.param_name, s.param_value, s.day_start, 1)";
    }

    @Override
    String serviceLock() {
      return null;
    }

    @Override
    String lockDue() {
      return null;
    }
  },
  POSTGRESQL {
    @Override
    String incrementBooking() {
      return "INSERT INTO booking_count (service, slot_start, taken) VALUES (:service, :slot, :delta)"
          + " ON CONFLICT (service, slot_start) DO UPDATE SET taken = booking_count.taken + :delta";
    }

    @Override
    String incrementThrottle() {
      return "INSERT INTO throttle_count (service, param_name, param_value, day_start, taken)"
          + " VALUES (:service, :name, :value, :day, 1)"
          + " ON CONFLICT (service, param_name, param_value, day_start)"
          + " DO UPDATE SET taken = throttle_count.taken + 1";
    }

    @Override
    String serviceLock() {
      return "SELECT pg_advisory_xact_lock(hashtext(:service))";
    }

    @Override
    String lockDue() {
      return "SELECT id FROM callback WHERE id IN (<ids>) AND state = 'SCHEDULED' AND due_time <= :now"
          + " ORDER BY id FOR UPDATE SKIP LOCKED";
    }
  };

  /** Adds {@code :delta} places to {@code (:service, :slot)}. */
  abstract String incrementBooking();

  /** Counts one more for {@code (:service, :name, :value, :day)}. */
  abstract String incrementThrottle();

  /** A statement taking a transaction-scoped lock on {@code :service} across nodes, or null. */
  abstract String serviceLock();

  /**
   * A query locking those of {@code <ids>} still SCHEDULED and due at {@code :now}, skipping rows
   * another transaction holds, returning their ids; or null to claim without it.
   */
  abstract String lockDue();
}
