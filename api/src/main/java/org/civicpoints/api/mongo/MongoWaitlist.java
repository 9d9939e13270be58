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
  private final MemberPlaces<Place> places;

  public MongoWaitlist(MongoStore store) {
    this.collection = store.database().getCollection("waitlist");
    this.places = new MemberPlaces<>(collection, MongoWaitlist::toPlace);
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
        MemberPlaces.of(place.activityId(), place.memberId())
            .append("ticket", place.ticket())
            .append("joinedAt", Date.from(place.joinedAt()));
    return DuplicateKey.refusedAsFalse(Publishers.done(collection.insertOne(document)));
  }

  @Override
  public Future<Place> first(String activityId) {
    return Publishers.first(
            collection.find(eq("activityId", activityId)).sort(Sorts.ascending("ticket")).limit(1))
        .map(places::read);
  }

  @Override
  public Future<Boolean> remove(String activityId, String memberId) {
    return places.remove(activityId, memberId);
  }

  @Override
  public Future<Place> find(String activityId, String memberId) {
    return places.find(activityId, memberId);
  }

  @Override
  public Future<Long> ahead(String activityId, long ticket) {
    return Publishers.first(
        collection.countDocuments(and(eq("activityId", activityId), lt("ticket", ticket))));
  }

  @Override
  public Future<List<Place>> among(String memberId, Collection<String> activityIds) {
    return places.among(memberId, activityIds);
  }

  @Override
  public Future<List<Place>> ofMember(String memberId) {
    return places.ofMember(memberId);
  }

  private static Place toPlace(Document document) {
    return new Place(
        document.getString("activityId"),
        document.getString("memberId"),
        Documents.number(document, "ticket"),
        Documents.instant(document, "joinedAt"));
  }
}
