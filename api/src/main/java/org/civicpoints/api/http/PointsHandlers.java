package org.civicpoints.api.http;

import static org.civicpoints.api.http.Views.putIfPresent;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Map;
import org.civicpoints.api.domain.Caller;
import org.civicpoints.api.domain.EntryKind;
import org.civicpoints.api.domain.Submission;
import org.civicpoints.api.port.PointsReadModel.EntryView;
import org.civicpoints.api.service.PointsService;
import org.civicpoints.api.service.PointsService.EntriesPage;
import org.civicpoints.api.service.PointsService.MyPoints;
import org.civicpoints.api.service.PointsService.Receipt;
import org.civicpoints.api.service.SubmissionService;

/** Tag "Points": the caller's balance, entries and receipts, and staff's receipt of an award. */
public final class PointsHandlers {

  private final PointsService points;
  private final SubmissionService submissions;

  public PointsHandlers(PointsService points, SubmissionService submissions) {
    this.points = points;
    this.submissions = submissions;
  }

  public Map<String, Handler<RoutingContext>> operations() {
    return Map.of(
        "getMyPoints", this::getMyPoints,
        "listMyPointEntries", this::listMyPointEntries,
        "getMyPointReceipt", Replies.byId("entryId", points::receipt, PointsHandlers::receipt),
        "getSubmissionReceipt", this::getSubmissionReceipt);
  }

  private void getMyPoints(RoutingContext ctx) {
    Replies.json(
        ctx, 200, () -> points.myPoints(Authentication.caller(ctx)).map(PointsHandlers::myPoints));
  }

  private void listMyPointEntries(RoutingContext ctx) {
    ValidInput input = ValidInput.of(ctx);
    Replies.json(
        ctx,
        200,
        () ->
            points
                .myEntries(
                    Authentication.caller(ctx), input.queryParam("cursor"), Inputs.limit(input))
                .compose(page -> explained(Authentication.caller(ctx), page))
                .map(PointsHandlers::entries));
  }

  private static JsonObject entries(Explained explained) {
    EntriesPage page = explained.page();
    JsonObject body =
        Views.items(
            page.items(),
            entry -> {
              JsonObject item = entry(entry, explained.about(entry));
              putIfPresent(item, "rewardTitle", page.rewardTitles().get(entry.entryId()));
              return item;
            });
    putIfPresent(body, "nextCursor", page.nextCursor());
    return body;
  }

  private void getSubmissionReceipt(RoutingContext ctx) {
    String submissionId = ValidInput.of(ctx).pathParam("submissionId");
    Replies.json(
        ctx,
        200,
        () ->
            submissions
                .visible(Authentication.caller(ctx), submissionId)
                .compose(found -> points.awardReceipt(found.submissionId()))
                .map(PointsHandlers::receipt));
  }

  private static JsonObject myPoints(MyPoints mine) {
    return new JsonObject()
        .put("balance", mine.balance().balance())
        .put("earned", mine.balance().earned())
        .put("spent", mine.balance().spent())
        .put("reversed", mine.balance().reversed())
        .put("refunded", mine.balance().refunded())
        .put("expired", mine.balance().expired())
        .put("pending", mine.pending())
        .put("asOfBlock", mine.asOfBlock())
        .put(
            "expiring",
            new JsonArray(
                mine.expiring().stream()
                    .map(
                        lot ->
                            new JsonObject()
                                .put("year", lot.year())
                                .put("points", lot.points())
                                .put("expiresOn", lot.expiresOn().toString()))
                    .toList()));
  }

  /** A page of entries with the caller's submissions they are about. */
  private record Explained(EntriesPage page, Map<String, Submission> submissions) {
    Submission about(EntryView entry) {
      return entry.submissionId().map(submissions::get).orElse(null);
    }
  }

  private Future<Explained> explained(Caller caller, EntriesPage page) {
    List<String> ids =
        page.items().stream().flatMap(entry -> entry.submissionId().stream()).toList();
    return submissions.ownByIds(caller, ids).map(found -> new Explained(page, found));
  }

  /**
   * Why the entry moved what it did, when it is about a submission: the activity's title, an
   * award's request and the cap that cut it, a reversal's reason.
   */
  private static JsonObject entry(EntryView entry, Submission about) {
    JsonObject json =
        new JsonObject()
            .put("entryId", entry.entryId())
            .put("kind", entry.kind().name())
            .put("points", entry.points())
            .put("category", entry.category())
            .put("occurredOn", entry.occurredOn())
            .put("txId", entry.txId())
            .put("blockNumber", entry.blockNumber());
    if (about == null) {
      return json;
    }
    putIfPresent(json, "activityTitle", about.activityTitle());
    if (entry.kind() == EntryKind.AWARD) {
      json.put("requestedPoints", about.requestedPoints());
      putIfPresent(json, "cap", about.cap());
    } else {
      putIfPresent(json, "reason", about.reversalReason());
    }
    return json;
  }

  private static JsonObject receipt(Receipt receipt) {
    EntryView entry = receipt.entry();
    JsonObject body =
        new JsonObject()
            .put("entryId", entry.entryId())
            .put("txId", entry.txId())
            .put("blockNumber", entry.blockNumber())
            .put("points", entry.points())
            .put("kind", entry.kind().name())
            .put("verified", receipt.verified());
    receipt.chain().ifPresent(chain -> body.put("chain", chainEntry(chain)));
    return body;
  }

  /**
   * The ledger's entry; an award's (and its reversal's) names the rule version the chain applied.
   */
  private static JsonObject chainEntry(JsonObject chain) {
    JsonObject entry =
        new JsonObject()
            .put("entryId", chain.getString("entryId"))
            .put("memberId", chain.getString("memberId"))
            .put("kind", chain.getString("kind"))
            .put("points", chain.getLong("points"))
            .put("txId", chain.getString("txId"))
            .put("balanceAfter", chain.getLong("balanceAfter"))
            .put("recordedAt", chain.getString("recordedAt"));
    if (chain.getString("ruleId") != null) {
      entry
          .put("ruleId", chain.getString("ruleId"))
          .put("ruleVersion", chain.getLong("ruleVersion"));
    }
    return entry;
  }
}
