package org.civicpoints.api.http;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Supplier;

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
