package org.civicpoints.api.http;

import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.PlatformHandler;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Gives every request a trace id: the W3C traceparent's trace id when the caller sent one, a fresh
 * one otherwise. It is returned as X-Trace-Id, logged, and repeated in problems. A platform handler
 * runs before the body handler, so even a refused oversized body carries the trace id.
 */
final class TraceIds implements PlatformHandler {

  static final String HEADER = "X-Trace-Id";
  private static final String KEY = "traceId";
  private static final Pattern TRACEPARENT =
      Pattern.compile("^00-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$");
  private static final String ZERO_TRACE = "0".repeat(32);
  private static final SecureRandom RANDOM = new SecureRandom();

  @Override
  public void handle(RoutingContext ctx) {
    String traceId = fromTraceparent(ctx.request().getHeader("traceparent"));
    ctx.put(KEY, traceId);
    ctx.response().putHeader(HEADER, traceId);
    ctx.next();
  }

  static String of(RoutingContext ctx) {
    String traceId = ctx.get(KEY);
    return traceId != null ? traceId : fresh();
  }

  private static String fromTraceparent(String traceparent) {
    if (traceparent != null) {
      var matcher = TRACEPARENT.matcher(traceparent);
      if (matcher.matches() && !matcher.group(1).equals(ZERO_TRACE)) {
        return matcher.group(1);
      }
    }
    return fresh();
  }

  static String fresh() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }
}
