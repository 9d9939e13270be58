package org.civicpoints.api.mongo;

import static com.mongodb.client.model.Filters.eq;

import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import com.mongodb.reactivestreams.client.MongoCollection;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.bson.Document;
import org.civicpoints.api.domain.Attendance;
import org.civicpoints.api.port.Attendances;
import org.civicpoints.api.port.Attendances.Attendee;

/**
 * Enrollments in "attendances", _id = activityId|memberId: the key itself makes enrolling twice
 * impossible.
 */
public final class MongoAttendances implements Attendances {

  private static final FindOneAndUpdateOptions RETURN_UPDATED =
      new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER);

  private final MongoCollection<Document> collection;
  private final MemberPlaces<Attendance> places;

  public MongoAttendances(MongoStore store) {
    this.collection = store.database().getCollection("attendances");
    this.places = new MemberPlaces<>(collection, MongoAttendances::toAttendance);
  }

  /** Idempotent; run once at start-up, before the adapter is used. */
  public Future<Void> createIndexes() {
    return NamedIndexes.create(
        collection,
        NamedIndexes.ascending("activityId", "enrolledAt"),
        NamedIndexes.ascending("memberId"));
  }

  @Override
  public Future<Boolean> enroll(Attendance attendance) {
    Document document =
        MemberPlaces.of(attendance.activityId(), attendance.memberId())
            .append("communityId", attendance.communityId())
            .append("enrolledAt", Date.from(attendance.enrolledAt()))
            .append("verified", false);
    return DuplicateKey.refusedAsFalse(Publishers.done(collection.insertOne(document)));
  }

  @Override
  public Future<Boolean> leave(String activityId, String memberId) {
    return places.remove(activityId, memberId);
  }

  @Override
  public Future<Attendance> find(String activityId, String memberId) {
    return places.find(activityId, memberId);
  }

  @Override
  public Future<Set<Attendee>> verified(Collection<Attendee> attendees) {
    return IdLookup.byIds(
            collection,
            attendees.stream()
                .map(a -> MemberPlaces.key(a.activityId(), a.memberId()))
                .distinct()
                .toList())
        .map(
            documents ->
                documents.stream()
                    .filter(document -> document.getBoolean("verified", false))
                    .map(
                        document ->
                            new Attendee(
                                document.getString("activityId"), document.getString("memberId")))
                    .collect(Collectors.toSet()));
  }

  /** A verified check-in is never downgraded by a later self-reported one. */
  @Override
  public Future<Attendance> checkIn(
      String activityId, String memberId, Instant at, boolean verified) {
    var update =
        verified
            ? Updates.combine(
                Updates.set("checkedInAt", Date.from(at)), Updates.set("verified", true))
            : Updates.set("checkedInAt", Date.from(at));
    return Publishers.first(
            collection.findOneAndUpdate(
                eq("_id", MemberPlaces.key(activityId, memberId)), update, RETURN_UPDATED))
        .map(places::read);
  }

  @Override
  public Future<Attendance> checkOut(String activityId, String memberId, Instant at) {
    return Publishers.first(
            collection.findOneAndUpdate(
                eq("_id", MemberPlaces.key(activityId, memberId)),
                Updates.set("checkedOutAt", Date.from(at)),
                RETURN_UPDATED))
        .map(places::read);
  }

  @Override
  public Future<List<Attendance>> listByActivity(String activityId) {
    return Publishers.all(
            collection
                .find(eq("activityId", activityId))
                .sort(Sorts.ascending("enrolledAt", "_id")))
        .map(places::readAll);
  }

  @Override
  public Future<List<Attendance>> among(String memberId, Collection<String> activityIds) {
    return places.among(memberId, activityIds);
  }

  @Override
  public Future<List<Attendance>> ofMember(String memberId) {
    return places.ofMember(memberId);
  }

  private static Attendance toAttendance(Document document) {
    return new Attendance(
        document.getString("activityId"),
        document.getString("memberId"),
        document.getString("communityId"),
        Documents.instant(document, "enrolledAt"),
        Documents.instant(document, "checkedInAt"),
        Documents.instant(document, "checkedOutAt"),
        document.getBoolean("verified", false));
  }
}
