package org.civicpoints.api.mongo;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.exists;
import static com.mongodb.client.model.Filters.gt;
import static com.mongodb.client.model.Filters.lte;

import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.IndexModel;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import com.mongodb.reactivestreams.client.MongoCollection;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.civicpoints.api.domain.Activity;
import org.civicpoints.api.domain.Category;
import org.civicpoints.api.domain.GeoFence;
import org.civicpoints.api.port.Activities;

/**
 * Activities in "activities", _id = activityId. An activity with a capacity keeps a {@code
 * seatsLeft} counter next to {@code enrolled}; a seat is taken by one conditional {@code $inc}, so
 * concurrent enrollments never exceed the capacity.
 */
public final class MongoActivities implements Activities {

  private static final FindOneAndUpdateOptions RETURN_UPDATED =
      new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER);

  private final MongoCollection<Document> collection;

  public MongoActivities(MongoStore store) {
    this.collection = store.database().getCollection("activities");
  }

  /** Idempotent; run once at start-up, before the adapter is used. */
  public Future<Void> createIndexes() {
    return Publishers.done(
        collection.createIndexes(
            List.of(
                new IndexModel(
                    Indexes.ascending("communityId", "startsAt"),
                    new IndexOptions().name("communityId_startsAt")))));
  }

  @Override
  public Future<Void> insert(Activity activity) {
    Document document =
        new Document("_id", activity.activityId())
            .append("communityId", activity.communityId())
            .append("type", activity.type().name())
            .append("ruleId", activity.ruleId())
            .append("status", activity.status().name())
            .append("enrolled", 0)
            .append("checkInSecret", activity.checkInSecret())
            .append("createdBy", activity.createdBy())
            .append("createdAt", Date.from(activity.createdAt()));
    editable(activity).forEach(document::append);
    if (activity.capacity() != null) {
      document.append("seatsLeft", activity.capacity());
    }
    return Publishers.done(collection.insertOne(document));
  }

  @Override
  public Future<Activity> findById(String activityId) {
    return Publishers.first(collection.find(eq("_id", activityId)))
        .map(MongoActivities::toActivity);
  }

  @Override
  public Future<List<Activity>> findByIds(Collection<String> activityIds) {
    return IdLookup.byIds(collection, activityIds)
        .map(documents -> documents.stream().map(MongoActivities::toActivity).toList());
  }

  @Override
  public Future<List<Activity>> listByCommunity(String communityId) {
    return Publishers.all(
            collection
                .find(eq("communityId", communityId))
                .sort(Sorts.ascending("startsAt", "_id")))
        .map(documents -> documents.stream().map(MongoActivities::toActivity).toList());
  }

  @Override
  public Future<List<Activity>> openStartingBetween(Instant after, Instant until) {
    return Publishers.all(
            collection.find(
                and(
                    eq("status", Activity.Status.OPEN.name()),
                    gt("startsAt", Date.from(after)),
                    lte("startsAt", Date.from(until)))))
        .map(documents -> documents.stream().map(MongoActivities::toActivity).toList());
  }

  /** A capacity change moves seatsLeft by the difference, so seats taken meanwhile still count. */
  @Override
  public Future<Activity> update(Activity changed) {
    return findById(changed.activityId())
        .compose(
            current -> {
              if (current == null || !current.isOpen()) {
                return Future.succeededFuture(null);
              }
              List<Bson> updates = new ArrayList<>();
              editable(changed)
                  .forEach(
                      (field, value) ->
                          updates.add(
                              value == null ? Updates.unset(field) : Updates.set(field, value)));
              Bson filter =
                  and(eq("_id", changed.activityId()), eq("status", Activity.Status.OPEN.name()));
              if (changed.capacity() != null && current.capacity() != null) {
                updates.add(Updates.inc("seatsLeft", changed.capacity() - current.capacity()));
                filter = and(filter, eq("capacity", current.capacity()));
              } else if (changed.capacity() != null) {
                updates.add(Updates.set("seatsLeft", changed.capacity() - current.enrolled()));
                filter = and(filter, eq("enrolled", current.enrolled()));
              }
              return Publishers.first(
                      collection.findOneAndUpdate(filter, Updates.combine(updates), RETURN_UPDATED))
                  .map(MongoActivities::toActivity);
            });
  }

  @Override
  public Future<Activity> cancel(String activityId) {
    return Publishers.first(
            collection.findOneAndUpdate(
                and(eq("_id", activityId), eq("status", Activity.Status.OPEN.name())),
                Updates.combine(
                    Updates.set("status", Activity.Status.CANCELLED.name()),
                    Updates.set("updatedAt", new Date())),
                RETURN_UPDATED))
        .map(MongoActivities::toActivity);
  }

  @Override
  public Future<Boolean> takeSeat(String activityId) {
    Bson open = and(eq("_id", activityId), eq("status", Activity.Status.OPEN.name()));
    Bson unlimited = and(open, exists("seatsLeft", false));
    Bson seatLeft = and(open, gt("seatsLeft", 0));
    return Publishers.first(
            collection.updateOne(
                seatLeft,
                Updates.combine(Updates.inc("seatsLeft", -1), Updates.inc("enrolled", 1))))
        .compose(
            taken ->
                taken.getModifiedCount() == 1
                    ? Future.succeededFuture(true)
                    : Publishers.first(collection.updateOne(unlimited, Updates.inc("enrolled", 1)))
                        .map(result -> result.getModifiedCount() == 1));
  }

  @Override
  public Future<Void> releaseSeat(String activityId) {
    Bson limited = and(eq("_id", activityId), exists("seatsLeft", true));
    return Publishers.first(
            collection.updateOne(
                limited, Updates.combine(Updates.inc("seatsLeft", 1), Updates.inc("enrolled", -1))))
        .compose(
            released ->
                released.getModifiedCount() == 1
                    ? Future.succeededFuture()
                    : Publishers.done(
                        collection.updateOne(eq("_id", activityId), Updates.inc("enrolled", -1))));
  }

  private static java.util.Map<String, Object> editable(Activity activity) {
    java.util.Map<String, Object> fields = new java.util.LinkedHashMap<>();
    fields.put("title", activity.title());
    fields.put("startsAt", Date.from(activity.startsAt()));
    fields.put("endsAt", Date.from(activity.endsAt()));
    fields.put("capacity", activity.capacity());
    fields.put(
        "location",
        activity.location() == null
            ? null
            : new Document("lat", activity.location().lat())
                .append("lng", activity.location().lng())
                .append("radiusMeters", activity.location().radiusMeters()));
    fields.put("checkIn", activity.checkIn().name());
    fields.put("claimsPerDay", activity.claimsPerDay());
    fields.put("updatedAt", Date.from(activity.updatedAt()));
    return fields;
  }

  private static Activity toActivity(Document document) {
    if (document == null) {
      return null;
    }
    Document location = document.get("location", Document.class);
    return new Activity(
        document.getString("_id"),
        document.getString("communityId"),
        Category.valueOf(document.getString("type")),
        document.getString("title"),
        document.getString("ruleId"),
        Documents.instant(document, "startsAt"),
        Documents.instant(document, "endsAt"),
        document.getInteger("capacity"),
        location == null
            ? null
            : new GeoFence(
                ((Number) location.get("lat")).doubleValue(),
                ((Number) location.get("lng")).doubleValue(),
                ((Number) location.get("radiusMeters")).intValue()),
        Activity.CheckInMode.valueOf(document.getString("checkIn")),
        // Activities stored before claimsPerDay existed allow one claim a day.
        document.get("claimsPerDay") == null
            ? Activity.DEFAULT_CLAIMS_PER_DAY
            : (int) Documents.number(document, "claimsPerDay"),
        Activity.Status.valueOf(document.getString("status")),
        (int) Documents.number(document, "enrolled"),
        document.getString("checkInSecret"),
        document.getString("createdBy"),
        Documents.instant(document, "createdAt"),
        Documents.instant(document, "updatedAt"));
  }
}
