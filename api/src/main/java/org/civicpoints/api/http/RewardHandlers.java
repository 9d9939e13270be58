package org.civicpoints.api.http;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.civicpoints.api.domain.PickupCode;
import org.civicpoints.api.domain.Redemption;
import org.civicpoints.api.domain.Reward;
import org.civicpoints.api.service.RedemptionService;
import org.civicpoints.api.service.RewardService;
import org.civicpoints.api.service.RewardService.Listing;
import org.civicpoints.api.service.RewardService.RewardFields;

/**
 * Tag "Rewards": the catalog, redemption, pickup. Clients never write a status, points or a pickup
 * code: the contract's schemas have no such fields to send.
 */
public final class RewardHandlers {

  private static final String REDEMPTION_ID = "redemptionId";
  private final RewardService catalog;
  private final RedemptionService redemptions;
  private final WorkerExecutor exportWorkers;

  public RewardHandlers(
      RewardService catalog, RedemptionService redemptions, WorkerExecutor exportWorkers) {
    this.catalog = catalog;
    this.redemptions = redemptions;
    this.exportWorkers = exportWorkers;
  }

  public Map<String, Handler<RoutingContext>> operations() {
    Map<String, Handler<RoutingContext>> operations = new HashMap<>();
    operations.put("createReward", this::create);
    operations.put("listRewards", this::list);
    operations.put("getReward", Replies.byId("rewardId", catalog::get, RewardHandlers::reward));
    operations.put("changeReward", this::change);
    operations.put("redeemReward", this::redeem);
    operations.put(
        "listMyRedemptions", Replies.page(redemptions::listMine, RewardHandlers::redemption));
    operations.put("listRedemptions", this::listOfReward);
    operations.put(
        "getRedemption", Replies.byId(REDEMPTION_ID, redemptions::get, RewardHandlers::redemption));
    operations.put("fulfilRedemption", this::fulfil);
    operations.put("cancelRedemption", this::cancel);
    operations.put("exportRedemptions", this::export);
    return operations;
  }

  private void create(RoutingContext ctx) {
    JsonObject body = ValidInput.of(ctx).body();
    Replies.json(
        ctx,
        201,
        () ->
            catalog
                .create(Authentication.caller(ctx), body.getString("scope"), fields(body))
                .map(reward -> new JsonObject().put("rewardId", reward.rewardId())));
  }

  private void list(RoutingContext ctx) {
    ValidInput input = ValidInput.of(ctx);
    Replies.page(
        ctx,
        (caller, cursor, limit) ->
            catalog.list(
                caller,
                new Listing(
                    input.queryParam("scope"),
                    Inputs.queryEnum(input, "category", Reward.Category.class),
                    Inputs.flag(input, "affordable"),
                    cursor,
                    limit)),
        RewardHandlers::reward);
  }

  private void change(RoutingContext ctx) {
    JsonObject body = ValidInput.of(ctx).body();
    Replies.byId(
        ctx,
        "rewardId",
        (caller, rewardId) -> catalog.change(caller, rewardId, fields(body)),
        RewardHandlers::reward);
  }

  /** Like a submission: a replay answers 201 with the first request's redemption. */
  private void redeem(RoutingContext ctx) {
    String rewardId = ValidInput.of(ctx).pathParam("rewardId");
    String idempotencyKey = ctx.request().getHeader("Idempotency-Key");
    Replies.json(
        ctx,
        201,
        () ->
            redemptions
                .redeem(Authentication.caller(ctx), rewardId, idempotencyKey)
                .map(
                    redemption ->
                        new JsonObject()
                            .put("redemptionId", redemption.redemptionId())
                            .put("status", redemption.status().name())));
  }

  private void listOfReward(RoutingContext ctx) {
    ValidInput input = ValidInput.of(ctx);
    Replies.page(
        ctx,
        (caller, cursor, limit) ->
            redemptions.listOfReward(
                caller,
                input.queryParam("rewardId"),
                status(input),
                Inputs.day(input, "day"),
                cursor,
                limit),
        RewardHandlers::redemption);
  }

  private static Redemption.Status status(ValidInput input) {
    return Inputs.queryEnum(input, "status", Redemption.Status.class);
  }

  private void fulfil(RoutingContext ctx) {
    JsonObject body = ValidInput.of(ctx).body();
    Replies.byId(
        ctx,
        REDEMPTION_ID,
        (caller, redemptionId) ->
            redemptions.fulfil(
                caller, redemptionId, body.getString("pickupCode"), body.getString("place")),
        RewardHandlers::redemption);
  }

  private void cancel(RoutingContext ctx) {
    JsonObject body = ValidInput.of(ctx).body();
    Replies.byId(
        ctx,
        REDEMPTION_ID,
        (caller, redemptionId) ->
            redemptions.cancel(caller, redemptionId, body.getString("reason").strip()),
        RewardHandlers::redemption);
  }

  /**
   * CSV with a byte-order mark, CRLF and RFC 4180 quoting, cells a spreadsheet would run as a
   * formula defused, or XLSX whose text cells are never formulas (the leaderboard export's
   * writers); a reward's redemptions fit in memory.
   */
  private void export(RoutingContext ctx) {
    ValidInput input = ValidInput.of(ctx);
    String rewardId = input.pathParam("rewardId");
    String format = "xlsx".equals(input.queryParam("format")) ? "xlsx" : "csv";
    Future<List<Redemption>> all;
    try {
      all =
          redemptions.export(
              Authentication.caller(ctx),
              rewardId,
              status(input),
              Inputs.day(input, "day"),
              format);
    } catch (RuntimeException refused) {
      ctx.fail(refused);
      return;
    }
    all.compose(found -> file(format, found))
        .onSuccess(
            file ->
                ctx.response()
                    .putHeader(
                        "Content-Type",
                        "xlsx".equals(format) ? Contract.XLSX : Contract.CSV + "; charset=utf-8")
                    .putHeader(
                        "Content-Disposition",
                        "attachment; filename=\"redemptions_" + rewardId + "." + format + "\"")
                    .end(file))
        .onFailure(ctx::fail);
  }

