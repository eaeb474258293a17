package org.opencallback.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Map;
import org.opencallback.phone.PhoneNumbers;

/** GMS's phone-number service: {@code GET /genesys/1/phonenumber?number=&country=&geocodingLocale=}. */
public final class PhoneNumberRoutes implements Routes {
  private final PhoneNumbers phones;
  private final ObjectMapper json;

  public PhoneNumberRoutes(PhoneNumbers phones, ObjectMapper json) {
    this.phones = phones;
    this.json = json;
  }

  @Override
  public void register(RoutesConfig routes) {
    routes.get("/genesys/1/phonenumber", this::describe);
  }

  private void describe(Context ctx) {
    Map<String, String> params = RequestParams.query(ctx);
    Responses.json(ctx, json,
        phones.describe(params.get("number"), params.get("country"), params.get("geocodingLocale")));
  }
}
