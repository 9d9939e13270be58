package org.civicpoints.api.mongo;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.gt;
import static com.mongodb.client.model.Filters.gte;
import static com.mongodb.client.model.Filters.lt;
import static com.mongodb.client.model.Filters.lte;
import static com.mongodb.client.model.Filters.ne;
import static com.mongodb.client.model.Filters.nin;

import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.IndexModel;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.InsertManyOptions;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.Updates;
import com.mongodb.client.model.WriteModel;
import com.mongodb.reactivestreams.client.MongoCollection;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.civicpoints.api.domain.EntryKind;
import org.civicpoints.api.domain.MovedEntry;
import org.civicpoints.api.domain.SubmissionStatus;
import org.civicpoints.api.mongo.PositionedDocuments.Change;
import org.civicpoints.api.port.PointsReadModel;
import org.civicpoints.api.port.ProjectorCheckpoints;

/**
 * Read models the projector keeps: {@code balances} (one document per member, written by {@link
 * PositionedDocuments}), {@code ledger_entries} (one per entry, _id = entryId, so a replay inserts
 * nothing), and the ledger outcome on {@code submissions} and {@code point_rules}.
 */
public final class MongoPointsReadModel implements PointsReadModel {

  private static final FindOneAndUpdateOptions BEFORE =
      new FindOneAndUpdateOptions().returnDocument(ReturnDocument.BEFORE);

  private final MongoCollection<Document> checkpoints;
  private final MongoCollection<Document> balances;
  private final MongoCollection<Document> entries;
  private final MongoCollection<Document> submissions;
  private final MongoCollection<Document> rules;
  private final PositionedDocuments balanceWrites;
  private final MongoCollection<Document> lots;
  private final PositionedDocuments lotWrites;

  public MongoPointsReadModel(MongoStore store) {
    this.checkpoints = store.database().getCollection("ledger_checkpoints");
    this.balances = store.database().getCollection("balances");
    this.entries = store.database().getCollection("ledger_entries");
    this.submissions = store.database().getCollection("submissions");
    this.rules = store.database().getCollection("point_rules");
    this.balanceWrites = new PositionedDocuments(store, balances);
    this.lots = store.database().getCollection("point_lots");
    this.lotWrites = new PositionedDocuments(store, lots);
  }

  /** Idempotent; run once at start-up, before the adapter is used. */
  public Future<Void> createIndexes() {
    // A member's entries, newest first (MongoDB serves it from this index; mongo-java-server
    // scans).
    return Publishers.done(
            entries.createIndexes(
                List.of(
                    new IndexModel(
                        Indexes.compoundIndex(
                            Indexes.ascending("memberId"), Indexes.descending("position")),
                        new IndexOptions().name("member_position")))))
        .compose(v -> balanceWrites.createIndexes())
        .compose(v -> lotWrites.createIndexes())
        .compose(
            v ->
                Publishers.done(
                    lots.createIndexes(
                        List.of(
                            new IndexModel(Indexes.ascending("memberId")),
                            new IndexModel(Indexes.ascending("year"))))));
  }

  @Override
  public Future<Void> recordEntries(List<MovedEntry> moved) {
    List<Document> documents = moved.stream().map(MongoPointsReadModel::entryDocument).toList();
    return Publishers.done(entries.insertMany(documents, new InsertManyOptions().ordered(false)))
        .recover(
            failure ->
                DuplicateKey.onlyInBulk(failure)
                    ? Future.succeededFuture()
                    : Future.failedFuture(failure));
  }

  /** Balances and lots ({@code point_lots}, one document per member and earning year). */
  @Override
  public Future<Void> applyBalances(List<MovedEntry> moved) {
    return Future.all(
            balanceWrites.apply(moved.stream().map(MongoPointsReadModel::balanceChange).toList()),
            lotWrites.apply(moved.stream().flatMap(entry -> lotChanges(entry).stream()).toList()))
        .mapEmpty();
  }

