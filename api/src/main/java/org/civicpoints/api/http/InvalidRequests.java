package org.civicpoints.api.http;

import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import org.civicpoints.api.config.HttpServerConfig;
import org.civicpoints.api.domain.ErrorCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Requests Vert.x refuses before routing are answered as problems like every other error: a request
 * line longer than HTTP_MAX_REQUEST_LINE_BYTES (414 URI_TOO_LONG), headers larger than
 * HTTP_MAX_HEADER_BYTES (431 HEADERS_TOO_LARGE), anything else unreadable (400). Then the
 * connection is closed, since where the next request would start cannot be known.
 */
public final class InvalidRequests implements Handler<HttpServerRequest> {

  private static final Logger LOG = LoggerFactory.getLogger("org.civicpoints.api.access");

  private final HttpServerConfig limits;

  public InvalidRequests(HttpServerConfig limits) {
    this.limits = limits;
  }

  @Override
  public void handle(HttpServerRequest request) {
    Throwable cause = request.decoderResult().cause();
    ErrorCode code =
        cause instanceof TooLongHttpLineException
            ? ErrorCode.URI_TOO_LONG
            : cause instanceof TooLongHttpHeaderException
                ? ErrorCode.HEADERS_TOO_LARGE
                : ErrorCode.VALIDATION_FAILED;
    String traceId = TraceIds.fresh();
    LOG.atInfo()
        .addKeyValue("traceId", traceId)
        .addKeyValue("status", Problems.status(code))
        .log("request refused before routing");
    HttpServerResponse response = request.response();
    NoStore.forbidCaching(response);
    response
        .setStatusCode(Problems.status(code))
        .putHeader(TraceIds.HEADER, traceId)
        .putHeader("Content-Type", Contract.PROBLEM_JSON)
        .putHeader("Connection", "close")
        .end(Problems.problem(code, detail(code), traceId).encode())
        .onComplete(sent -> request.connection().close());
  }

  private String detail(ErrorCode code) {
    return switch (code) {
      case URI_TOO_LONG ->
          "The request line is longer than " + limits.maxRequestLineBytes() + " bytes.";
      case HEADERS_TOO_LARGE ->
          "The request headers are larger than " + limits.maxHeaderBytes() + " bytes.";
      default -> "The request cannot be read.";
    };
  }
}
