package org.civicpoints.api.mongo;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.ne;

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
import org.bson.conversions.Bson;
import org.civicpoints.api.domain.CommunityChange;
import org.civicpoints.api.domain.CommunityChange.Status;
import org.civicpoints.api.port.CommunityChanges;

/**
 * Community change requests in "community_changes", _id = requestId. A pending request carries
 * {@code pendingOf} = its memberId, unique (sparse: decided and withdrawn ones drop it), so a
 * member never has two pending requests, even when two arrive at once.
 */
public final class MongoCommunityChanges implements CommunityChanges {

  private static final FindOneAndUpdateOptions RETURN_UPDATED =
      new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER);

  private static final String PENDING_OF = "pendingOf";

  private final MongoCollection<Document> collection;

  public MongoCommunityChanges(MongoStore store) {
    this.collection = store.database().getCollection("community_changes");
  }

  /** Idempotent; run once at start-up, before the adapter is used. */
  public Future<Void> createIndexes() {
    return NamedIndexes.create(
        collection,
        NamedIndexes.ascending("memberId", "status"),
        NamedIndexes.ascending("toCommunityId", "status"),
        new IndexModel(
            Indexes.ascending(PENDING_OF),
            new IndexOptions().name(PENDING_OF).unique(true).sparse(true)));
  }

  @Override
  public Future<CommunityChange> withdrawPending(String memberId, String toCommunityId) {
    return Publishers.first(
            collection.findOneAndUpdate(
                and(
                    eq("memberId", memberId),
                    eq("status", Status.PENDING.name()),
                    ne("toCommunityId", toCommunityId)),
                closed(Status.WITHDRAWN),
                RETURN_UPDATED))
        .map(MongoCommunityChanges::toChange);
  }

  @Override
  public Future<CommunityChange> insertPending(CommunityChange request) {
    Document document =
        new Document("_id", request.requestId())
            .append("memberId", request.memberId())
            .append("fromCommunityId", request.fromCommunityId())
            .append("toCommunityId", request.toCommunityId())
            .append("status", Status.PENDING.name())
            .append("requestedAt", Date.from(request.requestedAt()))
            .append(PENDING_OF, request.memberId());
    return Publishers.done(collection.insertOne(document))
        .map(request)
        .recover(
            failure ->
                DuplicateKey.is(failure)
                    ? findPendingOf(request.memberId())
                    : Future.failedFuture(failure));
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
                closed(decided),
                RETURN_UPDATED))
        .map(MongoCommunityChanges::toChange);
  }

  private static Bson closed(Status status) {
    return Updates.combine(
        Updates.set("status", status.name()),
        Updates.set("decidedAt", new Date()),
        Updates.unset(PENDING_OF));
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