  /**
   * The member's lots after the entry: set to what the chain says each lot it touched holds ({@code
   * lotsAfter}, so a migrated lot and a debt the chain moved land where the chain has them); an
   * expiry also closes its lot. An entry from before the chain said {@code lotsAfter} adds what it
   * moved instead: awards and refunds add, redemptions and reversals take.
   */
  private static List<Change> lotChanges(MovedEntry entry) {
    boolean settled = !entry.lotsAfter().isEmpty();
    long sign = entry.kind() == EntryKind.AWARD || entry.kind() == EntryKind.REFUND ? 1 : -1;
    Map<Integer, Long> touched = settled ? entry.lotsAfter() : entry.lots();
    return touched.entrySet().stream()
        .map(
            lot -> {
              Document points =
                  new Document("points", settled ? lot.getValue() : sign * lot.getValue());
              Document sets = settled ? points : new Document();
              if (entry.kind() == EntryKind.EXPIRY && entry.lots().containsKey(lot.getKey())) {
                sets.append("closed", true);
              }
              return new Change(
                  new Lot(entry.memberId(), lot.getKey(), 0).id(),
                  entry.position(),
                  settled ? new Document() : points,
                  sets,
                  new Document("memberId", entry.memberId())
                      .append("year", lot.getKey())
                      .append("closed", false));
            })
        .toList();
  }

  @Override
  public Future<List<Lot>> openLots(int fromYear, int throughYear, String afterLotId, int limit) {
    List<Bson> conditions =
        new ArrayList<>(
            List.of(
                gte("year", fromYear),
                lte("year", throughYear),
                gt("points", 0L),
                eq("closed", false)));
    if (afterLotId != null) {
      conditions.add(gt("_id", afterLotId));
    }
    return Publishers.all(lots.find(and(conditions)).sort(Sorts.ascending("_id")).limit(limit))
        .map(found -> found.stream().map(MongoPointsReadModel::lot).toList());
  }

  @Override
  public Future<List<Lot>> openLots(String memberId) {
    return Publishers.all(
            lots.find(and(eq("memberId", memberId), gt("points", 0L), eq("closed", false)))
                .sort(Sorts.ascending("year")))
        .map(found -> found.stream().map(MongoPointsReadModel::lot).toList());
  }

  private static Lot lot(Document found) {
    return new Lot(
        found.getString("memberId"),
        (int) Documents.number(found, "year"),
        Documents.number(found, "points"));
  }

  private static Change balanceChange(MovedEntry entry) {
    String total =
        switch (entry.kind()) {
          case AWARD -> "earned";
          case REDEMPTION -> "spent";
          case REVERSAL -> "reversed";
          case REFUND -> "refunded";
          case EXPIRY -> "expired";
          case ADJUSTMENT -> null; // moves the balance only
        };
    Document increments = new Document("entries", 1L);
    if (total != null) {
      // Every total counts a size: awards and refunds carry positive points, the others negative.
      increments.append(total, Math.abs(entry.points()));
    }
    return new Change(
        entry.memberId(),
        entry.position(),
        increments,
        new Document("balance", entry.balanceAfter())
            .append("asOfBlock", entry.position().blockNumber()),
        new Document());
  }

