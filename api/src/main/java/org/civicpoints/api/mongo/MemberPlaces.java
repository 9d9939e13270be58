package org.civicpoints.api.mongo;

import static com.mongodb.client.model.Filters.eq;

import com.mongodb.reactivestreams.client.MongoCollection;
import io.vertx.core.Future;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;
import org.bson.Document;

/**
 * A collection holding at most one document per member and activity (an enrollment, a waitlist
 * place): its _id is {@code activityId|memberId}, so the key itself refuses a second one.
 */
final class MemberPlaces<T> {

  private final MongoCollection<Document> collection;
  private final Function<Document, T> read;

  MemberPlaces(MongoCollection<Document> collection, Function<Document, T> read) {
    this.collection = collection;
    this.read = read;
  }

  static String key(String activityId, String memberId) {
    return activityId + "|" + memberId;
  }

  /** The new document, with its key and both ids. */
  static Document of(String activityId, String memberId) {
    return new Document("_id", key(activityId, memberId))
        .append("activityId", activityId)
        .append("memberId", memberId);
  }

  /** Null when the member has no place at that activity. */
  Future<T> find(String activityId, String memberId) {
    return Publishers.first(collection.find(eq("_id", key(activityId, memberId)))).map(this::read);
  }

  Future<Boolean> remove(String activityId, String memberId) {
    return Publishers.first(collection.deleteOne(eq("_id", key(activityId, memberId))))
        .map(result -> result.getDeletedCount() == 1);
  }

  /** The member's places at those activities (through the _id index). */
  Future<List<T>> among(String memberId, Collection<String> activityIds) {
    return IdLookup.byIds(collection, activityIds.stream().map(id -> key(id, memberId)).toList())
        .map(this::readAll);
  }

  Future<List<T>> ofMember(String memberId) {
    return Publishers.all(collection.find(eq("memberId", memberId))).map(this::readAll);
  }

  T read(Document document) {
    return document == null ? null : read.apply(document);
  }

  List<T> readAll(List<Document> documents) {
    return documents.stream().map(read).toList();
  }
}
