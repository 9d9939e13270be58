package org.civicpoints.api.http;

import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.PlatformHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One JSON log line per request with its trace id. Only method, path, status and time: bodies and
 * query strings stay out, so no phone number or token reaches the log.
 */
final class AccessLog implements PlatformHandler {

  private static final Logger LOG = LoggerFactory.getLogger("org.civicpoints.api.access");

  @Override
  public void handle(RoutingContext ctx) {
    long started = System.nanoTime();
    ctx.addEndHandler(
        done ->
            LOG.atInfo()
                .addKeyValue("traceId", TraceIds.of(ctx))
                .addKeyValue("method", ctx.request().method().name())
                .addKeyValue("path", ctx.request().path())
                .addKeyValue("status", ctx.response().getStatusCode())
                .addKeyValue("millis", (System.nanoTime() - started) / 1_000_000)
                .log("request"));
    ctx.next();
  }
}
