package org.opencallback.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.opencallback.callback.CallbackQueries;
import org.opencallback.domain.Callback;
import org.opencallback.domain.CallbackException;
import org.opencallback.admin.AdminService;

/**
 * The GMS admin API (api.md §8, §9, §11–§13) under {@code /genesys/1/admin/callback}; {@link
 * Authentication} guards it.
 */
public final class AdminRoutes implements Routes {
  static final String BASE = "/genesys/1/admin/callback";
  /** Keys every entry of the queue query has, in this order. */
  private final AdminService admin;
  private final CallbackQueries queries;
  private final ObjectMapper json;

  public AdminRoutes(AdminService admin, CallbackQueries queries, ObjectMapper json) {
    this.admin = admin;
    this.queries = queries;
    this.json = json;
  }

  @Override
  public void register(RoutesConfig routes) {
    routes.get(BASE + "/queues", this::queues);
    routes.get(BASE + "/watermarks", this::watermarks);
    routes.post(BASE + "/ops/delete", this::forget);
    routes.post(BASE + "/cancel", this::cancel);
    routes.post(BASE + "/reportcancelled", this::reportCancelled);
  }

  private void queues(Context ctx) {
    Map<String, List<Callback>> found = admin.queues(RequestParams.query(ctx));
    String base = CallbackRoutes.base(ctx);
    Map<String, Object> body = new LinkedHashMap<>();
    found.forEach((service, callbacks) -> {
      List<String> returned = queries.returnedKeys(service);
      List<Map<String, Object>> entries = new ArrayList<>();
      for (Callback callback : callbacks) {
        // the keys GMS always returns (both spellings), then the listed ones the callback has
        Map<String, Object> entry = CallbackJson.summary(callback, base, returned);
        entries.add(entry);
      }
      body.put(service, entries);
    });
    Responses.json(ctx, json, body);
  }

  private void watermarks(Context ctx) {
    List<String> names = new ArrayList<>();
    for (String value : ctx.queryParams("service_name")) {
      names.addAll(List.of(value.split(",")));
    }
    AdminService.Watermarks watermarks = admin.watermarks(names);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("total", watermarks.total());
    body.put("services", watermarks.services());
    Responses.json(ctx, json, body);
  }

  private void forget(Context ctx) {
    Map<String, Object> request = RequestParams.read(ctx, json);
    AdminService.Outcome outcome = admin.forget(list(request, "_id"), list(request, "_customer_number"));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("success", outcome.success());
    body.put("errors", outcome.errors());
    Responses.json(ctx, json, body);
  }

  private void cancel(Context ctx) {
    Map<String, Object> request = RequestParams.read(ctx, json);
    Object reason = request.get("reason");
    if (reason != null && !(reason instanceof String)) {
      throw CallbackException.invalidParameter("reason must be a string");
    }
    AdminService.Outcome outcome = admin.cancel((String) reason, list(request, "ids"));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("cancelled", outcome.success().stream().map(s -> s.get("_id")).toList());
    body.put("errors", outcome.errors());
    Responses.json(ctx, json, body);
  }

  private void reportCancelled(Context ctx) {
    Map<String, Object> request = RequestParams.read(ctx, json);
    Object reason = request.get("callback_reason");
    if (reason != null && !(reason instanceof String)) {
      throw CallbackException.invalidParameter("callback_reason must be a string");
    }
    AdminService.Report report = admin.cancelledReport((String) reason, list(request, "exported_properties"));
    if (report.rows().isEmpty()) {
      // GMS answers 204 "No record found.", but a 204 has no body (RFC 9110 §15.3.5): send none, and
      // no Content-Type for a body that is not there
      ctx.status(204).result("");
      ctx.res().setContentType(null);
      return;
    }
    StringWriter text = new StringWriter();
    CSVFormat format = CSVFormat.DEFAULT.builder().setHeader(report.header().toArray(String[]::new)).get();
    try (CSVPrinter printer = new CSVPrinter(text, format)) {
      for (List<String> row : report.rows()) {
        printer.printRecord(row);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ctx.header("Content-Disposition", "attachment; filename=\"report.csv\"");
    ctx.contentType("text/csv; charset=utf-8").result(text.toString());
  }

  /**
   * A list parameter: a JSON array of scalars, or one string (a comma list: ids and numbers never
   * hold commas); empty when absent.
   */
  static List<String> list(Map<String, Object> request, String name) {
    Object value = request.get(name);
    List<String> values = new ArrayList<>();
    if (value == null) {
      return values;
    }
    List<?> items = value instanceof List ? (List<?>) value : List.of(value);
    for (Object item : items) {
      if (item == null || item instanceof Map || item instanceof List) {
        throw CallbackException.invalidParameter(name + " must be a list of strings");
      }
      String text = String.valueOf(item).trim();
      if (name.equals("exported_properties")) {
        values.add(text);
        continue;
      }
      for (String part : text.split(",")) {
        if (!part.isBlank()) {
          values.add(part.trim());
        }
      }
    }
    return values;
  }
}
