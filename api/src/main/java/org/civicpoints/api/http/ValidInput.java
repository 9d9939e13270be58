package org.civicpoints.api.http;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;

/** The request's parameters and body after they passed the contract's schemas. */
record ValidInput(Map<String, Object> query, Map<String, Object> path, JsonObject body) {

  private static final String KEY = "validInput";

  void attachTo(RoutingContext ctx) {
    ctx.put(KEY, this);
  }

  static ValidInput of(RoutingContext ctx) {
    return ctx.get(KEY);
  }

  String pathParam(String name) {
    return (String) path.get(name);
  }

  String queryParam(String name) {
    return (String) query.get(name);
  }
}
