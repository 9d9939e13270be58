package org.civicpoints.api.mongo;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;

import com.mongodb.client.model.Filters;
import com.mongodb.reactivestreams.client.MongoCollection;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.civicpoints.api.domain.AuditRecord;
import org.civicpoints.api.domain.Cursor;
import org.civicpoints.api.domain.Page;
import org.civicpoints.api.port.AuditTrail;

/** The audit trail in "audit", _id = auditId; only ever inserted into. */
public final class MongoAuditTrail implements AuditTrail {

  private final MongoCollection<Document> collection;

  public MongoAuditTrail(MongoStore store) {
    this.collection = store.database().getCollection("audit");
  }

  /** Idempotent; run once at start-up, before the adapter is used. */
  public Future<Void> createIndexes() {
    return NamedIndexes.create(
        collection,
        NamedIndexes.ascending("communityId", "at"),
        NamedIndexes.ascending("actor", "at"));
  }

  @Override
  public Future<Void> append(List<AuditRecord> records) {
    if (records.isEmpty()) {
      return Future.succeededFuture();
    }
    return Publishers.done(
        collection.insertMany(records.stream().map(MongoAuditTrail::toDocument).toList()));
  }

  @Override
  public Future<Page<AuditRecord>> list(AuditQuery query, Cursor after, int limit) {
    List<Bson> filters = new ArrayList<>();
    if (query.communityId() != null) {
      filters.add(eq("communityId", query.communityId()));
    }
    if (query.actor() != null) {
      filters.add(eq("actor", query.actor()));
    }
    if (query.action() != null) {
      filters.add(eq("action", query.action()));
    }
    Bson filter = filters.isEmpty() ? Filters.empty() : and(filters);
    return Paging.page(collection, filter, "at", after, limit, MongoAuditTrail::toRecord);
  }

  private static Document toDocument(AuditRecord record) {
    return new Document("_id", record.auditId())
        .append("actor", record.actor())
        .append("action", record.action())
        .append("target", record.target())
        .append("before", Documents.json(record.before()))
        .append("after", Documents.json(record.after()))
        .append("at", Date.from(record.at()))
        .append("communityId", record.communityId());
  }

  private static AuditRecord toRecord(Document document) {
    Document before = document.get("before", Document.class);
    Document after = document.get("after", Document.class);
    return new AuditRecord(
        document.getString("_id"),
        document.getString("actor"),
        document.getString("action"),
        document.getString("target"),
        Documents.fields(before),
        Documents.fields(after),
        Documents.instant(document, "at"),
        document.getString("communityId"));
  }
}