  private Future<Buffer> file(String format, List<Redemption> all) {
    List<List<?>> rows = new ArrayList<>();
    rows.add(EXPORT_COLUMNS);
    all.forEach(redemption -> rows.add(exportRow(redemption)));
    if ("xlsx".equals(format)) {
      return exportWorkers.executeBlocking(
          () -> Buffer.buffer(XlsxExportStream.workbook("redemptions", rows)), false);
    }
    StringBuilder csv = new StringBuilder("\uFEFF");
    rows.forEach(row -> csv.append(CsvExportStream.line(row)));
    return Future.succeededFuture(Buffer.buffer(csv.toString()));
  }

  private static final List<String> EXPORT_COLUMNS =
      List.of(
          "redemption_id",
          "member_id",
          "title",
          "points_cost",
          "status",
          "reason",
          "tx_id",
          "block_number",
          "created_at",
          "fulfilled_by",
          "fulfilled_at",
          "fulfilled_on",
          "cancelled_by");

  private static List<Object> exportRow(Redemption redemption) {
    return java.util.Arrays.asList(
        redemption.redemptionId(),
        redemption.memberId(),
        redemption.title(),
        redemption.pointsCost(),
        redemption.status().name(),
        redemption.reason(),
        redemption.txId(),
        redemption.blockNumber(),
        redemption.createdAt().toString(),
        redemption.fulfilledBy(),
        redemption.fulfilledAt(),
        redemption.fulfilledOn() == null ? null : redemption.fulfilledOn().toString(),
        redemption.cancelledBy());
  }

  private static RewardFields fields(JsonObject body) {
    String category = body.getString("category");
    return new RewardFields(
        strip(body.getString("title")),
        body.getString("description"),
        body.getString("imageUrl"),
        category == null ? null : Reward.Category.valueOf(category),
        body.getLong("pointsCost"),
        body.getLong("stock"),
        body.getInteger("limitPerMonth"),
        body.getInteger("limitPerYear"),
        Inputs.instant(body, "availableFrom"),
        Inputs.instant(body, "availableUntil"),
        body.getString("pickupPlace"),
        body.getString("pickupHours"),
        body.getInteger("pickupDeadlineDays"),
        body.getBoolean("active"));
  }

  private static String strip(String text) {
    return text == null ? null : text.strip();
  }

  static JsonObject reward(Reward reward) {
    Map<String, Object> json = new HashMap<>();
    json.put("rewardId", reward.rewardId());
    json.put("scope", reward.scope());
    json.put("title", reward.title());
    json.put("description", reward.description());
    json.put("imageUrl", reward.imageUrl());
    json.put("category", reward.category().name());
    json.put("pointsCost", reward.pointsCost());
    json.put("stock", reward.stock());
    json.put("limitPerMonth", reward.limitPerMonth());
    json.put("limitPerYear", reward.limitPerYear());
    json.put("availableFrom", reward.availableFrom());
    json.put("availableUntil", reward.availableUntil());
    json.put("pickupPlace", reward.pickupPlace());
    json.put("pickupHours", reward.pickupHours());
    json.put("pickupDeadlineDays", reward.pickupDeadlineDays());
    json.put("active", reward.active());
    json.put("createdAt", reward.createdAt());
    json.put("updatedAt", reward.updatedAt());
    return present(json);
  }

  static JsonObject redemption(Redemption redemption) {
    Map<String, Object> json = new HashMap<>();
    json.put("redemptionId", redemption.redemptionId());
    json.put("memberId", redemption.memberId());
    json.put("rewardId", redemption.rewardId());
    json.put("scope", redemption.scope());
    json.put("title", redemption.title());
    json.put("pointsCost", redemption.pointsCost());
    json.put("status", redemption.status().name());
    json.put("reason", redemption.reason());
    json.put("txId", redemption.txId());
    json.put("blockNumber", redemption.blockNumber());
    json.put("pickupCode", redemption.pickupCode());
    if (redemption.pickupCode() != null) {
      json.put(
          "qrPayload", PickupCode.qrPayload(redemption.redemptionId(), redemption.pickupCode()));
    }
    json.put("pickupDeadline", redemption.pickupDeadline());
    json.put("fulfilledBy", redemption.fulfilledBy());
    json.put("fulfilledAt", redemption.fulfilledAt());
    json.put("fulfilledOn", redemption.fulfilledOn());
    json.put("cancelledBy", redemption.cancelledBy());
    json.put("cancelReason", redemption.cancelReason());
    if (redemption.refund() != null) {
      Map<String, Object> refund = new HashMap<>();
      refund.put("state", redemption.refund().state());
      refund.put("txId", redemption.refund().txId());
      refund.put("blockNumber", redemption.refund().blockNumber());
      json.put("refund", present(refund));
    }
    json.put("createdAt", redemption.createdAt());
    json.put("updatedAt", redemption.updatedAt());
    return present(json);
  }

  /** Absent values are left out, never null; instants as ISO-8601. */
  private static JsonObject present(Map<String, Object> fields) {
    JsonObject json = new JsonObject();
    fields.forEach((key, value) -> Views.putIfPresent(json, key, value));
    return json;
  }
}
