package org.opencallback.http.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.opencallback.http.admin.AdminHttp.adminPost;
import static org.opencallback.http.admin.AdminHttp.assertError;
import static org.opencallback.http.admin.AdminHttp.body;
import static org.opencallback.http.admin.AdminHttp.header;
import static org.opencallback.http.admin.AdminHttp.iso;
import static org.opencallback.http.admin.AdminHttp.now;
import static org.opencallback.http.admin.AdminHttp.number;
import static org.opencallback.http.admin.AdminHttp.start;
import static org.opencallback.http.admin.AdminHttp.startScheduled;

import java.io.IOException;
import java.io.StringReader;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opencallback.testing.TestServer;
import org.opencallback.testing.TestServer.Response;

/** POST /genesys/1/admin/callback/reportcancelled: the CSV export of callbacks cancelled by an admin. */
class ReportCancelledTest {
  private static final String CONFIG = String.join("\n",
      "service.Export:",
      "  _type: ors",
      "  _urs_virtual_queue: VQ_Export",
      "  _enable_in_queue_checking: false",
      "engine:",
      "  agents: 0",
      AdminHttp.USERS);
  private static TestServer server;

  @BeforeAll
  static void startServer() {
    server = TestServer.start(CONFIG);
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  private static List<CSVRecord> parse(String csv) throws IOException {
    try (CSVParser parser = CSVParser.parse(new StringReader(csv),
        CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get())) {
      return parser.getRecords();
    }
  }

  private static List<String> columns(String csv) throws IOException {
    try (CSVParser parser = CSVParser.parse(new StringReader(csv),
        CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get())) {
      return parser.getHeaderNames();
    }
  }

  private static void cancel(String reason, List<String> ids) {
    Response response = adminPost(server, "/cancel", body("reason", reason, "ids", ids));
    assertThat(response.status()).as(response.body()).isEqualTo(200);
  }

  @Test
  void the_export_lists_callbacks_cancelled_by_an_admin_with_the_default_columns() throws IOException {
    String number = number();
    String first = start(server, "Export", body("_customer_number", number, "target", "Sales, \"EU\"",
        "_desired_time", iso(now().plus(Duration.ofHours(2)))));
    String second = startScheduled(server, "Export", number(), Duration.ofHours(3));
    String byCustomer = startScheduled(server, "Export", number(), Duration.ofHours(4));
    assertThat(server.delete(AdminHttp.SERVICE + "/Export/" + byCustomer).status()).isEqualTo(200);
    cancel("CANCELLED_BY_ADMIN", List.of(first, second));

    Response response = adminPost(server, "/reportcancelled", body("callback_reason", "CANCELLED_BY_ADMIN"));

    assertThat(response.status()).as(response.body()).isEqualTo(200);
    assertThat(header(response, "Content-Disposition")).isEqualTo("attachment; filename=\"report.csv\"");
    assertThat(header(response, "Content-Type")).startsWith("text/csv");
    assertThat(columns(response.body())).containsExactly(
        "_desired_time", "_service_name", "_customer_number", "urs_virtual_queue", "_vq_for_outbound_calls",
        "target");
    List<CSVRecord> records = parse(response.body());
    assertThat(records).hasSize(2);
    CSVRecord row = records.get(0);
    assertThat(row.get("_service_name")).isEqualTo("Export");
    assertThat(row.get("_customer_number")).isEqualTo(number);
    assertThat(row.get("_desired_time")).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z");
    assertThat(row.get("urs_virtual_queue")).isEqualTo("VQ_Export");
    assertThat(row.get("target")).isEqualTo("Sales, \"EU\"");
  }

  @Test
  void exported_properties_choose_the_columns_even_as_one_comma_joined_string() throws IOException {
    String id = startScheduled(server, "Export", number(), Duration.ofHours(2));
    cancel("CANCELLED_BY_ADMIN_EXPORT", List.of(id));

    Response response = adminPost(server, "/reportcancelled", body("callback_reason", "CANCELLED_BY_ADMIN_EXPORT",
        "exported_properties", List.of("_service_id,_desired_time")));

    assertThat(response.status()).as(response.body()).isEqualTo(200);
    assertThat(columns(response.body())).containsExactly("_service_id", "_desired_time");
    assertThat(parse(response.body())).singleElement()
        .satisfies(record -> assertThat(record.get("_service_id")).isEqualTo(id));
  }

  @Test
  void no_matching_record_answers_204_without_a_body_or_a_content_type() {
    String id = startScheduled(server, "Export", number(), Duration.ofHours(2));
    assertThat(server.delete(AdminHttp.SERVICE + "/Export/" + id).status()).isEqualTo(200);

    Response response = adminPost(server, "/reportcancelled", body("callback_reason", "CANCELLED_BY_NOBODY"));

    assertThat(response.status()).isEqualTo(204);
    assertThat(response.body()).isEmpty();
    assertThat(response.headers()).doesNotContainKey("content-type");
    assertThat(response.headers().getOrDefault("content-length", List.of("0"))).containsExactly("0");
  }

  @Test
  void a_request_without_a_reason_is_refused() {
    Response response = adminPost(server, "/reportcancelled", Map.of("exported_properties", List.of("_id")));

    assertThat(assertError(response, 400, 40010).get("message")).isEqualTo("Callback reason is missing.");
  }
}
