package org.civicpoints.api.http;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Function;
import java.util.function.Supplier;
import org.civicpoints.api.domain.Caller;
import org.civicpoints.api.domain.Page;

/** Runs a use case and answers its JSON, or routes its failure to {@link Problems}. */
final class Replies {

  private Replies() {}

  static void json(RoutingContext ctx, int status, Supplier<Future<JsonObject>> useCase) {
    started(useCase)
        .onSuccess(
            body ->
                ctx.response()
                    .setStatusCode(status)
                    .putHeader("Content-Type", "application/json")
                    .end(body.encode()))
        .onFailure(ctx::fail);
  }

  static void noContent(RoutingContext ctx, Supplier<Future<Void>> useCase) {
    started(useCase).onSuccess(v -> ctx.response().setStatusCode(204).end()).onFailure(ctx::fail);
  }

  /** A use case on one thing named by its id, as far as the caller may act on it. */
  interface ById<T> {
    Future<T> apply(Caller caller, String id);
  }

  /** A use case that lists what the caller may see, a page after a cursor. */
  interface Listing<T> {
    Future<Page<T>> list(Caller caller, String cursor, int limit);
  }

  /**
   * An operation on the thing whose id is the path parameter {@code idParam}, answering 200 with
   * the view of what the use case answers.
   */
  static <T> Handler<RoutingContext> byId(
      String idParam, ById<T> useCase, Function<T, JsonObject> view) {
    return ctx -> byId(ctx, idParam, useCase, view);
  }

  /**
   * Answers 200 with the view of what the use case answers for the thing whose id is the path
   * parameter {@code idParam}; for operations that read more of the request than the id.
   */
  static <T> void byId(
      RoutingContext ctx, String idParam, ById<T> useCase, Function<T, JsonObject> view) {
    String id = ValidInput.of(ctx).pathParam(idParam);
    json(ctx, 200, () -> useCase.apply(Authentication.caller(ctx), id).map(view));
  }

  /** An operation on the thing whose id is the path parameter {@code idParam}, answering 204. */
  static Handler<RoutingContext> noContentById(String idParam, ById<Void> useCase) {
    return ctx -> {
      String id = ValidInput.of(ctx).pathParam(idParam);
      noContent(ctx, () -> useCase.apply(Authentication.caller(ctx), id));
    };
  }

  /** An operation answering 200 with a page of the caller's listing. */
  static <T> Handler<RoutingContext> page(Listing<T> listing, Function<T, JsonObject> view) {
    return ctx -> page(ctx, listing, view);
  }

  /** Answers 200 with the page that the query parameters {@code cursor} and {@code limit} ask. */
  static <T> void page(RoutingContext ctx, Listing<T> listing, Function<T, JsonObject> view) {
    ValidInput input = ValidInput.of(ctx);
    json(
        ctx,
        200,
        () ->
            listing
                .list(Authentication.caller(ctx), input.queryParam("cursor"), Inputs.limit(input))
                .map(page -> CatalogViews.page(page, view)));
  }

  /**
   * Use cases may refuse synchronously (rate limits, scope checks); that is a failed future too.
   */
  private static <T> Future<T> started(Supplier<Future<T>> useCase) {
    try {
      return useCase.get();
    } catch (RuntimeException refused) {
      return Future.failedFuture(refused);
    }
  }
}
