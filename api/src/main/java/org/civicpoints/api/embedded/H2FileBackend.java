package org.civicpoints.api.embedded;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.h2.H2Database;
import de.bwaldvogel.mongo.bson.Document;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.h2.mvstore.MVStore;

/**
 * The embedded store as versions before the journal kept it: mongo-java-server's H2 backend, with
 * index keys ordered by their values ({@link IndexKeyType}) and documents kept as BSON ({@link
 * DocumentType}), a file in an older form rewritten to these when opened ({@link FileFormat}).
 * Opened once, to hand its documents to the {@link JournaledBackend}'s first snapshot.
 */
final class H2FileBackend extends H2Backend {

  private static final String NAMESPACES = "system.namespaces";
  private static final String INDEXES = "system.indexes";

  private H2FileBackend(MVStore store) {
    super(store);
  }

  /** Blocking: opens the file, rewriting maps still kept in an older form. */
  static H2FileBackend open(String file) {
    MVStore store = new MVStore.Builder().fileName(file).autoCommitDisabled().open();
    IndexKeyType.reorderIndexes(store);
    DocumentType.keepAsBson(store);
    return new H2FileBackend(store);
  }

  @Override
  protected MongoDatabase openOrCreateDatabase(String databaseName) {
    return new Database(databaseName);
  }

  /**
   * mongo-java-server's H2 database, with each index map opened in {@link IndexKeyType} and each
   * collection's documents kept as {@link DocumentType}.
   */
  private final class Database extends H2Database {

    // Called from H2Backend's constructor.
    Database(String name) {
      super(name, getMvStore(), getCursorRegistry());
    }

    @Override
    protected Index<Object> openOrCreateUniqueIndex(
        String collectionName, String indexName, List<IndexKey> keys, boolean sparse) {
      IndexKeyType.openIndex(
          getMvStore(),
          getFullCollectionNamespace(collectionName) + IndexKeyType.INDEX_MAP_MARK + indexName);
      return super.openOrCreateUniqueIndex(collectionName, indexName, keys, sparse);
    }

    @Override
    protected MongoCollection<Object> openOrCreateCollection(
        String collectionName, CollectionOptions options) {
      DocumentType.openCollection(
          getMvStore(), DocumentType.DATA_MAP_PREFIX + getFullCollectionNamespace(collectionName));
      return super.openOrCreateCollection(collectionName, options);
    }
  }

  /**
   * Blocking: hands every document of every collection to {@code sink} as a put at its place in the
   * collection, the system collections (namespaces, index descriptions) included.
   */
  void copyTo(Consumer<Change> sink) {
    for (String databaseName : listDatabaseNames()) {
      MongoDatabase database = resolveDatabase(databaseName);
      Set<String> names = new LinkedHashSet<>(List.of(NAMESPACES, INDEXES));
      MongoCollection<?> namespaces = database.resolveCollection(NAMESPACES, false);
      if (namespaces != null) {
        namespaces
            .queryAllAsStream()
            .map(namespace -> namespace.get("name").toString())
            .map(namespace -> namespace.substring(databaseName.length() + 1))
            .forEach(names::add);
      }
      for (String name : names) {
        MongoCollection<?> collection = database.resolveCollection(name, false);
        if (collection != null) {
          int position = 0;
          for (Document document : collection.queryAll()) {
            sink.accept(Change.put(collection.getFullName(), position++, document));
          }
        }
      }
    }
  }
}
