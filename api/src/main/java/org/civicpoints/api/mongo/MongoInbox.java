package org.civicpoints.api.mongo;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;

import com.mongodb.MongoBulkWriteException;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.InsertManyOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Updates;
import com.mongodb.reactivestreams.client.MongoCollection;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.civicpoints.api.domain.Cursor;
import org.civicpoints.api.domain.InboxNotification;
import org.civicpoints.api.domain.NotificationKind;
import org.civicpoints.api.domain.Page;
import org.civicpoints.api.port.Inbox;

/**
 * In-app notifications in "notifications", _id = notificationId. Kind and data only: the words are
 * rendered at read time (title and body fields of entries written before are ignored).
 */
public final class MongoInbox implements Inbox {

  private final MongoCollection<Document> collection;

  public MongoInbox(MongoStore store) {
    this.collection = store.database().getCollection("notifications");
  }

  /** Idempotent; run once at start-up, before the adapter is used. */
  public Future<Void> createIndexes() {
    return NamedIndexes.create(collection, NamedIndexes.ascending("memberId", "createdAt"));
  }

  @Override
  public Future<Void> add(InboxNotification notification) {
    return Publishers.done(collection.insertOne(toDocument(notification)));
  }

  @Override
  public Future<List<InboxNotification>> addNew(List<InboxNotification> notifications) {
    if (notifications.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    return Publishers.done(
            collection.insertMany(
                notifications.stream().map(MongoInbox::toDocument).toList(),
                new InsertManyOptions().ordered(false)))
        .map(v -> notifications)
        .recover(
            failure -> {
              if (!DuplicateKey.onlyInBulk(failure)) {
                return Future.failedFuture(failure);
              }
              Set<Integer> known = new HashSet<>();
              ((MongoBulkWriteException) failure)
                  .getWriteErrors()
                  .forEach(error -> known.add(error.getIndex()));
              return Future.succeededFuture(
                  IntStream.range(0, notifications.size())
                      .filter(i -> !known.contains(i))
                      .mapToObj(notifications::get)
                      .toList());
            });
  }

  private static Document toDocument(InboxNotification notification) {
    return new Document("_id", notification.notificationId())
        .append("memberId", notification.memberId())
        .append("kind", notification.kind().name())
        .append("data", Documents.json(notification.data()))
        .append("createdAt", Date.from(notification.createdAt()));
  }

  @Override
  public Future<Page<InboxNotification>> listOfMember(String memberId, Cursor after, int limit) {
    return Paging.ofMember(collection, memberId, after, limit, MongoInbox::toNotification);
  }

  @Override
  public Future<Long> countUnread(String memberId) {
    return Publishers.first(collection.countDocuments(unread(memberId)));
  }

  @Override
  public Future<Long> markAllRead(String memberId, Instant at) {
    return Publishers.first(
            collection.updateMany(unread(memberId), Updates.set("readAt", Date.from(at))))
        .map(result -> result.getModifiedCount());
  }

  private static Bson unread(String memberId) {
    return and(eq("memberId", memberId), eq("readAt", null));
  }

  @Override
  public Future<InboxNotification> markRead(String memberId, String notificationId, Instant at) {
    return Publishers.first(
            collection.findOneAndUpdate(
                and(eq("_id", notificationId), eq("memberId", memberId)),
                Updates.max("readAt", Date.from(at)),
                new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER)))
        .map(document -> document == null ? null : toNotification(document));
  }

  private static InboxNotification toNotification(Document document) {
    Document data = document.get("data", Document.class);
    return new InboxNotification(
        document.getString("_id"),
        document.getString("memberId"),
        NotificationKind.valueOf(document.getString("kind")),
        data == null ? Map.of() : Documents.fields(data),
        Documents.instant(document, "createdAt"),
        Documents.instant(document, "readAt"));
  }
}
