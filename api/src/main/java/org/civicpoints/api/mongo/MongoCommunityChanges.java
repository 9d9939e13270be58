package org.civicpoints.api.mongo;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;

import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.IndexModel;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import com.mongodb.reactivestreams.client.MongoCollection;
import io.vertx.core.Future;
import java.util.Date;
import java.util.List;
import org.bson.Document;
import org.civicpoints.api.domain.CommunityChange;
import org.civicpoints.api.domain.CommunityChange.Status;
import org.civicpoints.api.port.CommunityChanges;

/** Community change requests in "community_changes", _id = requestId. */
public final class MongoCommunityChanges implements CommunityChanges {

  private static final FindOneAndUpdateOptions RETURN_UPDATED =
      new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER);

  private final MongoCollection<Document> collection;

  public MongoCommunityChanges(MongoStore store) {
    this.collection = store.database().getCollection("community_changes");
  }

  /** Idempotent; run once at start-up, before the adapter is used. */
  public Future<Void> createIndexes() {
    return Publishers.done(
        collection.createIndexes(
            List.of(
                new IndexModel(
                    Indexes.ascending("memberId", "status"),
                    new IndexOptions().name("memberId_status")),
                new IndexModel(
                    Indexes.ascending("toCommunityId", "status"),
                    new IndexOptions().name("toCommunityId_status")))));
  }

  /** At most one pending request per member: a new one replaces the target of the old one. */
  @Override
  public Future<CommunityChange> putPending(CommunityChange request) {
    Document onInsert =
        new Document("_id", request.requestId())
            .append("fromCommunityId", request.fromCommunityId());
    FindOneAndUpdateOptions upsert =
        new FindOneAndUpdateOptions().upsert(true).returnDocument(ReturnDocument.AFTER);
    return Publishers.first(
            collection.findOneAndUpdate(
                and(eq("memberId", request.memberId()), eq("status", Status.PENDING.name())),
                Updates.combine(
                    new Document("$setOnInsert", onInsert),
                    Updates.set("toCommunityId", request.toCommunityId()),
                    Updates.set("requestedAt", Date.from(request.requestedAt()))),
                upsert))
        .map(MongoCommunityChanges::toChange);
  }

  @Override
  public Future<CommunityChange> findPendingOf(String memberId) {
    return Publishers.first(
            collection.find(and(eq("memberId", memberId), eq("status", Status.PENDING.name()))))
        .map(MongoCommunityChanges::toChange);
  }

  @Override
  public Future<CommunityChange> findById(String requestId) {
    return Publishers.first(collection.find(eq("_id", requestId)))
        .map(MongoCommunityChanges::toChange);
  }

  @Override
  public Future<List<CommunityChange>> listPendingInto(String communityId) {
    return Publishers.all(
            collection
                .find(and(eq("toCommunityId", communityId), eq("status", Status.PENDING.name())))
                .sort(Sorts.ascending("requestedAt")))
        .map(documents -> documents.stream().map(MongoCommunityChanges::toChange).toList());
  }

  @Override
  public Future<CommunityChange> decide(String requestId, Status decided) {
    return Publishers.first(
            collection.findOneAndUpdate(
                and(eq("_id", requestId), eq("status", Status.PENDING.name())),
                Updates.combine(
                    Updates.set("status", decided.name()), Updates.set("decidedAt", new Date())),
                RETURN_UPDATED))
        .map(MongoCommunityChanges::toChange);
  }

  private static CommunityChange toChange(Document document) {
    if (document == null) {
      return null;
    }
    return new CommunityChange(
        document.getString("_id"),
        document.getString("memberId"),
        document.getString("fromCommunityId"),
        document.getString("toCommunityId"),
        Status.valueOf(document.getString("status")),
        Documents.instant(document, "requestedAt"));
  }
}
