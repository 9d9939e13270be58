package org.civicpoints.api.mongo;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.gte;
import static com.mongodb.client.model.Filters.in;
import static com.mongodb.client.model.Filters.lt;
import static com.mongodb.client.model.Filters.ne;
import static com.mongodb.client.model.Filters.or;

import com.mongodb.client.model.IndexModel;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import com.mongodb.reactivestreams.client.MongoCollection;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.civicpoints.api.domain.Cursor;
import org.civicpoints.api.domain.Page;
import org.civicpoints.api.domain.Redemption;
import org.civicpoints.api.domain.Redemption.Status;
import org.civicpoints.api.port.Redemptions;

/**
 * Collection {@code redemptions} with the Redeem command in {@code ledger} (the outbox, relayed as
 * {@code LedgerOutbox.Command.REDEMPTION}); {@code redemption_counters} (a member's limit slots per
 * reward and month or year) and {@code pickup_codes} (one document per code: unique by _id).
 */
public final class MongoRedemptions implements Redemptions {

  /** Written, its reservations being taken; the relay leaves it alone until it is QUEUED. */
  private static final String RESERVING = "RESERVING";

  /** Failed before it was queued: never relayed. */
  private static final String GIVEN_UP = "GIVEN_UP";

  /** The redemptions holding a slot of a counter. */
  private static final String HOLDERS = "holders";

  private final MongoCollection<Document> collection;
  private final MongoCollection<Document> counters;
  private final MongoCollection<Document> pickupCodes;

  public MongoRedemptions(MongoStore store) {
    this.collection = store.database().getCollection("redemptions");
    this.counters = store.database().getCollection("redemption_counters");
    this.pickupCodes = store.database().getCollection("pickup_codes");
  }

  public Future<Void> createIndexes() {
    return NamedIndexes.create(
        collection,
        // Guards the idempotency of POST /v1/rewards/{rewardId}/redemptions.
        NamedIndexes.unique("memberId", "idempotencyKey"),
        NamedIndexes.ascending("memberId", "createdAt"),
        NamedIndexes.ascending("rewardId", "createdAt"),
        // Finds reservations whose request died (RedemptionService.repairInterrupted).
        new IndexModel(
            Indexes.ascending("ledger.state", "createdAt"),
            new IndexOptions().name("ledgerState_createdAt")),
        NamedIndexes.ascending("status", "pickupDeadline"));
  }

  @Override
  public Future<Boolean> insert(Redemption redemption) {
    Document redeem =
        new Document("entryId", redemption.redemptionId())
            .append("memberId", redemption.memberId())
            .append("points", redemption.pointsCost())
            .append("rewardId", redemption.rewardId())
            .append("actor", redemption.memberId());
    Document document =
        toDocument(redemption)
            .append(
                "ledger",
                new Document("state", RESERVING)
                    .append("entryId", redemption.redemptionId())
                    .append("queuedAt", Date.from(redemption.createdAt()))
                    .append("attempts", 0)
                    .append("leaseUntil", new Date(0))
                    .append("redeem", redeem));
    return DuplicateKey.refusedAsFalse(Publishers.done(collection.insertOne(document)));
  }

  @Override
  public Future<Boolean> queue(String redemptionId) {
    return Publishers.first(
            collection.updateOne(reserving(redemptionId), Updates.set("ledger.state", "QUEUED")))
        .map(result -> result.getModifiedCount() == 1);
  }

  @Override
  public Future<Void> discard(String redemptionId) {
    return Publishers.done(
        collection.deleteOne(and(eq("_id", redemptionId), eq("ledger.state", GIVEN_UP))));
  }

  @Override
  public Future<Boolean> giveUp(String redemptionId, String reason, Instant at) {
    return Publishers.first(
            collection.updateOne(
                reserving(redemptionId),
                Updates.combine(
                    Updates.set("status", Status.FAILED.name()),
                    Updates.set("reason", reason),
                    Updates.set("ledger.state", GIVEN_UP),
                    Updates.set("updatedAt", Date.from(at)))))
        .map(result -> result.getModifiedCount() == 1);
  }

  @Override
  public Future<List<Redemption>> interrupted(Instant cutoff, int limit) {
    Date before = Date.from(cutoff);
    return Publishers.all(
            collection
                .find(
                    or(
                        and(eq("ledger.state", RESERVING), lt("createdAt", before)),
                        and(
                            in("status", Status.FAILED.name(), Status.CANCELLED.name()),
                            ne("released", true),
                            lt("updatedAt", before))))
                .limit(limit))
        .map(documents -> documents.stream().map(MongoRedemptions::toRedemption).toList());
  }

  private static Bson reserving(String redemptionId) {
    return and(eq("_id", redemptionId), eq("ledger.state", RESERVING));
  }

