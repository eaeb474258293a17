package org.opencallback.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencallback.domain.CallbackState;

/**
 * A lookup by keys reads the {@code callback_key_lookup} index, never a scan of a service's
 * callbacks (which took seconds per lookup with a million stored, docs/benchmarks.md): the plan H2
 * chooses for the SQL the store sends.
 */
class LookupPlanTest {
  @TempDir
  Path dir;

  private Database database;
  private final RecordedSql sent = new RecordedSql();

  @BeforeEach
  void open() {
    database = Database.open(Database.embeddedUrl(dir, Dialect.H2), "sa", "", 2);
  }

  @AfterEach
  void close() {
    database.close();
  }

  @Test
  void a_lookup_by_one_key_in_a_service_reads_the_lookup_index() throws Exception {
    String plan = planOf(new LookupQuery("S", Map.of("_customer_number", "+16175550100"), false, null, false, null,
        null, 1000));
    assertThat(plan).contains("CALLBACK_KEY_LOOKUP").doesNotContain("CALLBACK_SERVICE_STATE");
  }

  @Test
  void every_key_of_an_and_or_an_or_lookup_reads_the_lookup_index() throws Exception {
    Map<String, String> keys = new java.util.LinkedHashMap<>();
    keys.put("_customer_number", "+16175550100");
    keys.put("account", "A1");
    for (boolean any : new boolean[] {false, true}) {
      String plan = planOf(new LookupQuery(null, keys, any, CallbackState.SCHEDULED, true, null, null, 10));
      assertThat(plan.split("CALLBACK_KEY_LOOKUP", -1)).as(plan).hasSizeGreaterThanOrEqualTo(3);
      assertThat(plan).doesNotContain("CALLBACK_STATE_DUE").doesNotContain("CALLBACK_SERVICE_STATE");
    }
  }

  /** Runs the lookup through the store, then asks H2 for the plan of the SQL it sent. */
  private String planOf(LookupQuery query) throws Exception {
    sent.clear();
    new JdbcCallbackStore(sent.recording(database.dataSource()), new ObjectMapper()).lookup(query);
    String sql = sent.first("callback_key");
    try (Connection connection = database.dataSource().getConnection();
        PreparedStatement explain = connection.prepareStatement("EXPLAIN " + sql)) {
      for (int i = 1; i <= explain.getParameterMetaData().getParameterCount(); i++) {
        explain.setString(i, "1");
      }
      try (ResultSet rs = explain.executeQuery()) {
        rs.next();
        return rs.getString(1);
      }
    }
  }
}
