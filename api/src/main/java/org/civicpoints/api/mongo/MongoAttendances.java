package org.civicpoints.api.mongo;

import static com.mongodb.client.model.Filters.and;
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

  public MongoAttendances(MongoStore store) {
    this.collection = store.database().getCollection("attendances");
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
        new Document("_id", key(attendance.activityId(), attendance.memberId()))
            .append("activityId", attendance.activityId())
            .append("memberId", attendance.memberId())
            .append("communityId", attendance.communityId())
            .append("enrolledAt", Date.from(attendance.enrolledAt()))
            .append("verified", false);
    return DuplicateKey.refusedAsFalse(Publishers.done(collection.insertOne(document)));
  }

  @Override
  public Future<Boolean> leave(String activityId, String memberId) {
    return Publishers.first(collection.deleteOne(eq("_id", key(activityId, memberId))))
        .map(result -> result.getDeletedCount() == 1);
  }

  @Override
  public Future<Attendance> find(String activityId, String memberId) {
    return Publishers.first(collection.find(eq("_id", key(activityId, memberId))))
        .map(MongoAttendances::toAttendance);
  }

  @Override
  public Future<Set<Attendee>> verified(Collection<Attendee> attendees) {
    return IdLookup.byIds(
            collection,
            attendees.stream().map(a -> key(a.activityId(), a.memberId())).distinct().toList())
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
                eq("_id", key(activityId, memberId)), update, RETURN_UPDATED))
        .map(MongoAttendances::toAttendance);
  }

  @Override
  public Future<Attendance> checkOut(String activityId, String memberId, Instant at) {
    return Publishers.first(
            collection.findOneAndUpdate(
                and(eq("_id", key(activityId, memberId))),
                Updates.set("checkedOutAt", Date.from(at)),
                RETURN_UPDATED))
        .map(MongoAttendances::toAttendance);
  }

  @Override
  public Future<List<Attendance>> listByActivity(String activityId) {
    return Publishers.all(
            collection
                .find(eq("activityId", activityId))
                .sort(Sorts.ascending("enrolledAt", "_id")))
        .map(documents -> documents.stream().map(MongoAttendances::toAttendance).toList());
  }

  @Override
  public Future<List<Attendance>> among(String memberId, Collection<String> activityIds) {
    return IdLookup.byIds(collection, activityIds.stream().map(id -> key(id, memberId)).toList())
        .map(documents -> documents.stream().map(MongoAttendances::toAttendance).toList());
  }

  @Override
  public Future<List<Attendance>> ofMember(String memberId) {
    return Publishers.all(collection.find(eq("memberId", memberId)))
        .map(documents -> documents.stream().map(MongoAttendances::toAttendance).toList());
  }

  private static String key(String activityId, String memberId) {
    return activityId + "|" + memberId;
  }

  private static Attendance toAttendance(Document document) {
    if (document == null) {
      return null;
    }
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