  @Override
  public Future<Map<String, String>> titles(String memberId, List<String> redemptionIds) {
    if (redemptionIds.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    return Publishers.all(
            collection
                .find(and(in("_id", redemptionIds), eq("memberId", memberId)))
                .projection(new Document("title", 1)))
        .map(
            found ->
                found.stream()
                    .collect(
                        Collectors.toMap(
                            document -> document.getString("_id"),
                            document -> document.getString("title"))));
  }

  @Override
  public Future<Optional<Redemption>> find(String redemptionId) {
    return one(eq("_id", redemptionId));
  }

  @Override
  public Future<Optional<Redemption>> findByIdempotencyKey(String memberId, String key) {
    return one(and(eq("memberId", memberId), eq("idempotencyKey", key)));
  }

  /**
   * The filter matches only a counter below the limit that {@code redemptionId} does not hold yet;
   * otherwise the upsert's insert hits the _id and fails with a duplicate key: the slot is refused,
   * atomically. The counter names its holders, so a slot is given back once per redemption.
   */
  @Override
  public Future<Boolean> takeSlot(String counterId, int limit, String redemptionId) {
    return DuplicateKey.refusedAsFalse(
        Publishers.done(
            counters.updateOne(
                // Flat, not Filters.and: the embedded store's upsert takes the _id from it.
                new Document("_id", counterId)
                    .append("taken", new Document("$lt", limit))
                    .append(HOLDERS, new Document("$ne", redemptionId)),
                Updates.combine(Updates.inc("taken", 1), Updates.push(HOLDERS, redemptionId)),
                new UpdateOptions().upsert(true))));
  }

  @Override
  public Future<Boolean> holdsSlot(String counterId, String redemptionId) {
    return Publishers.first(
            counters.countDocuments(and(eq("_id", counterId), eq(HOLDERS, redemptionId))))
        .map(count -> count == 1);
  }

  @Override
  public Future<Void> returnSlot(String counterId, String redemptionId) {
    return Publishers.done(
        counters.updateOne(
            and(eq("_id", counterId), eq(HOLDERS, redemptionId)),
            Updates.combine(Updates.inc("taken", -1), Updates.pull(HOLDERS, redemptionId))));
  }

  @Override
  public Future<Void> markReleased(String redemptionId) {
    return Publishers.done(
        collection.updateOne(eq("_id", redemptionId), Updates.set("released", true)));
  }

  @Override
  public Future<Boolean> redeemed(
      String redemptionId,
      String txId,
      long blockNumber,
      String pickupCode,
      Instant pickupDeadline,
      Instant at) {
    return Publishers.first(
            collection.updateOne(
                and(eq("_id", redemptionId), eq("status", Status.PENDING.name())),
                Updates.combine(
                    Updates.set("status", Status.REDEEMED.name()),
                    Updates.set("txId", txId),
                    Updates.set("blockNumber", blockNumber),
                    Updates.set("pickupCode", pickupCode),
                    Updates.set("pickupDeadline", Date.from(pickupDeadline)),
                    Updates.set("ledger.state", "DONE"),
                    Updates.set("updatedAt", Date.from(at)))))
        .map(result -> result.getModifiedCount() == 1);
  }

  @Override
  public Future<Boolean> claimPickupCode(String pickupCode, String redemptionId) {
    return DuplicateKey.refusedAsFalse(
        Publishers.done(
            pickupCodes.insertOne(
                new Document("_id", pickupCode).append("redemptionId", redemptionId))));
  }

  @Override
  public Future<Boolean> fulfil(
      String redemptionId, String pickupCode, String staffId, String where, Instant at) {
    return Publishers.first(
            collection.updateOne(
                and(
                    eq("_id", redemptionId),
                    eq("status", Status.REDEEMED.name()),
                    eq("pickupCode", pickupCode)),
                Updates.combine(
                    Updates.set("status", Status.FULFILLED.name()),
                    Updates.set("fulfilledBy", staffId),
                    Updates.set("fulfilledAt", where),
                    Updates.set("fulfilledOn", Date.from(at)),
                    Updates.set("updatedAt", Date.from(at)))))
        .map(result -> result.getModifiedCount() == 1);
  }

  @Override
  public Future<Boolean> cancel(
      String redemptionId, String actor, String reason, String chainReason, Instant at) {
    Document refund =
        new Document("state", "QUEUED")
            .append("entryId", Redemption.refundEntryId(redemptionId))
            .append("redemptionEntryId", redemptionId)
            .append("reason", chainReason)
            .append("actor", actor)
            .append("queuedAt", Date.from(at))
            .append("attempts", 0)
            .append("leaseUntil", new Date(0));
    return Publishers.first(
            collection.updateOne(
                new Document("_id", redemptionId).append("status", Status.REDEEMED.name()),
                Updates.combine(
                    Updates.set("status", Status.CANCELLED.name()),
                    Updates.set("cancelledBy", actor),
                    Updates.set("cancelReason", reason),
                    Updates.set("refund", refund),
                    Updates.set("updatedAt", Date.from(at)))))
        .map(result -> result.getModifiedCount() == 1);
  }

  @Override
  public Future<Void> refunded(String redemptionId, String txId, long blockNumber, Instant at) {
    return Publishers.done(
        collection.updateOne(
            and(eq("_id", redemptionId), ne("refund.state", "DONE")),
            Updates.combine(
                Updates.set("refund.state", "DONE"),
                Updates.set("refund.txId", txId),
                Updates.set("refund.blockNumber", blockNumber),
                Updates.set("updatedAt", Date.from(at)))));
  }

  @Override
  public Future<List<Redemption>> overdue(Instant now, int limit) {
    return Publishers.all(
            collection
                .find(
                    and(eq("status", Status.REDEEMED.name()), lt("pickupDeadline", Date.from(now))))
                .sort(Sorts.ascending("pickupDeadline"))
                .limit(limit))
        .map(documents -> documents.stream().map(MongoRedemptions::toRedemption).toList());
  }

  @Override
  public Future<Page<Redemption>> listOfMember(String memberId, Cursor after, int limit) {
    return Paging.ofMember(collection, memberId, after, limit, MongoRedemptions::toRedemption);
  }

  @Override
  public Future<Page<Redemption>> listOfReward(OfReward selection, Cursor after, int limit) {
    return Paging.page(
        collection, filter(selection), "createdAt", after, limit, MongoRedemptions::toRedemption);
  }

  @Override
  public Future<List<Redemption>> allOfReward(OfReward selection) {
    return Publishers.all(
            collection.find(filter(selection)).sort(Sorts.ascending("createdAt", "_id")))
        .map(documents -> documents.stream().map(MongoRedemptions::toRedemption).toList());
  }

  private static Bson filter(OfReward selection) {
    List<Bson> conditions = new ArrayList<>(List.of(eq("rewardId", selection.rewardId())));
    if (selection.status() != null) {
      conditions.add(eq("status", selection.status().name()));
    }
    if (selection.from() != null) {
      conditions.add(gte("createdAt", Date.from(selection.from())));
    }
    if (selection.until() != null) {
      conditions.add(lt("createdAt", Date.from(selection.until())));
    }
    return and(conditions);
  }

  private Future<Optional<Redemption>> one(Bson filter) {
    return Publishers.first(collection.find(filter).first())
        .map(document -> Optional.ofNullable(document).map(MongoRedemptions::toRedemption));
  }

  private static Document toDocument(Redemption redemption) {
    return new Document("_id", redemption.redemptionId())
        .append("memberId", redemption.memberId())
        .append("rewardId", redemption.rewardId())
        .append("scope", redemption.scope())
        .append("title", redemption.title())
        .append("pointsCost", redemption.pointsCost())
        .append("pickupDeadlineDays", redemption.pickupDeadlineDays())
        .append("status", redemption.status().name())
        .append("idempotencyKey", redemption.idempotencyKey())
        .append("month", redemption.month())
        .append("year", redemption.year())
        .append("stockReserved", redemption.stockReserved())
        .append("createdAt", Date.from(redemption.createdAt()))
        .append("updatedAt", Date.from(redemption.updatedAt()));
  }

  private static Redemption.Refund refund(Document refund) {
    if (refund == null) {
      return null;
    }
    Number block = refund.get("blockNumber", Number.class);
    return new Redemption.Refund(
        refund.getString("entryId"),
        refund.getString("state"),
        refund.getString("txId"),
        block == null ? null : block.longValue());
  }

  private static Redemption toRedemption(Document document) {
    Number block = document.get("blockNumber", Number.class);
    Document ledger = document.get("ledger", Document.class);
    String reason =
        document.getString("reason") != null
            ? document.getString("reason")
            : ledger == null ? null : ledger.getString("reason");
    return new Redemption(
        document.getString("_id"),
        document.getString("memberId"),
        document.getString("rewardId"),
        document.getString("scope"),
        document.getString("title"),
        Documents.number(document, "pointsCost"),
        (int) Documents.number(document, "pickupDeadlineDays"),
        Status.valueOf(document.getString("status")),
        reason,
        document.getString("idempotencyKey"),
        document.getString("month"),
        document.getString("year"),
        document.getBoolean("stockReserved", false),
        ledger != null && RESERVING.equals(ledger.getString("state")),
        document.getString("txId"),
        block == null ? null : block.longValue(),
        document.getString("pickupCode"),
        MongoRewards.instant(document, "pickupDeadline"),
        document.getString("fulfilledBy"),
        document.getString("fulfilledAt"),
        MongoRewards.instant(document, "fulfilledOn"),
        document.getString("cancelledBy"),
        document.getString("cancelReason"),
        refund(document.get("refund", Document.class)),
        Documents.instant(document, "createdAt"),
        Documents.instant(document, "updatedAt"));
  }
}
