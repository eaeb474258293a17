package org.opencallback.http;

import io.javalin.http.Context;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * On the service routes that name no service ({@code GET /genesys/1/service/callback} lookups and
 * {@code ?_id=}, {@code check-queue-position}): whether the request's credentials open a given
 * callback's own service. {@link Authentication} attaches one to each such request; without one
 * nothing is visible (closed by default).
 */
record ServiceAccess(Predicate<String> visible, Consumer<String> require) {
  private static final String ATTRIBUTE = "opencallback.service-access";
  private static final ServiceAccess NONE = new ServiceAccess(service -> false, service -> {
    throw Authentication.unauthorized("Authentication required");
  });

  void attach(Context ctx) {
    ctx.attribute(ATTRIBUTE, this);
  }

  static ServiceAccess of(Context ctx) {
    ServiceAccess access = ctx.attribute(ATTRIBUTE);
    return access == null ? NONE : access;
  }
}
