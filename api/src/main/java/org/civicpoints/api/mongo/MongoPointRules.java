package org.civicpoints.api.mongo;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;

import com.mongodb.client.model.FindOneAndReplaceOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Sorts;
import com.mongodb.reactivestreams.client.MongoCollection;
import io.vertx.core.Future;
import java.util.Date;
import java.util.List;
import org.bson.Document;
import org.civicpoints.api.domain.Category;
import org.civicpoints.api.domain.PointRule;
import org.civicpoints.api.port.PointRules;

/**
 * Point rules in "point_rules", _id = ruleId. Every stored version carries a fresh {@code ledger}
 * outbox sub-document (state QUEUED) that the relay turns into a PutRule.
 */
public final class MongoPointRules implements PointRules {

  private final MongoCollection<Document> collection;

  public MongoPointRules(MongoStore store) {
    this.collection = store.database().getCollection("point_rules");
  }

  /** Idempotent; run once at start-up, before the adapter is used. */
  public Future<Void> createIndexes() {
    // _id is the only lookup key; the relay's outbox queries are declared by the relay.
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> insert(PointRule rule) {
    return Publishers.done(collection.insertOne(toDocument(rule)));
  }

  @Override
  public Future<PointRule> findById(String ruleId) {
    return Publishers.first(collection.find(eq("_id", ruleId))).map(MongoPointRules::toRule);
  }

  @Override
  public Future<List<PointRule>> all() {
    return Publishers.all(collection.find().sort(Sorts.ascending("createdAt", "_id")))
        .map(documents -> documents.stream().map(MongoPointRules::toRule).toList());
  }

  @Override
  public Future<PointRule> replace(PointRule next, long expectedVersion) {
    return Publishers.first(
            collection.findOneAndReplace(
                and(
                    eq("_id", next.ruleId()),
                    eq("version", expectedVersion),
                    eq("ledger.state", "DONE")),
                toDocument(next),
                new FindOneAndReplaceOptions().returnDocument(ReturnDocument.AFTER)))
        .map(MongoPointRules::toRule);
  }

  private static Document toDocument(PointRule rule) {
    Document ledger =
        new Document("state", "QUEUED")
            .append("version", rule.version())
            .append("queuedAt", Date.from(rule.updatedAt()))
            .append("attempts", 0)
            .append("leaseUntil", new Date(0));
    return new Document("_id", rule.ruleId())
        .append("version", rule.version())
        .append("category", rule.category().name())
        .append("points", rule.points())
        .append("dailyCap", rule.dailyCap())
        .append("yearlyCap", rule.yearlyCap())
        .append("title", rule.title())
        .append("active", rule.active())
        .append("createdAt", Date.from(rule.createdAt()))
        .append("updatedAt", Date.from(rule.updatedAt()))
        .append("ledger", ledger);
  }

  private static PointRule toRule(Document document) {
    if (document == null) {
      return null;
    }
    Document ledger = document.get("ledger", Document.class);
    return new PointRule(
        document.getString("_id"),
        Documents.number(document, "version"),
        Category.valueOf(document.getString("category")),
        Documents.number(document, "points"),
        Documents.number(document, "dailyCap"),
        Documents.number(document, "yearlyCap"),
        document.getString("title"),
        document.getBoolean("active", true),
        Documents.instant(document, "createdAt"),
        Documents.instant(document, "updatedAt"),
        ledger == null ? "DONE" : ledger.getString("state"));
  }
}
