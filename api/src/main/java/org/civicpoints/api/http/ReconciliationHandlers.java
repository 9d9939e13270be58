package org.civicpoints.api.http;

import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import org.civicpoints.api.domain.Reconciliation;
import org.civicpoints.api.domain.Reconciliation.Mismatch;
import org.civicpoints.api.service.ReconciliationService;
import org.civicpoints.api.service.ReconciliationService.Repair;

/** Tag "Ledger": reconciliations of the read model with the chain, and repairs, for admins. */
public final class ReconciliationHandlers {

  private final ReconciliationService reconciliations;

  public ReconciliationHandlers(ReconciliationService reconciliations) {
    this.reconciliations = reconciliations;
  }

  public Map<String, Handler<RoutingContext>> operations() {
    return Map.of(
        "startReconciliation",
        this::startReconciliation,
        "getReconciliation",
        Replies.byId("reconciliationId", reconciliations::find, ReconciliationHandlers::view),
        "repairReconciledMember",
        this::repairReconciledMember);
  }

  private void startReconciliation(RoutingContext ctx) {
    Replies.json(
        ctx,
        202,
        () ->
            reconciliations
                .start(Authentication.caller(ctx))
                .map(id -> new JsonObject().put("reconciliationId", id)));
  }

  private void repairReconciledMember(RoutingContext ctx) {
    ValidInput input = ValidInput.of(ctx);
    String reconciliationId = input.pathParam("reconciliationId");
    String memberId = input.body().getString("memberId");
    Replies.json(
        ctx,
        200,
        () ->
            reconciliations
                .repair(Authentication.caller(ctx), reconciliationId, memberId)
                .map(ReconciliationHandlers::view));
  }

  private static JsonObject view(Reconciliation run) {
    JsonObject body =
        new JsonObject()
            .put("reconciliationId", run.reconciliationId())
            .put("trigger", run.trigger().name())
            .put("state", run.state().name())
            .put("createdAt", run.createdAt().toString())
            .put("accountsChecked", run.accountsChecked())
            .put("boardsChecked", run.boardsChecked())
            .put("mismatchCount", run.mismatchCount())
            .put("mismatches", Views.array(run.mismatches(), mismatch -> view(mismatch)));
    Views.putIfPresent(body, "startedAt", run.startedAt());
    Views.putIfPresent(body, "finishedAt", run.finishedAt());
    return body;
  }

  private static JsonObject view(Mismatch mismatch) {
    JsonObject body =
        new JsonObject()
            .put("subject", mismatch.subject().name())
            .put("expected", new JsonObject(Map.copyOf(mismatch.expected())))
            .put("actual", new JsonObject(Map.copyOf(mismatch.actual())));
    Views.putIfPresent(body, "memberId", mismatch.memberId());
    Views.putIfPresent(body, "board", mismatch.board());
    return body;
  }

  private static JsonObject view(Repair repair) {
    return new JsonObject()
        .put("memberId", repair.memberId())
        .put("entriesReplayed", repair.entriesReplayed())
        .put("balance", repair.balance());
  }
}
