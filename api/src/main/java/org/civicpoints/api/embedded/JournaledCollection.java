package org.civicpoints.api.embedded;

import static de.bwaldvogel.mongo.backend.Constants.ID_FIELD;

import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.AbstractSynchronizedMongoCollection;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.DocumentWithPosition;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.bson.Document;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * A collection of the embedded store: its documents on the heap, as mongo-java-server's memory
 * backend keeps them (a list, a document's index in it being its position), and every change
 * recorded in the {@link Journal} while the collection's lock is held, so the journal has each
 * document's changes in the order they were made.
 */
final class JournaledCollection extends AbstractSynchronizedMongoCollection<Integer> {

  private static final int POSITIONS_PER_LOCK = 1000;

  private final Journal journal;
  private final List<Document> documents;
  private final Queue<Integer> emptyPositions = new ArrayDeque<>();
  private volatile Index<Integer> idIndex;
  private final Map<String, FieldLookup> lookups = new HashMap<>();

  /** A collection holding {@code restored} (empty positions as null), which are not journaled. */
  JournaledCollection(
      MongoDatabase database,
      String name,
      CollectionOptions options,
      CursorRegistry cursors,
      Journal journal,
      List<Document> restored) {
    super(database, name, options, cursors);
    this.journal = journal;
    this.documents = new ArrayList<>(restored);
    for (int position = 0; position < documents.size(); position++) {
      if (documents.get(position) == null) {
        emptyPositions.add(position);
      }
    }
  }

  @Override
  protected synchronized Integer addDocumentInternal(Document document) {
    Integer position = emptyPositions.poll();
    if (position == null) {
      position = documents.size();
      documents.add(document);
    } else {
      documents.set(position, document);
    }
    for (FieldLookup lookup : lookups.values()) {
      lookup.add(position, document);
    }
    journal.record(Change.put(getFullName(), position, document));
    return position;
  }

  @Override
  protected synchronized void handleUpdate(
      Integer position, Document oldDocument, Document newDocument) {
    for (FieldLookup lookup : lookups.values()) {
      lookup.remove(position, oldDocument);
      lookup.add(position, newDocument);
    }
    journal.record(Change.put(getFullName(), position, newDocument));
  }

  @Override
  protected synchronized void removeDocument(Integer position) {
    for (FieldLookup lookup : lookups.values()) {
      lookup.remove(position, documents.get(position));
    }
    documents.set(position, null);
    emptyPositions.add(position);
    journal.record(Change.remove(getFullName(), position));
  }

  @Override
  public synchronized void drop() {
    super.drop();
    documents.clear();
    emptyPositions.clear();
    lookups.clear();
    journal.record(Change.drop(getFullName()));
  }

  /** Journaled as dropped under the old name and put again, position by position, under the new. */
  @Override
  public synchronized void renameTo(MongoDatabase newDatabase, String newCollectionName) {
    journal.record(Change.drop(getFullName()));
    super.renameTo(newDatabase, newCollectionName);
    writeTo(journal::record);
  }

  /**
   * Hands every document to {@code sink} as a put at its position, taking the collection's lock for
   * {@value #POSITIONS_PER_LOCK} positions at a time so that writers wait at most for those. For a
   * snapshot that is enough: each position is then as it was at some moment, and the journal has
   * every change made to it since the snapshot's journal file began.
   */
  void writeTo(Consumer<Change> sink) {
    int from = 0;
    while (from >= 0) {
      from = writeTo(sink, from);
    }
  }

  /** Hands on the documents from {@code from}; returns where to go on, or -1 at the end. */
  private synchronized int writeTo(Consumer<Change> sink, int from) {
    int to = Math.min(from + POSITIONS_PER_LOCK, documents.size());
    for (int position = from; position < to; position++) {
      Document document = documents.get(position);
      if (document != null) {
        sink.accept(Change.put(getFullName(), position, document));
      }
    }
    return to < documents.size() ? to : -1;
  }

  /** Sizes are not kept: this API never asks for collStats, and summing them costs every write. */
  @Override
  protected boolean tracksDataSize() {
    return false;
  }

  @Override
  protected void updateDataSize(int sizeDelta) {}

  @Override
  protected int getDataSize() {
    return 0;
  }

  @Override
  public synchronized int count() {
    return documents.size() - emptyPositions.size();
  }

  @Override
  public void addIndex(Index<Integer> index) {
    super.addIndex(index);
    if (idIndex == null
        && index.getKeys().size() == 1
        && index.getKeys().get(0).getKey().equals(ID_FIELD)) {
      idIndex = index;
    }
  }

  @Override
  public void dropIndex(String indexName) {
    super.dropIndex(indexName);
    if (idIndex != null && idIndex.getName().equals(indexName)) {
      idIndex = null;
    }
  }

  /**
   * A query is answered from the documents an index or a lookup finds, checked against the whole
   * query, where mongo-java-server would scan the collection: it uses an index only for a query of
   * exactly the index's fields. So a compare-and-set such as {@code {_id, status}} reads the
   * documents the {@code _id} index finds (such updates scanning their collections were a third of
   * the store's time under the approval benchmark), and an equality on a field a non-unique index
   * names first reads its {@link FieldLookup} (the relay's search for queued commands).
   */
  @Override
  protected synchronized QueryResult queryDocuments(
      Document query,
      Document orderBy,
      int numberToSkip,
      int limit,
      int batchSize,
      Document fieldSelector) {
    Iterable<Integer> candidates = candidates(query);
    if (candidates == null) {
      return super.queryDocuments(query, orderBy, numberToSkip, limit, batchSize, fieldSelector);
    }
    return matchDocuments(
        query, candidates, orderBy, numberToSkip, limit, batchSize, fieldSelector);
  }

  /**
   * The positions an index or a lookup narrows the query to, or null to leave it to the backend.
   */
  private Iterable<Integer> candidates(Document query) {
    Index<Integer> byId = idIndex;
    if (byId != null && query.size() > 1 && query.containsKey(ID_FIELD)) {
      Document idOnly = new Document(ID_FIELD, query.get(ID_FIELD));
      if (byId.canHandle(idOnly)) {
        return byId.getPositions(idOnly);
      }
    }
    Set<Integer> fewest = null;
    for (Map.Entry<String, Object> condition : conditions(query)) {
      FieldLookup lookup = lookups.get(condition.getKey());
      if (lookup != null && condition.getValue() instanceof String value) {
        Set<Integer> candidates = lookup.candidates(value);
        if (fewest == null || candidates.size() < fewest.size()) {
          fewest = candidates;
        }
      }
    }
    return fewest;
  }

  /** The query's top-level conditions, and those of a top-level {@code $and}. */
  private static List<Map.Entry<String, Object>> conditions(Document query) {
    List<Map.Entry<String, Object>> conditions = new ArrayList<>(query.entrySet());
    if (query.get("$and") instanceof List<?> clauses) {
      for (Object clause : clauses) {
        if (clause instanceof Document document) {
          conditions.addAll(document.entrySet());
        }
      }
    }
    return conditions;
  }

  /** Keeps positions by {@code field}, which a non-unique index of this collection names first. */
  synchronized void lookUpBy(String field) {
    if (!lookups.containsKey(field)) {
      FieldLookup lookup = new FieldLookup(field);
      streamAllDocumentsWithPosition()
          .forEach(found -> lookup.add(found.getPosition(), found.getDocument()));
      lookups.put(field, lookup);
    }
  }

  @Override
  protected QueryResult matchDocuments(
      Document query,
      Document orderBy,
      int numberToSkip,
      int limit,
      int batchSize,
      Document fieldSelector) {
    return matchDocumentsFromStream(
        naturalOrder(isNaturalDescending(orderBy)),
        query,
        orderBy,
        numberToSkip,
        limit,
        batchSize,
        fieldSelector);
  }

  private Stream<Document> naturalOrder(boolean descending) {
    int size = documents.size();
    return IntStream.range(0, size)
        .mapToObj(index -> documents.get(descending ? size - 1 - index : index))
        .filter(Objects::nonNull);
  }

  @Override
  protected Integer findDocumentPosition(Document document) {
    int position = documents.indexOf(document);
    return position < 0 ? null : position;
  }

  @Override
  protected Stream<DocumentWithPosition<Integer>> streamAllDocumentsWithPosition() {
    return IntStream.range(0, documents.size())
        .filter(position -> documents.get(position) != null)
        .mapToObj(position -> new DocumentWithPosition<>(documents.get(position), position));
  }

  @Override
  protected Document getDocument(Integer position) {
    return documents.get(position);
  }
}
