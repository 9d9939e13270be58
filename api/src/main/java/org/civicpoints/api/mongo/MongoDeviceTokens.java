package org.civicpoints.api.mongo;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.in;

import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import com.mongodb.reactivestreams.client.MongoCollection;
import io.vertx.core.Future;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import org.bson.Document;
import org.civicpoints.api.port.DeviceTokens;

/** FCM registration tokens in "device_tokens", _id = token. */
public final class MongoDeviceTokens implements DeviceTokens {

  private final MongoCollection<Document> collection;

  public MongoDeviceTokens(MongoStore store) {
    this.collection = store.database().getCollection("device_tokens");
  }

  /** Idempotent; run once at start-up, before the adapter is used. */
  public Future<Void> createIndexes() {
    return NamedIndexes.create(collection, NamedIndexes.ascending("memberId"));
  }

  @Override
  public Future<Void> register(String memberId, String token, String platform) {
    return Publishers.done(
            collection.updateOne(
                eq("_id", token),
                Updates.combine(
                    Updates.set("memberId", memberId),
                    Updates.set("platform", platform),
                    Updates.set("updatedAt", new Date())),
                new UpdateOptions().upsert(true)))
        // Two registrations of a new token at once: the loser's upsert hits the unique _id; the
        // winner stored it.
        .recover(
            failure ->
                DuplicateKey.is(failure)
                    ? register(memberId, token, platform)
                    : Future.failedFuture(failure));
  }

  @Override
  public Future<Boolean> remove(String memberId, String token) {
    return Publishers.first(collection.deleteOne(and(eq("_id", token), eq("memberId", memberId))))
        .map(result -> result.getDeletedCount() == 1);
  }

  @Override
  public Future<List<String>> tokensOf(String memberId) {
    return Publishers.all(collection.find(eq("memberId", memberId)))
        .map(documents -> documents.stream().map(document -> document.getString("_id")).toList());
  }

  @Override
  public Future<Void> removeAll(Collection<String> tokens) {
    return tokens.isEmpty()
        ? Future.succeededFuture()
        : Publishers.done(collection.deleteMany(in("_id", tokens)));
  }
}
