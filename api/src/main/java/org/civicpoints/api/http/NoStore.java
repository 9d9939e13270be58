package org.civicpoints.api.http;

import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.PlatformHandler;

/**
 * Answers under /v1/auth/ carry tokens (or say why there are none): no cache, shared or private,
 * may keep them (RFC 6749 section 5.1, RFC 9700). A platform handler, so errors answered before the
 * handler (validation, body limits, unknown routes) carry the headers too.
 */
final class NoStore implements PlatformHandler {

  static final String AUTH_PATHS = "/v1/auth/";

  @Override
  public void handle(RoutingContext ctx) {
    if (ctx.normalizedPath().startsWith(AUTH_PATHS)) {
      forbidCaching(ctx.response());
    }
    ctx.next();
  }

  static void forbidCaching(HttpServerResponse response) {
    response.putHeader("Cache-Control", "no-store").putHeader("Pragma", "no-cache");
  }
}
