package org.civicpoints.api.mongo;

import com.mongodb.bulk.BulkWriteResult;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.WriteModel;
import com.mongodb.reactivestreams.client.MongoCollection;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.civicpoints.api.domain.ChainPosition;
import org.civicpoints.api.port.ReadModelMovedOn;

/**
 * Read-model documents that add up chain entries ({@code balances}, {@code standings}, {@code
 * standings_daily}); each remembers the last chain position it took in. A batch of changes in chain
 * order is applied by reading the documents it touches (one lookup by _id), leaving out what a
 * document already holds, and writing every document once — as found plus the sum of its new
 * changes — by compare-and-set on its {@code lastPosition} (an upsert when it is new), in one
 * unordered bulk write. Whole documents are written rather than field updates: resolving each
 * updated path took about a third of the embedded store's update time in the approval benchmark's
 * profile, and these documents are small. A document that someone else wrote in between misses its
 * compare-and-set (or its insert answers duplicate key); the batch is then applied again, which
 * re-reads and skips what is in. So a replayed range changes nothing and two writers never count an
 * entry twice.
 */
final class PositionedDocuments {

  /**
   * What one entry adds to one document: numbers to add, fields to set, fields for a new document.
   */
  record Change(
      String id, ChainPosition position, Document increments, Document sets, Document onInsert) {}

  private static final int DOCUMENTS_PER_WRITE = 2_000;
  private static final int ATTEMPTS = 5;
  private static final BulkWriteOptions UNORDERED = new BulkWriteOptions().ordered(false);
  private static final ReplaceOptions UPSERT = new ReplaceOptions().upsert(true);

  private final MongoStore store;
  private final MongoCollection<Document> collection;

  PositionedDocuments(MongoStore store, MongoCollection<Document> collection) {
    this.store = store;
    this.collection = collection;
  }

  Future<Void> createIndexes() {
    return store.exactLookupIndex(collection, "lastPosition");
  }

  /** Applies {@code changes} (in chain order) to their documents, each change at most once. */
  Future<Void> apply(List<Change> changes) {
    Map<String, List<Change>> byDocument = new LinkedHashMap<>();
    changes.forEach(
        change -> byDocument.computeIfAbsent(change.id(), id -> new ArrayList<>()).add(change));
    List<String> ids = new ArrayList<>(byDocument.keySet());
    Future<Void> applied = Future.succeededFuture();
    for (int from = 0; from < ids.size(); from += DOCUMENTS_PER_WRITE) {
      Map<String, List<Change>> part = new LinkedHashMap<>();
      ids.subList(from, Math.min(ids.size(), from + DOCUMENTS_PER_WRITE))
          .forEach(id -> part.put(id, byDocument.get(id)));
      applied = applied.compose(v -> applyPart(part, 1));
    }
    return applied;
  }

  /**
   * Writes the documents of {@code owned} anew from {@code changes} (in chain order) alone and
   * deletes the owned ones no change names: a member's documents replayed from their entries. Each
   * document is replaced only while it holds no later position than its changes; one that the
   * projector moved past meanwhile fails the rebuild (a duplicate key on the upsert) and is left as
   * the projector wrote it.
   */
  Future<Void> rebuild(Bson owned, List<Change> changes) {
    Map<String, List<Change>> byDocument = new LinkedHashMap<>();
    changes.forEach(
        change -> byDocument.computeIfAbsent(change.id(), id -> new ArrayList<>()).add(change));
    List<WriteModel<Document>> writes = new ArrayList<>();
    byDocument.forEach(
        (id, fresh) -> {
          long last = fresh.get(fresh.size() - 1).position().asLong();
          writes.add(
              new ReplaceOneModel<>(
                  Filters.and(Filters.eq("_id", id), Filters.lte("lastPosition", last)),
                  applied(id, null, fresh),
                  UPSERT));
        });
    Future<Void> written =
        writes.isEmpty()
            ? Future.succeededFuture()
            : Publishers.done(collection.bulkWrite(writes, UNORDERED))
                .recover(
                    failure ->
                        Future.failedFuture(
                            DuplicateKey.onlyInBulk(failure)
                                ? new ReadModelMovedOn(
                                    collection.getNamespace().getCollectionName(), failure)
                                : failure));
    return written.compose(
        v ->
            Publishers.done(
                collection.deleteMany(
                    Filters.and(owned, Filters.nin("_id", byDocument.keySet())))));
  }

  private Future<Void> applyPart(Map<String, List<Change>> byDocument, int attempt) {
    return IdLookup.byIds(collection, byDocument.keySet())
        .compose(
            found -> {
              Map<String, Document> current = new HashMap<>();
              found.forEach(document -> current.put(document.getString("_id"), document));
              List<WriteModel<Document>> writes = new ArrayList<>();
              byDocument.forEach(
                  (id, changes) -> {
                    Document document = current.get(id);
                    Long last = document == null ? null : document.getLong("lastPosition");
                    List<Change> fresh =
                        changes.stream()
                            .filter(change -> last == null || change.position().asLong() > last)
                            .toList();
                    if (!fresh.isEmpty()) {
                      writes.add(
                          new ReplaceOneModel<>(
                              new Document("_id", id).append("lastPosition", last),
                              applied(id, document, fresh),
                              UPSERT));
                    }
                  });
              return write(writes);
            })
        .compose(
            allWritten -> {
              if (allWritten) {
                return Future.succeededFuture();
              }
              return attempt < ATTEMPTS
                  ? applyPart(byDocument, attempt + 1)
                  : Future.failedFuture(
                      new IllegalStateException(
                          collection.getNamespace().getCollectionName()
                              + ": documents kept changing under the projector"));
            });
  }

  /** True when every write found its document unchanged (or inserted it). */
  private Future<Boolean> write(List<WriteModel<Document>> writes) {
    if (writes.isEmpty()) {
      return Future.succeededFuture(true);
    }
    return Publishers.first(collection.bulkWrite(writes, UNORDERED))
        .map(result -> written(result) == writes.size())
        .recover(
            failure ->
                DuplicateKey.onlyInBulk(failure)
                    ? Future.succeededFuture(false)
                    : Future.failedFuture(failure));
  }

  private static int written(BulkWriteResult result) {
    return result.getMatchedCount() + result.getUpserts().size();
  }

  /**
   * The document as found (or new, with the first change's insert fields) plus the fresh changes,
   * in order.
   */
  private static Document applied(String id, Document found, List<Change> fresh) {
    Document document =
        found != null ? found : new Document("_id", id).append("lastPosition", null);
    if (found == null) {
      fresh.get(0).onInsert().forEach(document::put);
    }
    for (Change change : fresh) {
      change
          .increments()
          .forEach(
              (path, value) ->
                  DottedPaths.put(
                      document,
                      path,
                      number(DottedPaths.valueAt(document, path)) + ((Number) value).longValue()));
      change.sets().forEach((path, value) -> DottedPaths.put(document, path, value));
    }
    document.put("lastPosition", fresh.get(fresh.size() - 1).position().asLong());
    return document;
  }

  private static long number(Object value) {
    return value instanceof Number number ? number.longValue() : 0L;
  }
}
