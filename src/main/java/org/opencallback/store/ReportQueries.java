package org.opencallback.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;
import org.opencallback.domain.Callback;
import org.opencallback.domain.CallbackState;

/**
 * The admin, UI and report queries of {@link JdbcCallbackStore}: searches, queue listings, counts
 * and activity. Read-only; thread-safe (holds only thread-safe collaborators).
 */
final class ReportQueries {
  private static final String COLUMNS = CallbackRows.COLUMNS;
  /** Filters of the queue query that compare a column rather than a stored property. */
  private static final Map<String, String> FILTER_COLUMNS =
      Map.of("_callback_state", "state", "_callback_reason", "reason", "_customer_number", "customer_number");

  private record StateCount(String service, CallbackState state, long count) {}

  private final Jdbi jdbi;
  private final CallbackRows rows;

  ReportQueries(Jdbi jdbi, CallbackRows rows) {
    this.jdbi = jdbi;
    this.rows = rows;
  }

  List<Callback> inQueue(QueueQuery query) {
    StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM callback c WHERE c.service = :service"
        + " AND c.desired_time >= :from AND c.desired_time <= :to");
    if (!query.states().isEmpty()) {
      sql.append(" AND c.state IN (<states>)");
    }
    int i = 0;
    for (String name : query.filters().keySet()) {
      String column = FILTER_COLUMNS.get(name);
      if (column != null) {
        sql.append(" AND c.").append(column).append(" = :value").append(i);
      } else {
        sql.append(" AND EXISTS (SELECT 1 FROM callback_key k WHERE k.callback_id = c.id")
            .append(" AND k.key_name = :name").append(i).append(" AND k.key_value = :value").append(i).append(")");
      }
      i++;
    }
    sql.append(" ORDER BY c.desired_time, c.id LIMIT :limit");
    return jdbi.withHandle(
        handle -> {
          Query q = handle.createQuery(sql.toString())
              .bind("service", query.service())
              .bind("from", query.desiredFrom().toEpochMilli())
              .bind("to", query.desiredTo().toEpochMilli())
              .bind("limit", query.limit());
          if (!query.states().isEmpty()) {
            q.bindList("states", query.states().stream().map(Enum::name).sorted().toList());
          }
          int n = 0;
          for (Map.Entry<String, String> filter : query.filters().entrySet()) {
            q.bind("name" + n, filter.getKey());
            q.bind("value" + n, filter.getValue());
            n++;
          }
          return q.map((rs, ctx) -> rows.read(rs)).list();
        });
  }

  Map<String, Map<CallbackState, Long>> countByServiceAndState() {
    return jdbi.withHandle(
        handle -> {
          Map<String, Map<CallbackState, Long>> counts = new java.util.TreeMap<>();
          handle.createQuery("SELECT service, state, COUNT(*) FROM callback GROUP BY service, state")
              .map((rs, ctx) -> new StateCount(rs.getString(1), CallbackState.valueOf(rs.getString(2)), rs.getLong(3)))
              .forEach(count -> counts.computeIfAbsent(count.service(), s -> new java.util.EnumMap<>(CallbackState.class))
                  .put(count.state(), count.count()));
          return counts;
        });
  }

  Map<String, Long> countInStates(java.util.Set<CallbackState> states, Instant changedSince) {
    if (states.isEmpty()) {
      return Map.of();
    }
    return jdbi.withHandle(
        handle -> {
          Map<String, Long> counts = new java.util.TreeMap<>();
          handle.createQuery("SELECT service, COUNT(*) FROM callback WHERE state IN (<states>)"
                  + " AND updated_at >= :since GROUP BY service")
              .bindList("states", states.stream().map(Enum::name).sorted().toList())
              .bind("since", changedSince.toEpochMilli())
              .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getLong(2)))
              .forEach(entry -> counts.put(entry.getKey(), entry.getValue()));
          return counts;
        });
  }

  List<String> idsByCustomerNumber(String customerNumber, int limit) {
    return jdbi.withHandle(
        handle -> handle.createQuery("SELECT id FROM callback WHERE customer_number = :number ORDER BY id LIMIT :limit")
            .bind("number", customerNumber)
            .bind("limit", limit)
            .mapTo(String.class)
            .list());
  }

  List<Callback> scheduledWithKey(String service, String keyName, Instant from, Instant to, Instant afterTime,
      String afterId, int limit) {
    // keyset paging on (desired_time, id): any number of callbacks sharing one desired time page through
    String after = afterTime == null ? ""
        : " AND (c.desired_time > :afterTime OR (c.desired_time = :afterTime AND c.id > :afterId))";
    return jdbi.withHandle(handle -> {
      Query query = handle.createQuery("SELECT " + COLUMNS + " FROM callback c WHERE c.service = :service"
              + " AND c.state = 'SCHEDULED' AND c.desired_time >= :from AND c.desired_time <= :to" + after
              + " AND EXISTS (SELECT 1 FROM callback_key k WHERE k.callback_id = c.id AND k.key_name = :key)"
              + " ORDER BY c.desired_time, c.id LIMIT :limit")
          .bind("service", service).bind("key", keyName)
          .bind("from", from.toEpochMilli()).bind("to", to.toEpochMilli()).bind("limit", limit);
      if (afterTime != null) {
        query.bind("afterTime", afterTime.toEpochMilli()).bind("afterId", afterId);
      }
      return query.map((rs, ctx) -> rows.read(rs)).list();
    });
  }

  List<Callback> completedWithReason(String reason, Instant from, Instant to, int limit) {
    return jdbi.withHandle(
        handle -> handle.createQuery("SELECT " + COLUMNS + " FROM callback WHERE reason = :reason"
                + " AND desired_time >= :from AND desired_time <= :to AND state = 'COMPLETED'"
                + " ORDER BY desired_time, id LIMIT :limit")
            .bind("reason", reason)
            .bind("from", from.toEpochMilli())
            .bind("to", to.toEpochMilli())
            .bind("limit", limit)
            .map((rs, ctx) -> rows.read(rs))
            .list());
  }

  List<Callback> search(CallbackSearch search) {
    Map<String, Object> binds = new LinkedHashMap<>();
    String where = searchWhere(search, binds);
    return jdbi.withHandle(handle -> {
      Query q = handle.createQuery("SELECT " + COLUMNS + " FROM callback c" + where
          + " ORDER BY c.desired_time, c.id LIMIT :limit OFFSET :offset");
      binds.forEach(q::bind);
      return q.bind("limit", search.limit()).bind("offset", search.offset()).map((rs, ctx) -> rows.read(rs)).list();
    });
  }

  long countMatching(CallbackSearch search) {
    Map<String, Object> binds = new LinkedHashMap<>();
    String where = searchWhere(search, binds);
    return jdbi.withHandle(handle -> {
      Query q = handle.createQuery("SELECT COUNT(*) FROM callback c" + where);
      binds.forEach(q::bind);
      return q.mapTo(Long.class).one();
    });
  }

  private static String searchWhere(CallbackSearch search, Map<String, Object> binds) {
    StringBuilder where = new StringBuilder(" WHERE 1 = 1");
    if (search.service() != null) {
      where.append(" AND c.service = :service");
      binds.put("service", search.service());
    }
    if (search.state() != null) {
      where.append(" AND c.state = :state");
      binds.put("state", search.state().name());
    }
    if (search.customerNumber() != null) {
      where.append(" AND c.customer_number LIKE :number ESCAPE '\\'");
      binds.put("number", "%" + search.customerNumber().replace("\\", "\\\\").replace("%", "\\%")
          .replace("_", "\\_") + "%");
    }
    if (search.desiredFrom() != null) {
      where.append(" AND c.desired_time >= :from");
      binds.put("from", search.desiredFrom().toEpochMilli());
    }
    if (search.desiredTo() != null) {
      where.append(" AND c.desired_time < :to");
      binds.put("to", search.desiredTo().toEpochMilli());
    }
    return where.toString();
  }

  Map<String, Long> countDesiredBetween(CallbackState state, Instant from, Instant to) {
    Map<String, Long> counts = new java.util.TreeMap<>();
    jdbi.useHandle(handle -> handle
        .createQuery("SELECT service, COUNT(*) AS n FROM callback WHERE state = :state"
            + " AND desired_time >= :from AND desired_time < :to GROUP BY service")
        .bind("state", state.name())
        .bind("from", from.toEpochMilli())
        .bind("to", to.toEpochMilli())
        .map((rs, ctx) -> counts.put(rs.getString("service"), rs.getLong("n")))
        .list());
    return counts;
  }

  List<ActivityCount> activity(Instant from, java.time.Duration bucket) {
    long size = Math.max(1, bucket.toMillis());
    Map<String, int[]> counts = new java.util.TreeMap<>();
    jdbi.useHandle(handle -> {
      handle.createQuery("SELECT service, b, COUNT(*) AS n FROM (SELECT service, (time_scheduled - :from) / :size AS b"
              + " FROM callback WHERE time_scheduled >= :from) t GROUP BY service, b")
          .bind("from", from.toEpochMilli()).bind("size", size)
          .map((rs, ctx) -> counts.computeIfAbsent(rs.getString("service") + "\n" + rs.getLong("b"),
              k -> new int[2])[0] += rs.getInt("n"))
          .list();
      // a completed callback may be reported COMPLETED again (disposition): its first entry counts
      handle.createQuery("SELECT service, b, COUNT(*) AS n FROM (SELECT c.service, (h.t - :from) / :size AS b"
              + " FROM (SELECT callback_id, MIN(changed_at) AS t FROM callback_history"
              + " WHERE state = 'COMPLETED' AND changed_at >= :from GROUP BY callback_id) h"
              + " JOIN callback c ON c.id = h.callback_id"
              + " WHERE NOT EXISTS (SELECT 1 FROM callback_history e WHERE e.callback_id = h.callback_id"
              + " AND e.state = 'COMPLETED' AND e.changed_at < :from)) t GROUP BY service, b")
          .bind("from", from.toEpochMilli()).bind("size", size)
          .map((rs, ctx) -> counts.computeIfAbsent(rs.getString("service") + "\n" + rs.getLong("b"),
              k -> new int[2])[1] += rs.getInt("n"))
          .list();
    });
    List<ActivityCount> activity = new ArrayList<>();
    counts.forEach((key, n) -> {
      int split = key.lastIndexOf('\n');
      long index = Long.parseLong(key.substring(split + 1));
      activity.add(new ActivityCount(key.substring(0, split), from.plusMillis(index * size), n[0], n[1]));
    });
    activity.sort(java.util.Comparator.comparing(ActivityCount::service).thenComparing(ActivityCount::bucketStart));
    return activity;
  }
}
