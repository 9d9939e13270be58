package org.civicpoints.api.http;

import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import org.civicpoints.api.service.LedgerStatusService;
import org.civicpoints.api.service.LedgerStatusService.LedgerStatus;
import org.civicpoints.api.service.PointsExpiry;

/** Tag "Ledger": the write path's health for admins. */
public final class LedgerHandlers {

  private final LedgerStatusService status;

  public LedgerHandlers(LedgerStatusService status) {
    this.status = status;
  }

  public Map<String, Handler<RoutingContext>> operations() {
    return Map.of("getLedgerStatus", this::getLedgerStatus);
  }

  private void getLedgerStatus(RoutingContext ctx) {
    Replies.json(
        ctx, 200, () -> status.status(Authentication.caller(ctx)).map(LedgerHandlers::view));
  }

  private static JsonObject view(LedgerStatus status) {
    JsonObject relay =
        new JsonObject()
            .put("queued", status.queued())
            .put("submitted", status.submitted())
            .put("inFlightTransactions", status.inFlightTransactions());
    status.oldestQueuedAge().ifPresent(age -> relay.put("oldestQueuedAgeSeconds", age.toSeconds()));
    JsonObject projection =
        new JsonObject()
            .put("active", status.projecting())
            .put("checkpointBlock", status.checkpointBlock())
            .put("checkpointTxOrdinal", status.checkpointTxOrdinal())
            .put("lagBlocks", status.lagBlocks());
    JsonObject body =
        new JsonObject()
            .put("chainHeight", status.chainHeight())
            .put("relay", relay)
            .put("projection", projection)
            .put("expiry", expiry(status.expiry()));
    status
        .lastError()
        .ifPresent(
            error -> {
              JsonObject last = new JsonObject().put("code", error);
              status.lastErrorAt().ifPresent(at -> last.put("at", at.toString()));
              body.put("lastError", last);
            });
    return body;
  }

  private static JsonObject expiry(PointsExpiry.State state) {
    JsonObject expiry =
        new JsonObject()
            .put("policy", state.policy().kind().name())
            .put("years", state.policy().years())
            .put("commandsPending", state.pending());
    state
        .nextYear()
        .ifPresent(
            year ->
                expiry.put(
                    "next",
                    new JsonObject()
                        .put("year", year)
                        .put("expiresOn", state.nextLastDay().orElseThrow().toString())));
    state
        .lastRun()
        .ifPresent(
            run ->
                expiry.put(
                    "lastRun",
                    new JsonObject()
                        .put("at", run.at().toString())
                        .put("throughYear", run.throughYear())
                        .put("lotsFound", run.lotsFound())));
    return expiry;
  }
}
