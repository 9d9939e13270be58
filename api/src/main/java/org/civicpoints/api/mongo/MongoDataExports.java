package org.civicpoints.api.mongo;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.in;

import com.mongodb.client.model.Updates;
import com.mongodb.reactivestreams.client.MongoCollection;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.civicpoints.api.domain.DataExport;
import org.civicpoints.api.domain.DataExport.Status;
import org.civicpoints.api.port.DataExports;

/** Data exports in "data_exports", _id = exportId. */
public final class MongoDataExports implements DataExports {

  private final MongoCollection<Document> collection;

  public MongoDataExports(MongoStore store) {
    this.collection = store.database().getCollection("data_exports");
  }

  public Future<Void> createIndexes() {
    return NamedIndexes.create(collection, NamedIndexes.ascending("memberId", "status"));
  }

  @Override
  public Future<Void> insert(DataExport export) {
    return Publishers.done(
        collection.insertOne(
            new Document("_id", export.exportId())
                .append("memberId", export.memberId())
                .append("status", export.status().name())
                .append("requestedAt", Date.from(export.requestedAt()))
                .append("bytes", export.bytes())
                .append("instanceId", export.instanceId())));
  }

  @Override
  public Future<DataExport> find(String exportId) {
    return Publishers.first(collection.find(eq("_id", exportId))).map(MongoDataExports::toExport);
  }

  @Override
  public Future<DataExport> openOf(String memberId) {
    return Publishers.first(
            collection.find(
                and(
                    eq("memberId", memberId),
                    in("status", Status.PREPARING.name(), Status.READY.name()))))
        .map(MongoDataExports::toExport);
  }

  @Override
  public Future<Boolean> ready(String exportId, long bytes, Instant at) {
    return moved(
        exportId, Status.PREPARING, Status.READY, "readyAt", at, Updates.set("bytes", bytes));
  }

  @Override
  public Future<Boolean> failed(String exportId, Instant at) {
    return moved(exportId, Status.PREPARING, Status.FAILED, "failedAt", at);
  }

  @Override
  public Future<Boolean> takeDownload(String exportId, Instant at) {
    return moved(exportId, Status.READY, Status.DOWNLOADED, "downloadedAt", at);
  }

  /**
   * One conditioned update from one status to the next, stamped with when in {@code stampField}:
   * only the first of two concurrent moves succeeds.
   */
  private Future<Boolean> moved(
      String exportId, Status from, Status to, String stampField, Instant at, Bson... more) {
    List<Bson> updates = new ArrayList<>();
    updates.add(Updates.set("status", to.name()));
    updates.addAll(List.of(more));
    updates.add(Updates.set(stampField, Date.from(at)));
    return Publishers.first(
            collection.updateOne(
                and(eq("_id", exportId), eq("status", from.name())), Updates.combine(updates)))
        .map(result -> result.getModifiedCount() == 1);
  }

  private static DataExport toExport(Document document) {
    return document == null
        ? null
        : new DataExport(
            document.getString("_id"),
            document.getString("memberId"),
            Status.valueOf(document.getString("status")),
            Documents.instant(document, "requestedAt"),
            Documents.instant(document, "readyAt"),
            Documents.number(document, "bytes"),
            document.getString("instanceId"));
  }
}
