package org.civicpoints.api.http;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.civicpoints.api.domain.DomainException;
import org.civicpoints.api.domain.ErrorCode;
import org.civicpoints.api.domain.FieldError;
import org.civicpoints.api.domain.Language;
import org.civicpoints.api.domain.RateLimitedException;
import org.civicpoints.api.domain.Text;
import org.civicpoints.api.service.MessageCatalogue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one failure handler: every error leaves as application/problem+json (RFC 9457) with a stable
 * code and the trace id. Unexpected failures are logged with their stack trace and answered as a
 * bare 500; nothing internal reaches the client.
 */
final class Problems implements Handler<RoutingContext> {

  private static final Logger LOG = LoggerFactory.getLogger(Problems.class);
  private static final String TYPE_PREFIX = "urn:civic-points:problem:";
  private static final MessageCatalogue CATALOGUE = MessageCatalogue.standard();

  private final Function<String, Future<Language>> storedLanguageOf;

  /** {@code storedLanguageOf}: a member's own language choice, for requests without a header. */
  Problems(Function<String, Future<Language>> storedLanguageOf) {
    this.storedLanguageOf = storedLanguageOf;
  }

  @Override
  public void handle(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    if (failure instanceof DomainException domain) {
      send(ctx, domain.code(), domain.detail(), domain.fieldErrors());
    } else if (failure instanceof HttpException http) {
      sendForStatus(ctx, http.getStatusCode());
    } else if (failure == null) {
      sendForStatus(ctx, ctx.statusCode());
    } else {
      LOG.atError()
          .addKeyValue("traceId", TraceIds.of(ctx))
          .setCause(failure)
          .log("Unexpected failure");
      send(ctx, ErrorCode.INTERNAL_ERROR, detail(ErrorCode.INTERNAL_ERROR, "traceId"), List.of());
    }
  }

  /** Failures that come from Vert.x itself as a bare status (routing, body limits). */
  private void sendForStatus(RoutingContext ctx, int status) {
    switch (status) {
      case 404 ->
          send(
              ctx,
              ErrorCode.ROUTE_NOT_FOUND,
              Text.of("ROUTE_NOT_FOUND.path", Map.of("path", ctx.request().path())),
              List.of());
      case 405 ->
          send(
              ctx,
              ErrorCode.METHOD_NOT_ALLOWED,
              Text.of(
                  "METHOD_NOT_ALLOWED.onPath",
                  Map.of("method", ctx.request().method().name(), "path", ctx.request().path())),
              List.of());
      case 413 ->
          send(
              ctx,
              ErrorCode.PAYLOAD_TOO_LARGE,
              Text.of("PAYLOAD_TOO_LARGE.limit", Map.of("bytes", BodyLimits.of(ctx))),
              List.of());
      case 415 ->
          send(
              ctx,
              ErrorCode.UNSUPPORTED_MEDIA_TYPE,
              detail(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "json"),
              List.of());
      case 400 ->
          send(
              ctx,
              ErrorCode.VALIDATION_FAILED,
              detail(ErrorCode.VALIDATION_FAILED, "unreadable"),
              List.of());
      default -> {
        LOG.atError()
            .addKeyValue("traceId", TraceIds.of(ctx))
            .addKeyValue("status", status)
            .log("Failure without cause");
        send(ctx, ErrorCode.INTERNAL_ERROR, detail(ErrorCode.INTERNAL_ERROR, "traceId"), List.of());
      }
    }
  }

  /**
   * An unexpected failure may be the store itself failing: it is told in the asked-for or the
   * default language, without reading the member's choice from that store.
   */
  private Future<Language> language(RoutingContext ctx, ErrorCode code) {
    return code == ErrorCode.INTERNAL_ERROR
        ? Future.succeededFuture(
            RequestLanguage.accepted(ctx.request().getHeader("Accept-Language"))
                .orElse(Language.DEFAULT))
        : RequestLanguage.of(ctx, storedLanguageOf);
  }

  private static Text detail(ErrorCode code, String detailKey) {
    return Text.of(code.name() + "." + detailKey);
  }

