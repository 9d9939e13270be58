package org.civicpoints.api.mongo;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.exists;
import static com.mongodb.client.model.Filters.gt;
import static com.mongodb.client.model.Filters.gte;
import static com.mongodb.client.model.Filters.in;
import static com.mongodb.client.model.Filters.lt;
import static com.mongodb.client.model.Filters.lte;
import static com.mongodb.client.model.Filters.ne;
import static com.mongodb.client.model.Filters.or;
import static com.mongodb.client.model.Filters.regex;

import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.IndexModel;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Updates;
import com.mongodb.reactivestreams.client.MongoCollection;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.civicpoints.api.domain.Activity;
import org.civicpoints.api.domain.Category;
import org.civicpoints.api.domain.Cursor;
import org.civicpoints.api.domain.GeoFence;
import org.civicpoints.api.domain.Page;
import org.civicpoints.api.port.Activities;

/**
 * Activities in "activities", _id = activityId. An activity with a capacity keeps a {@code
 * seatsLeft} counter next to {@code enrolled}; a seat is taken by one conditional {@code $inc}, so
 * concurrent enrollments never exceed the capacity.
 *
 * <p>Searches filter by community and start (the compound index), and near a point by a latitude
 * and longitude box (its own index) before the exact distance is measured here; MongoDB's geo
 * queries are not used because mongo-java-server, the embedded store, has none.
 */
public final class MongoActivities implements Activities {

  private static final double KM_PER_DEGREE = 111.32;

  private static final FindOneAndUpdateOptions RETURN_UPDATED =
      new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER);

  private final MongoCollection<Document> collection;

  public MongoActivities(MongoStore store) {
    this.collection = store.database().getCollection("activities");
  }

  /** Idempotent; run once at start-up, before the adapter is used. */
  public Future<Void> createIndexes() {
    return NamedIndexes.create(
        collection,
        NamedIndexes.ascending("communityId", "startsAt"),
        new IndexModel(
            Indexes.ascending("startsAt", "_id"), new IndexOptions().name("startsAt_id")),
        new IndexModel(
            Indexes.ascending("location.lat", "location.lng"),
            new IndexOptions().name("location_lat_lng")));
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
  public Future<Page<Found>> search(Search search) {
    Bson filter = filter(search);
    return search.near() == null ? byStart(filter, search) : byDistance(filter, search);
  }

  private Future<Page<Found>> byStart(Bson filter, Search search) {
    return Paging.page(
        collection,
        filter,
        Paging.Order.OLDEST_FIRST,
        "startsAt",
        search.after(),
        search.limit(),
        document -> new Found(toActivity(document), null));
  }

  /**
   * Every activity in the box around the circle, measured and sorted here: a radius of at most 50
   * km keeps that to one city's activities. A distance cursor carries whole millimetres where a
   * start cursor carries milliseconds.
   */
  private Future<Page<Found>> byDistance(Bson filter, Search search) {
    Near near = search.near();
    Comparator<Found> nearest =
        Comparator.comparingLong(MongoActivities::millimetres)
            .thenComparing(found -> found.activity().activityId());
    return Publishers.all(collection.find(and(filter, box(near))))
        .map(
            documents ->
                page(
                    documents.stream()
                        .map(MongoActivities::toActivity)
                        .map(
                            activity ->
                                new Found(
                                    activity,
                                    activity.location().distanceMeters(near.lat(), near.lng())))
                        .filter(found -> found.distanceMeters() <= near.radiusKm() * 1000)
                        .filter(found -> beyond(found, search.after()))
                        .sorted(nearest)
                        .limit(search.limit() + 1L)
                        .toList(),
                    search.limit(),
                    found ->
                        new Cursor(
                            Instant.ofEpochMilli(millimetres(found)),
                            found.activity().activityId())));
  }

  private static boolean beyond(Found found, Cursor after) {
    if (after == null) {
      return true;
    }
    long at = after.at().toEpochMilli();
    return millimetres(found) > at
        || (millimetres(found) == at && found.activity().activityId().compareTo(after.id()) > 0);
  }

  private static long millimetres(Found found) {
    return Math.round(found.distanceMeters() * 1000);
  }

  private static Page<Found> page(List<Found> found, int limit, Function<Found, Cursor> cursor) {
    List<Found> shown = found.subList(0, Math.min(limit, found.size()));
    String next = found.size() > limit ? cursor.apply(shown.get(shown.size() - 1)).encode() : null;
    return new Page<>(shown, next);
  }

  private static Bson filter(Search search) {
    List<Bson> all = new ArrayList<>();
    if (search.communityIds() != null) {
      all.add(in("communityId", search.communityIds()));
    }
    if (search.partyCommunities() != null) {
      all.add(or(ne("type", Category.PARTY.name()), in("communityId", search.partyCommunities())));
    }
    if (search.type() != null) {
      all.add(eq("type", search.type().name()));
    }
    if (search.from() != null) {
      all.add(gt("endsAt", Date.from(search.from())));
    }
    if (search.to() != null) {
      all.add(lt("startsAt", Date.from(search.to())));
    }
    if (search.text() != null) {
      String quoted = Pattern.quote(search.text());
      all.add(
          or(
              regex("title", quoted, "i"),
              regex("description", quoted, "i"),
              regex("tags", quoted, "i")));
    }
    return all.isEmpty() ? new Document() : and(all);
  }

  /** The latitude and longitude box around the circle (no activity sits on the 180° meridian). */
  private static Bson box(Near near) {
    double latSpan = near.radiusKm() / KM_PER_DEGREE;
    double lngSpan =
        near.radiusKm() / (KM_PER_DEGREE * Math.max(0.01, Math.cos(Math.toRadians(near.lat()))));
    return and(
        gte("location.lat", near.lat() - latSpan),
        lte("location.lat", near.lat() + latSpan),
        gte("location.lng", near.lng() - lngSpan),
        lte("location.lng", near.lng() + lngSpan));
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

  @Override
  public Future<Long> nextWaitlistTicket(String activityId) {
    return Publishers.first(
            collection.findOneAndUpdate(
                eq("_id", activityId), Updates.inc("waitlistTickets", 1L), RETURN_UPDATED))
        .map(document -> Documents.number(document, "waitlistTickets"));
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
    Activity.Details details = activity.details();
    fields.put("description", details.description());
    fields.put("address", details.address());
    fields.put("coverImage", details.coverImage());
    fields.put("tags", details.tags());
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
        Documents.instant(document, "updatedAt"),
        details(document));
  }

  private static Activity.Details details(Document document) {
    return new Activity.Details(
        document.getString("description"),
        document.getString("address"),
        document.getString("coverImage"),
        document.getList("tags", String.class, List.of()));
  }
}
