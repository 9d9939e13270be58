package org.civicpoints.api.http;

import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.Map;
import org.civicpoints.api.config.HttpServerConfig;
import org.civicpoints.api.domain.ErrorCode;
import org.civicpoints.api.domain.Language;
import org.civicpoints.api.domain.Text;
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
    // Only what was read of the headers may say a language; the member is not known here.
    Language language =
        RequestLanguage.accepted(request.getHeader("Accept-Language")).orElse(Language.DEFAULT);
    HttpServerResponse response = request.response();
    NoStore.forbidCaching(response);
    response
        .setStatusCode(Problems.status(code))
        .putHeader(TraceIds.HEADER, traceId)
        .putHeader("Content-Type", Contract.PROBLEM_JSON)
        .putHeader("Content-Language", language.tag())
        .putHeader("Connection", "close")
        .end(Problems.problem(code, detail(code), traceId, language).encode())
        .onComplete(sent -> request.connection().close());
  }

  private Text detail(ErrorCode code) {
    return switch (code) {
      case URI_TOO_LONG ->
          Text.of("URI_TOO_LONG.limit", Map.of("bytes", limits.maxRequestLineBytes()));
      case HEADERS_TOO_LARGE ->
          Text.of("HEADERS_TOO_LARGE.limit", Map.of("bytes", limits.maxHeaderBytes()));
      default -> Text.of("VALIDATION_FAILED.unreadable");
    };
  }
}
