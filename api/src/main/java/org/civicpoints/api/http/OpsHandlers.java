package org.civicpoints.api.http;

import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.micrometer.PrometheusScrapingHandler;
import java.util.Map;
import org.civicpoints.api.port.HealthCheck.Status;
import org.civicpoints.api.service.HealthService;
import org.civicpoints.api.service.HealthService.Readiness;

/** Tag "Ops": liveness, readiness, metrics. */
public final class OpsHandlers {

  private final HealthService health;

  public OpsHandlers(HealthService health) {
    this.health = health;
  }

  public Map<String, Handler<RoutingContext>> operations() {
    return Map.of(
        "getLiveness", OpsHandlers::getLiveness,
        "getReadiness", this::getReadiness,
        "getMetrics", PrometheusScrapingHandler.create());
  }

  private static void getLiveness(RoutingContext ctx) {
    ctx.response()
        .putHeader("Content-Type", "application/json")
        .end(new JsonObject().put("status", "UP").put("checks", new JsonObject()).encode());
  }

  private void getReadiness(RoutingContext ctx) {
    health
        .readiness()
        .onSuccess(
            readiness ->
                ctx.response()
                    .setStatusCode(readiness.ready() ? 200 : 503)
                    .putHeader("Content-Type", "application/json")
                    .end(body(readiness).encode()))
        .onFailure(ctx::fail);
  }

  private static JsonObject body(Readiness readiness) {
    JsonObject checks = new JsonObject();
    readiness.checks().forEach((name, status) -> checks.put(name, label(status)));
    return new JsonObject().put("status", readiness.ready() ? "UP" : "DOWN").put("checks", checks);
  }

  private static String label(Status status) {
    return switch (status) {
      case UP -> "up";
      case DOWN -> "down";
    };
  }
}
