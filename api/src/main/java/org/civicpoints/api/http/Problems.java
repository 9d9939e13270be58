package org.civicpoints.api.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import java.util.List;
import org.civicpoints.api.domain.DomainException;
import org.civicpoints.api.domain.ErrorCode;
import org.civicpoints.api.domain.FieldError;
import org.civicpoints.api.domain.RateLimitedException;
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

  @Override
  public void handle(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    if (failure instanceof DomainException domain) {
      send(ctx, domain.code(), domain.getMessage(), domain.fieldErrors());
    } else if (failure instanceof HttpException http) {
      sendForStatus(ctx, http.getStatusCode());
    } else if (failure == null) {
      sendForStatus(ctx, ctx.statusCode());
    } else {
      LOG.atError()
          .addKeyValue("traceId", TraceIds.of(ctx))
          .setCause(failure)
          .log("Unexpected failure");
      send(ctx, ErrorCode.INTERNAL_ERROR, "Quote the traceId when you report this.", List.of());
    }
  }

  /** Failures that come from Vert.x itself as a bare status (routing, body limits). */
  private static void sendForStatus(RoutingContext ctx, int status) {
    switch (status) {
      case 404 ->
          send(
              ctx,
              ErrorCode.ROUTE_NOT_FOUND,
              "There is no " + ctx.request().path() + ".",
              List.of());
      case 405 ->
          send(
              ctx,
              ErrorCode.METHOD_NOT_ALLOWED,
              ctx.request().method().name() + " is not allowed on " + ctx.request().path() + ".",
              List.of());
      case 413 ->
          send(
              ctx,
              ErrorCode.PAYLOAD_TOO_LARGE,
              "Request bodies are limited to 1048576 bytes.",
              List.of());
      case 415 ->
          send(
              ctx,
              ErrorCode.UNSUPPORTED_MEDIA_TYPE,
              "Send the body as application/json.",
              List.of());
      case 400 -> send(ctx, ErrorCode.VALIDATION_FAILED, "The request cannot be read.", List.of());
      default -> {
        LOG.atError()
            .addKeyValue("traceId", TraceIds.of(ctx))
            .addKeyValue("status", status)
            .log("Failure without cause");
        send(ctx, ErrorCode.INTERNAL_ERROR, "Quote the traceId when you report this.", List.of());
      }
    }
  }

  static void send(
      RoutingContext ctx, ErrorCode code, String detail, List<FieldError> fieldErrors) {
    HttpServerResponse response = ctx.response();
    if (response.headWritten()) {
      // Part of a response is already out; the only honest signal left is to cut the connection.
      response.reset();
      return;
    }
    int status = status(code);
    JsonObject problem =
        new JsonObject()
            .put("type", TYPE_PREFIX + code.name().toLowerCase().replace('_', '-'))
            .put("title", title(code))
            .put("status", status)
            .put("detail", detail)
            .put("code", code.name())
            .put("traceId", TraceIds.of(ctx));
    if (!fieldErrors.isEmpty()) {
      JsonArray errors = new JsonArray();
      fieldErrors.forEach(
          e -> errors.add(new JsonObject().put("field", e.field()).put("message", e.message())));
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
        .end(problem.encode());
  }

  static int status(ErrorCode code) {
    return switch (code) {
      case VALIDATION_FAILED, MALFORMED_JSON -> 400;
      case UNAUTHENTICATED,
          INVALID_TOKEN,
          INVALID_ID_TOKEN,
          INVALID_REFRESH_TOKEN,
          REFRESH_TOKEN_REUSED ->
          401;
      case FORBIDDEN, SELF_DECISION -> 403;
      case NOT_FOUND, ROUTE_NOT_FOUND -> 404;
      case METHOD_NOT_ALLOWED -> 405;
      case PAYLOAD_TOO_LARGE -> 413;
      case UNSUPPORTED_MEDIA_TYPE -> 415;
      case RATE_LIMITED -> 429;
      case INTERNAL_ERROR -> 500;
      case IDENTITY_PROVIDER_UNAVAILABLE, LEDGER_UNAVAILABLE -> 503;
      case INVALID_STATE, ACTIVITY_FULL, ALREADY_CLAIMED, ACTIVITY_CANCELLED -> 409;
      case IDEMPOTENCY_KEY_REUSED,
          WRONG_CHECK_IN_CODE,
          OUTSIDE_GEOFENCE,
          NOT_ENROLLED,
          TOO_MANY_UNITS,
          OUTSIDE_ACTIVITY_HOURS,
          LOCATION_REQUIRED,
          CHECK_IN_REQUIRED ->
          422;
    };
  }

  private static String title(ErrorCode code) {
    return switch (code) {
      case VALIDATION_FAILED -> "The request is not valid";
      case MALFORMED_JSON -> "The body is not valid JSON";
      case UNAUTHENTICATED -> "Authentication is required";
      case INVALID_TOKEN -> "The access token is not valid";
      case INVALID_ID_TOKEN -> "The ID token is not valid";
      case INVALID_REFRESH_TOKEN -> "The refresh token is not valid";
      case REFRESH_TOKEN_REUSED -> "The refresh token was used twice";
      case FORBIDDEN -> "Not allowed";
      case NOT_FOUND -> "Not found";
      case ROUTE_NOT_FOUND -> "No such route";
      case METHOD_NOT_ALLOWED -> "Method not allowed";
      case PAYLOAD_TOO_LARGE -> "The request body is too large";
      case UNSUPPORTED_MEDIA_TYPE -> "Unsupported media type";
      case RATE_LIMITED -> "Too many requests";
      case INTERNAL_ERROR -> "Something went wrong on our side";
      case IDENTITY_PROVIDER_UNAVAILABLE -> "Sign-in is unavailable";
      case LEDGER_UNAVAILABLE -> "The ledger is unavailable";
      case INVALID_STATE -> "Not possible in the object's current state";
      case IDEMPOTENCY_KEY_REUSED -> "The Idempotency-Key was used for another request";
      case ACTIVITY_FULL -> "The activity is full";
      case WRONG_CHECK_IN_CODE -> "The check-in code is wrong or expired";
      case OUTSIDE_GEOFENCE -> "The location is outside the activity's area";
      case NOT_ENROLLED -> "Not enrolled in the activity";
      case SELF_DECISION -> "Nobody decides on their own behalf";
      case ALREADY_CLAIMED -> "Already claimed for that day";
      case TOO_MANY_UNITS -> "More units than the activity lasted";
      case OUTSIDE_ACTIVITY_HOURS -> "Outside the activity's hours";
      case LOCATION_REQUIRED -> "The activity needs your location";
      case CHECK_IN_REQUIRED -> "The member did not check in";
      case ACTIVITY_CANCELLED -> "The activity is cancelled";
    };
  }
}
