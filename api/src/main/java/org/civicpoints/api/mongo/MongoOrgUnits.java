package org.civicpoints.api.mongo;

import static com.mongodb.client.model.Filters.eq;

import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.IndexModel;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.WriteModel;
import com.mongodb.reactivestreams.client.MongoCollection;
import io.vertx.core.Future;
import java.util.List;
import org.bson.Document;
import org.civicpoints.api.domain.OrgUnit;
import org.civicpoints.api.port.OrgUnits;

/** Org units in "org_units", _id = unitId. */
public final class MongoOrgUnits implements OrgUnits {

  private final MongoCollection<Document> collection;

  public MongoOrgUnits(MongoStore store) {
    this.collection = store.database().getCollection("org_units");
  }

  /** Idempotent; run once at start-up, before the adapter is used. */
  public Future<Void> createIndexes() {
    return Publishers.done(
        collection.createIndexes(
            List.of(
                new IndexModel(
                    Indexes.ascending("parentId"), new IndexOptions().name("parentId")))));
  }

  @Override
  public Future<List<OrgUnit>> all() {
    return Publishers.all(collection.find())
        .map(documents -> documents.stream().map(MongoOrgUnits::toUnit).toList());
  }

  @Override
  public Future<Void> insertMissing(List<OrgUnit> units) {
    List<WriteModel<Document>> upserts =
        units.stream()
            .<WriteModel<Document>>map(
                unit ->
                    new UpdateOneModel<>(
                        eq("_id", unit.unitId()),
                        new Document("$setOnInsert", toDocument(unit)),
                        new UpdateOptions().upsert(true)))
            .toList();
    return Publishers.done(collection.bulkWrite(upserts, new BulkWriteOptions().ordered(true)));
  }

  private static Document toDocument(OrgUnit unit) {
    Document document = new Document("kind", unit.kind().name()).append("name", unit.name());
    if (unit.parentId() != null) {
      document.append("parentId", unit.parentId());
    }
    return document;
  }

  private static OrgUnit toUnit(Document document) {
    return new OrgUnit(
        document.getString("_id"),
        OrgUnit.Kind.valueOf(document.getString("kind")),
        document.getString("name"),
        document.getString("parentId"));
  }
}
