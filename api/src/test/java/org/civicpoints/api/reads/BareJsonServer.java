package org.civicpoints.api.reads;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

/**
 * The yardstick of {@link ReadBenchmark}: a bare Vert.x 5 route answering a small JSON object, in a
 * JVM of its own like the API. Prints "listening on 127.0.0.1:PORT" once it listens.
 */
public final class BareJsonServer {

  private BareJsonServer() {}

  public static void main(String[] args) {
    Vertx vertx = Vertx.vertx();
    Router router = Router.router(vertx);
    router
        .get("/json")
        .handler(
            ctx ->
                ctx.response()
                    .putHeader("Content-Type", "application/json")
                    .end(new JsonObject().put("message", "Hello, World!").encode()));
    vertx
        .createHttpServer()
        .requestHandler(router)
        .listen(0, "127.0.0.1")
        .onSuccess(server -> System.out.println("listening on 127.0.0.1:" + server.actualPort()))
        .onFailure(
            failed -> {
              failed.printStackTrace();
              System.exit(1);
            });
  }
}
