package org.opencallback.store;

/** Where H2, PostgreSQL and SQLite SQL differ. */
public enum Dialect {
  H2("h2") {
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
  POSTGRESQL("postgresql") {
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
  },
  /**
   * SQLite (3.24+ UPSERT). Embedded: one process, one writer connection ({@link SqlitePools}), so
   * neither a cross-node lock nor {@code SKIP LOCKED} is needed: the writer serialises admission and
   * claims, and the claim's {@code state = 'SCHEDULED'} condition decides between racing claimers.
   */
  SQLITE("sqlite") {
    @Override
    String incrementBooking() {
      return POSTGRESQL.incrementBooking();
    }

    @Override
    String incrementThrottle() {
      return POSTGRESQL.incrementThrottle();
    }

    @Override
    String serviceLock() {
      return null;
    }

    @Override
    String lockDue() {
      return null;
    }

    @Override
    String refreshStatistics() {
      return "PRAGMA optimize";
    }

    @Override
    String indexed(String table, String index) {
      return table + " INDEXED BY " + index;
    }
  };

  private final String migrations;

  Dialect(String migrations) {
    this.migrations = migrations;
  }

  /** The folder of its own migrations, beside {@code db/migration/common}. */
  String migrations() {
    return migrations;
  }

  /**
   * {@code table} in a FROM clause, read through {@code index} where the planner would otherwise
   * choose worse for a query the tests pin (SQLite: {@code INDEXED BY}, which fails rather than
   * scans if the index is gone); the table alone elsewhere.
   */
  String indexed(String table, String index) {
    return table;
  }

  /**
   * A statement refreshing the planner's statistics where the database does not do it itself
   * (SQLite), or null (H2 and PostgreSQL analyse on their own).
   */
  String refreshStatistics() {
    return null;
  }

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
