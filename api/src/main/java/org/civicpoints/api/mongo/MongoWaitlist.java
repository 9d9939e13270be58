package org.civicpoints.api.mongo;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.lt;

import com.mongodb.client.model.Sorts;
import com.mongodb.reactivestreams.client.MongoCollection;
import io.vertx.core.Future;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import org.bson.Document;
import org.civicpoints.api.port.Waitlist;

/** Waiting members in "waitlist", _id = activityId|memberId: one place per member and activity. */
public final class MongoWaitlist implements Waitlist {

  private final MongoCollection<Document> collection;

  public MongoWaitlist(MongoStore store) {
    this.collection = store.database().getCollection("waitlist");
  }

  /** Idempotent; run once at start-up, before the adapter is used. */
  public Future<Void> createIndexes() {
    return NamedIndexes.create(
        collection,
        NamedIndexes.ascending("activityId", "ticket"),
        NamedIndexes.ascending("memberId"));
  }

  @Override
  public Future<Boolean> join(Place place) {
    Document document =
        new Document("_id", key(place.activityId(), place.memberId()))
            .append("activityId", place.activityId())
            .append("memberId", place.memberId())
            .append("ticket", place.ticket())
            .append("joinedAt", Date.from(place.joinedAt()));
    return DuplicateKey.refusedAsFalse(Publishers.done(collection.insertOne(document)));
  }

  @Override
  public Future<Place> first(String activityId) {
    return Publishers.first(
            collection.find(eq("activityId", activityId)).sort(Sorts.ascending("ticket")).limit(1))
        .map(MongoWaitlist::toPlace);
  }

  @Override
  public Future<Boolean> remove(String activityId, String memberId) {
    return Publishers.first(collection.deleteOne(eq("_id", key(activityId, memberId))))
        .map(result -> result.getDeletedCount() == 1);
  }

  @Override
  public Future<Place> find(String activityId, String memberId) {
    return Publishers.first(collection.find(eq("_id", key(activityId, memberId))))
        .map(MongoWaitlist::toPlace);
  }

  @Override
  public Future<Long> ahead(String activityId, long ticket) {
    return Publishers.first(
        collection.countDocuments(and(eq("activityId", activityId), lt("ticket", ticket))));
  }

  @Override
  public Future<List<Place>> among(String memberId, Collection<String> activityIds) {
    return IdLookup.byIds(collection, activityIds.stream().map(id -> key(id, memberId)).toList())
        .map(documents -> documents.stream().map(MongoWaitlist::toPlace).toList());
  }

  @Override
  public Future<List<Place>> ofMember(String memberId) {
    return Publishers.all(collection.find(eq("memberId", memberId)))
        .map(documents -> documents.stream().map(MongoWaitlist::toPlace).toList());
  }

  private static String key(String activityId, String memberId) {
    return activityId + "|" + memberId;
  }

  private static Place toPlace(Document document) {
    return document == null
        ? null
        : new Place(
            document.getString("activityId"),
            document.getString("memberId"),
            Documents.number(document, "ticket"),
            Documents.instant(document, "joinedAt"));
  }
}
