package org.civicpoints.api.mongo;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.exists;

import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.IndexModel;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.InsertOneModel;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.Updates;
import com.mongodb.client.model.WriteModel;
import com.mongodb.reactivestreams.client.MongoCollection;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.civicpoints.api.domain.OrgUnit;
import org.civicpoints.api.port.OrgUnits;

/**
 * Org units in "org_units", _id = unitId; codes are unique (sparse: units seeded before codes
 * existed have none and read their id as their code).
 */
public final class MongoOrgUnits implements OrgUnits {

  private final MongoCollection<Document> collection;

  public MongoOrgUnits(MongoStore store) {
    this.collection = store.database().getCollection("org_units");
  }

  /** Idempotent; run once at start-up, before the adapter is used. */
  public Future<Void> createIndexes() {
    return NamedIndexes.create(
        collection,
        NamedIndexes.ascending("parentId"),
        new IndexModel(
            Indexes.ascending("code"),
            new IndexOptions().unique(true).sparse(true).name("code_unique")));
  }

  @Override
  public Future<List<OrgUnit>> all() {
    return Publishers.all(collection.find())
        .map(documents -> documents.stream().map(MongoOrgUnits::toUnit).toList());
  }

  @Override
  public Future<Void> write(List<OrgUnit> created, List<OrgUnit> renamed) {
    List<WriteModel<Document>> writes = new ArrayList<>();
    created.forEach(unit -> writes.add(new InsertOneModel<>(toDocument(unit))));
    renamed.forEach(
        unit ->
            writes.add(
                new UpdateOneModel<>(
                    active(unit.unitId()),
                    Updates.combine(
                        Updates.set("name", unit.name()), Updates.set("code", unit.code())))));
    if (writes.isEmpty()) {
      return Future.succeededFuture();
    }
    return Publishers.done(collection.bulkWrite(writes, new BulkWriteOptions().ordered(true)))
        .recover(MongoOrgUnits::codeTaken);
  }

  @Override
  public Future<OrgUnit> update(String unitId, String name, String code) {
    return changed(unitId, Updates.combine(Updates.set("name", name), Updates.set("code", code)));
  }

  @Override
  public Future<OrgUnit> retire(String unitId, Instant at) {
    return changed(unitId, Updates.set("retiredAt", Date.from(at)));
  }

  private Future<OrgUnit> changed(String unitId, Bson update) {
    return Publishers.first(
            collection.findOneAndUpdate(
                active(unitId),
                update,
                new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER)))
        .recover(MongoOrgUnits::codeTaken)
        .map(document -> document == null ? null : toUnit(document));
  }

  private static <T> Future<T> codeTaken(Throwable failure) {
    return Future.failedFuture(
        DuplicateKey.is(failure) || DuplicateKey.onlyInBulk(failure)
            ? new OrgUnits.CodeTaken()
            : failure);
  }

  private static Bson active(String unitId) {
    return and(eq("_id", unitId), exists("retiredAt", false));
  }

  private static Document toDocument(OrgUnit unit) {
    Document document =
        new Document("_id", unit.unitId())
            .append("kind", unit.kind().name())
            .append("name", unit.name())
            .append("code", unit.code());
    if (unit.parentId() != null) {
      document.append("parentId", unit.parentId());
    }
    return document;
  }

  private static OrgUnit toUnit(Document document) {
    String unitId = document.getString("_id");
    String code = document.getString("code");
    Date retiredAt = document.getDate("retiredAt");
    return new OrgUnit(
        unitId,
        OrgUnit.Kind.valueOf(document.getString("kind")),
        document.getString("name"),
        document.getString("parentId"),
        code == null ? unitId : code,
        retiredAt == null ? null : retiredAt.toInstant());
  }
}