  private void send(RoutingContext ctx, ErrorCode code, Text detail, List<FieldError> fieldErrors) {
    if (ctx.response().headWritten()) {
      // Part of a response is already out; the only honest signal left is to cut the connection.
      ctx.response().reset();
      return;
    }
    language(ctx, code)
        .onSuccess(
            language -> {
              if (!ctx.response().ended() && !ctx.response().closed()) {
                send(ctx, code, detail, fieldErrors, language);
              }
            });
  }

  private static void send(
      RoutingContext ctx,
      ErrorCode code,
      Text detail,
      List<FieldError> fieldErrors,
      Language language) {
    HttpServerResponse response = ctx.response();
    int status = status(code);
    JsonObject problem = problem(code, detail, TraceIds.of(ctx), language);
    if (!fieldErrors.isEmpty()) {
      JsonArray errors = new JsonArray();
      fieldErrors.forEach(
          e ->
              errors.add(
                  new JsonObject()
                      .put("field", e.field())
                      .put("message", CATALOGUE.render(language, e.message()))));
      problem.put("errors", errors);
    }
    if (ctx.failure() instanceof DomainException domain) {
      domain.members().forEach(problem::put);
    }
    if (ctx.failure() instanceof RateLimitedException limited) {
      response.putHeader("Retry-After", Long.toString(limited.retryAfterSeconds()));
    }
    if (status == 401) {
      response.putHeader("WWW-Authenticate", "Bearer");
    }
    response
        .setStatusCode(status)
        .putHeader("Content-Type", Contract.PROBLEM_JSON)
        .putHeader("Content-Language", language.tag())
        .putHeader("Vary", "Accept-Language")
        .end(problem.encode());
  }

  /** The problem document; also for answers made before routing ({@link InvalidRequests}). */
  static JsonObject problem(ErrorCode code, Text detail, String traceId, Language language) {
    return new JsonObject()
        .put("type", TYPE_PREFIX + code.name().toLowerCase().replace('_', '-'))
        .put("title", CATALOGUE.title(language, code))
        .put("status", status(code))
        .put("detail", CATALOGUE.render(language, detail))
        .put("code", code.name())
        .put("traceId", traceId);
  }

  static int status(ErrorCode code) {
    return switch (code) {
      case VALIDATION_FAILED, MALFORMED_JSON -> 400;
      case UNAUTHENTICATED,
          INVALID_TOKEN,
          INVALID_ID_TOKEN,
          INVALID_REFRESH_TOKEN,
          REFRESH_TOKEN_REUSED,
          REAUTHENTICATION_REQUIRED ->
          401;
      case FORBIDDEN, SELF_DECISION, ORIGIN_NOT_ALLOWED -> 403;
      case NOT_FOUND, ROUTE_NOT_FOUND -> 404;
      case METHOD_NOT_ALLOWED -> 405;
      case PAYLOAD_TOO_LARGE -> 413;
      case URI_TOO_LONG -> 414;
      case HEADERS_TOO_LARGE -> 431;
      case UNSUPPORTED_MEDIA_TYPE -> 415;
      case RATE_LIMITED -> 429;
      case INTERNAL_ERROR -> 500;
      case IDENTITY_PROVIDER_UNAVAILABLE, LEDGER_UNAVAILABLE -> 503;
      case INVALID_STATE, ACTIVITY_FULL, ALREADY_CLAIMED, ACTIVITY_CANCELLED -> 409;
      case ORG_UNIT_CODE_TAKEN, ORG_UNIT_HAS_CHILDREN -> 409;
      case REWARD_UNAVAILABLE, OUT_OF_STOCK, REDEMPTION_LIMIT_REACHED -> 409;
      case WRONG_PICKUP_CODE -> 422;
      case IMAGE_TYPE_UNSUPPORTED -> 415;
      case IMAGE_UNREADABLE -> 422;
      case EVIDENCE_QUOTA_REACHED -> 409;
      case PHONE_ALREADY_REGISTERED -> 409;
      case FOUR_EYES_REQUIRED -> 403;
      case NOTHING_TO_CERTIFY -> 422;
      case IDEMPOTENCY_KEY_REUSED,
          WRONG_CHECK_IN_CODE,
          OUTSIDE_GEOFENCE,
          NOT_ENROLLED,
          TOO_MANY_UNITS,
          OUTSIDE_ACTIVITY_HOURS,
          LOCATION_REQUIRED,
          CHECK_IN_REQUIRED,
          ORG_IMPORT_REJECTED ->
          422;
    };
  }
}