  @Override
  public Future<Map<String, AwardSubmission>> awardSubmissions(Collection<String> submissionIds) {
    if (submissionIds.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    return IdLookup.byIds(
            submissions,
            submissionIds,
            Projections.include("memberId", "requestedPoints", "ledger.state", "ledger.leaseOwner"))
        .map(
            found -> {
              Map<String, AwardSubmission> byId = new HashMap<>();
              found.forEach(
                  document -> byId.put(document.getString("_id"), awardSubmission(document)));
              return byId;
            });
  }

  private static AwardSubmission awardSubmission(Document submission) {
    Document ledger = submission.get("ledger", Document.class);
    return new AwardSubmission(
        submission.getString("memberId"),
        Documents.number(submission, "requestedPoints"),
        ledger == null ? null : ledger.getString("state"),
        ledger == null ? null : ledger.getString("leaseOwner"));
  }

  @Override
  public Future<Void> awardsRecorded(List<RecordedAward> awards) {
    List<RecordedAward> pending =
        awards.stream().filter(award -> !award.submission().recorded()).toList();
    if (pending.isEmpty()) {
      return Future.succeededFuture();
    }
    List<WriteModel<Document>> writes =
        pending.stream()
            .<WriteModel<Document>>map(
                award ->
                    new UpdateOneModel<>(
                        // Flat {_id, state, leaseOwner}: the outbox's lookup index serves it on the
                        // embedded store.
                        new Document("_id", award.entry().entryId())
                            .append("ledger.state", award.submission().seenState())
                            .append("ledger.leaseOwner", award.submission().seenLeaseOwner()),
                        recorded(award)))
            .toList();
    return Publishers.first(submissions.bulkWrite(writes, new BulkWriteOptions().ordered(false)))
        .compose(
            result ->
                result.getMatchedCount() == writes.size()
                    ? Future.succeededFuture()
                    // Some moved on in between (a claim or a write-back): look again and record
                    // those.
                    : awardSubmissions(
                            pending.stream().map(award -> award.entry().entryId()).toList())
                        .compose(
                            now ->
                                awardsRecorded(
                                    pending.stream()
                                        .filter(award -> now.containsKey(award.entry().entryId()))
                                        .map(
                                            award ->
                                                new RecordedAward(
                                                    award.entry(),
                                                    now.get(award.entry().entryId()),
                                                    award.capReason()))
                                        .toList())));
  }

  private static Bson recorded(RecordedAward award) {
    MovedEntry entry = award.entry();
    List<Bson> updates =
        new ArrayList<>(
            List.of(
                Updates.set("status", SubmissionStatus.RECORDED.name()),
                Updates.set("ledger.state", "DONE"),
                Updates.set("ledger.txId", entry.txId()),
                Updates.set("ledger.blockNumber", entry.position().blockNumber()),
                Updates.set("ledger.points", entry.points()),
                Updates.set("ledger.requestedPoints", award.submission().requestedPoints()),
                Updates.set("ledger.recordedAt", new Date()),
                Updates.set("updatedAt", new Date())));
    if (award.capReason() != null) {
      updates.add(Updates.set("ledger.reason", award.capReason()));
    }
    return Updates.combine(updates);
  }

  @Override
  public Future<Optional<ReversalApplied>> reversalRecorded(String submissionId, MovedEntry entry) {
    Bson update =
        Updates.combine(
            Updates.set("status", "REVERSED"),
            Updates.set("reversal.state", "DONE"),
            Updates.set("reversal.txId", entry.txId()),
            Updates.set("reversal.blockNumber", entry.position().blockNumber()),
            Updates.set("reversal.points", entry.points()),
            Updates.set("updatedAt", new Date()));
    return Publishers.first(
            submissions.findOneAndUpdate(
                and(eq("_id", submissionId), ne("reversal.state", "DONE")), update, BEFORE))
        .map(
            before ->
                Optional.ofNullable(before)
                    .map(
                        found ->
                            new ReversalApplied(
                                found.getString("_id"),
                                found.getString("memberId"),
                                entry.points())));
  }

  @Override
  public Future<Void> ruleOnChain(String ruleId, long version) {
    return Publishers.done(
        rules.updateOne(
            and(eq("_id", ruleId), eq("version", version), ne("ledger.state", "DONE")),
            Updates.combine(
                Updates.set("ledger.state", "DONE"), Updates.set("ledger.doneAt", new Date()))));
  }

  @Override
  public Future<Balance> balance(String memberId) {
    return Publishers.first(balances.find(eq("_id", memberId)))
        .map(
            found ->
                found == null
                    ? Balance.empty(memberId)
                    : new Balance(
                        memberId,
                        Documents.number(found, "balance"),
                        Documents.number(found, "earned"),
                        Documents.number(found, "spent"),
                        Documents.number(found, "reversed"),
                        Documents.number(found, "refunded"),
                        Documents.number(found, "expired"),
                        Documents.number(found, "asOfBlock")));
  }

  @Override
  public Future<Long> pendingPoints(String memberId) {
    return Publishers.all(
            submissions.aggregate(
                List.of(
                    new Document(
                        "$match",
                        new Document("memberId", memberId)
                            .append("status", SubmissionStatus.APPROVED.name())),
                    new Document(
                        "$group",
                        new Document("_id", null)
                            .append("sum", new Document("$sum", "$requestedPoints"))))))
        .map(groups -> groups.isEmpty() ? 0L : Documents.number(groups.get(0), "sum"));
  }

  @Override
  public Future<List<EntryView>> entries(String memberId, Long before, int limit) {
    Bson filter =
        before == null
            ? eq("memberId", memberId)
            : and(eq("memberId", memberId), lt("position", before));
    return Publishers.all(entries.find(filter).sort(Sorts.descending("position")).limit(limit))
        .map(found -> found.stream().map(MongoPointsReadModel::entryView).toList());
  }

  @Override
  public Future<Optional<EntryView>> entry(String entryId) {
    return Publishers.first(entries.find(eq("_id", entryId)))
        .map(found -> Optional.ofNullable(found).map(MongoPointsReadModel::entryView));
  }

  @Override
  public Future<Void> rebuildMember(String memberId, List<MovedEntry> moved) {
    List<WriteModel<Document>> writes =
        moved.stream()
            .<WriteModel<Document>>map(
                entry ->
                    new ReplaceOneModel<>(
                        eq("_id", entry.entryId()),
                        entryDocument(entry),
                        new ReplaceOptions().upsert(true)))
            .toList();
    List<String> entryIds = moved.stream().map(MovedEntry::entryId).toList();
    Future<Void> written =
        writes.isEmpty()
            ? Future.succeededFuture()
            : Publishers.done(entries.bulkWrite(writes, new BulkWriteOptions().ordered(false)));
    return written
        .compose(
            v ->
                Publishers.done(
                    entries.deleteMany(and(eq("memberId", memberId), nin("_id", entryIds)))))
        .compose(
            v ->
                balanceWrites.rebuild(
                    eq("_id", memberId),
                    moved.stream().map(MongoPointsReadModel::balanceChange).toList()))
        .compose(
            v ->
                lotWrites.rebuild(
                    eq("memberId", memberId),
                    moved.stream().flatMap(entry -> lotChanges(entry).stream()).toList()));
  }

  @Override
  public Future<Void> dropForReplay() {
    return Publishers.done(balances.drop())
        .compose(v -> Publishers.done(entries.drop()))
        .compose(v -> Publishers.done(lots.drop()))
        .compose(
            v -> Publishers.done(checkpoints.deleteOne(eq("_id", ProjectorCheckpoints.POINTS))))
        .compose(v -> createIndexes());
  }

  private static Document entryDocument(MovedEntry entry) {
    return new Document("_id", entry.entryId())
        .append("memberId", entry.memberId())
        .append("kind", entry.kind().name())
        .append("points", entry.points())
        .append("category", entry.category())
        .append("orgUnitId", entry.orgUnitId())
        .append("occurredOn", entry.occurredOn().toString())
        .append("balanceAfter", entry.balanceAfter())
        .append("txId", entry.txId())
        .append("blockNumber", entry.position().blockNumber())
        .append("position", entry.position().asLong());
  }

  private static EntryView entryView(Document found) {
    return new EntryView(
        found.getString("_id"),
        found.getString("memberId"),
        EntryKind.valueOf(found.getString("kind")),
        Documents.number(found, "points"),
        found.getString("category"),
        found.getString("occurredOn"),
        found.getString("txId"),
        Documents.number(found, "blockNumber"),
        Documents.number(found, "position"));
  }
}
