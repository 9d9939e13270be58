package org.civicpoints.api.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import org.civicpoints.api.config.ApiConfig;

/**
 * Reads request bodies up to {@link ApiConfig#MAX_BODY_BYTES}, and photo uploads up to {@link
 * #MAX_PHOTO_BYTES}: a larger body is refused with 413 from its Content-Length, before it is read.
 */
final class BodyLimits implements Handler<RoutingContext> {

  static final long MAX_PHOTO_BYTES = 8L * 1024 * 1024;
  static final String LIMIT = "bodyLimit";
  private static final String PHOTO_UPLOADS = "/v1/evidence";

  private final BodyHandler requests =
      BodyHandler.create(false).setBodyLimit(ApiConfig.MAX_BODY_BYTES);
  private final BodyHandler photos = BodyHandler.create(false).setBodyLimit(MAX_PHOTO_BYTES);

  @Override
  public void handle(RoutingContext ctx) {
    boolean photo =
        ctx.request().method() == HttpMethod.POST && PHOTO_UPLOADS.equals(ctx.normalizedPath());
    ctx.put(LIMIT, photo ? MAX_PHOTO_BYTES : ApiConfig.MAX_BODY_BYTES);
    (photo ? photos : requests).handle(ctx);
  }

  /** The limit that applied to this request, for the 413 problem's words. */
  static long of(RoutingContext ctx) {
    Long limit = ctx.get(LIMIT);
    return limit == null ? ApiConfig.MAX_BODY_BYTES : limit;
  }
}
