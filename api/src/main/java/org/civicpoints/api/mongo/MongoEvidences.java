package org.civicpoints.api.mongo;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.lt;

import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import com.mongodb.reactivestreams.client.MongoCollection;
import io.vertx.core.Future;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import org.bson.Document;
import org.civicpoints.api.domain.Evidence;
import org.civicpoints.api.port.Evidences;

/**
 * Evidence records ("evidence", _id = evidenceId; submissionId and communityId only once attached)
 * and daily upload counters ("evidence_uploads", _id = memberId|day).
 */
public final class MongoEvidences implements Evidences {

  private final MongoStore store;
  private final MongoCollection<Document> collection;
  private final MongoCollection<Document> uploads;

  public MongoEvidences(MongoStore store) {
    this.store = store;
    this.collection = store.database().getCollection("evidence");
    this.uploads = store.database().getCollection("evidence_uploads");
  }

  /** Idempotent; run once at start-up, before the adapter is used. */
  public Future<Void> createIndexes() {
    return NamedIndexes.create(
            collection,
            NamedIndexes.ascending("submissionId", "createdAt"),
            NamedIndexes.ascending("memberId", "createdAt"))
        .compose(v -> store.exactLookupIndex(collection, "memberId", "submissionId", "activityId"))
        .compose(v -> store.exactLookupIndex(collection, "submissionId", "activityId"))
        .compose(v -> store.exactLookupIndex(collection, "activityId"));
  }

  /**
   * The filter matches only a counter below the quota; at the quota the upsert's insert hits the
   * _id and fails with a duplicate key: the upload is refused, atomically.
   */
  @Override
  public Future<Boolean> countUpload(String memberId, LocalDate day, int quota) {
    return DuplicateKey.refusedAsFalse(
        Publishers.done(
            uploads.updateOne(
                // Flat, not Filters.and: the embedded store's upsert takes the _id from it.
                new Document("_id", memberId + "|" + day)
                    .append("count", new Document("$lt", quota)),
                Updates.combine(
                    Updates.inc("count", 1), Updates.setOnInsert("day", day.toString())),
                new UpdateOptions().upsert(true))));
  }

  @Override
  public Future<Void> insert(Evidence evidence) {
    return Publishers.done(
        collection.insertOne(
            new Document("_id", evidence.evidenceId())
                .append("memberId", evidence.memberId())
                .append("createdAt", Date.from(evidence.createdAt()))));
  }

  @Override
  public Future<Evidence> find(String evidenceId) {
    return Publishers.first(collection.find(eq("_id", evidenceId))).map(MongoEvidences::toEvidence);
  }

  @Override
  public Future<List<Evidence>> findAll(Collection<String> evidenceIds) {
    return IdLookup.byIds(collection, evidenceIds)
        .map(documents -> documents.stream().map(MongoEvidences::toEvidence).toList());
  }

  @Override
  public Future<Integer> attach(
      Collection<String> evidenceIds, String memberId, String submissionId, String communityId) {
    List<Future<Boolean>> each =
        evidenceIds.stream().map(id -> attachOne(id, memberId, submissionId, communityId)).toList();
    return Future.all(each).map(done -> (int) each.stream().filter(Future::result).count());
  }

  private Future<Boolean> attachOne(
      String evidenceId, String memberId, String submissionId, String communityId) {
    return attachTo("submissionId", submissionId, evidenceId, memberId, communityId);
  }

  @Override
  public Future<Boolean> attachCover(
      String evidenceId, String memberId, String activityId, String communityId) {
    return attachTo("activityId", activityId, evidenceId, memberId, communityId);
  }

  /** A member's evidence not attached to anything yet, attached to one submission or activity. */
  private Future<Boolean> attachTo(
      String field, String ownerId, String evidenceId, String memberId, String communityId) {
    return Publishers.first(
            collection.updateOne(
                new Document("_id", evidenceId)
                    .append("memberId", memberId)
                    .append("submissionId", null)
                    .append("activityId", null),
                Updates.combine(
                    Updates.set(field, ownerId), Updates.set("communityId", communityId))))
        .map(result -> result.getModifiedCount() == 1);
  }

  @Override
  public Future<Void> detachCover(String evidenceId, String activityId) {
    return Publishers.done(
        collection.updateOne(
            new Document("_id", evidenceId).append("activityId", activityId),
            Updates.combine(Updates.unset("activityId"), Updates.unset("communityId"))));
  }

  @Override
  public Future<Void> detach(String submissionId) {
    return Publishers.done(
        collection.updateMany(
            eq("submissionId", submissionId),
            Updates.combine(Updates.unset("submissionId"), Updates.unset("communityId"))));
  }

  @Override
  public Future<List<Evidence>> unattachedBefore(Instant cutoff, int limit) {
    return Publishers.all(
            collection
                .find(
                    and(
                        eq("submissionId", null),
                        eq("activityId", null),
                        lt("createdAt", Date.from(cutoff))))
                .limit(limit))
        .map(documents -> documents.stream().map(MongoEvidences::toEvidence).toList());
  }

  @Override
  public Future<Boolean> deleteUnattached(String evidenceId) {
    return Publishers.first(
            collection.deleteOne(
                new Document("_id", evidenceId)
                    .append("submissionId", null)
                    .append("activityId", null)))
        .map(result -> result.getDeletedCount() == 1);
  }

  @Override
  public Future<Long> forgetUploadsBefore(LocalDate day) {
    return Publishers.first(uploads.deleteMany(lt("day", day.toString())))
        .map(result -> result.getDeletedCount());
  }

  private static Evidence toEvidence(Document document) {
    return document == null
        ? null
        : new Evidence(
            document.getString("_id"),
            document.getString("memberId"),
            Documents.instant(document, "createdAt"),
            document.getString("submissionId"),
            document.getString("communityId"),
            document.getString("activityId"));
  }
}
