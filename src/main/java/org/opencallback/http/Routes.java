package org.opencallback.http;

import io.javalin.config.RoutesConfig;

/** A group of endpoints. */
public interface Routes {
  void register(RoutesConfig routes);
}
