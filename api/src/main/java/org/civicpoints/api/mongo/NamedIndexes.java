package org.civicpoints.api.mongo;

import com.mongodb.client.model.IndexModel;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.reactivestreams.client.MongoCollection;
import io.vertx.core.Future;
import java.util.List;
import org.bson.Document;

/**
 * The adapters' indexes, ascending on their fields and named after them ({@code
 * memberId_createdAt}): the names are what an existing database already has, so they must not
 * change.
 */
final class NamedIndexes {

  private NamedIndexes() {}

  /** Creates what is missing; idempotent. */
  static Future<Void> create(MongoCollection<Document> collection, IndexModel... indexes) {
    return Publishers.done(collection.createIndexes(List.of(indexes)));
  }

  static IndexModel ascending(String... fields) {
    return new IndexModel(Indexes.ascending(fields), named(fields));
  }

  static IndexModel unique(String... fields) {
    return new IndexModel(Indexes.ascending(fields), named(fields).unique(true));
  }

  private static IndexOptions named(String... fields) {
    return new IndexOptions().name(String.join("_", fields));
  }
}
