package org.civicpoints.api.embedded;

import de.bwaldvogel.mongo.bson.Document;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The embedded store's collections as its snapshot and journal describe them, built change by
 * change when the store opens and handed to the collections as they are opened.
 */
final class StoreImage {

  private final Map<String, List<Document>> collections = new HashMap<>();

  void apply(Change change) {
    switch (change.kind()) {
      case PUT -> place(change.namespace(), change.position(), change.document());
      case REMOVE -> place(change.namespace(), change.position(), null);
      case DROP -> collections.remove(change.namespace());
      case END -> {}
    }
  }

  private void place(String namespace, int position, Document document) {
    List<Document> documents = collections.computeIfAbsent(namespace, name -> new ArrayList<>());
    while (documents.size() <= position) {
      documents.add(null);
    }
    documents.set(position, document);
  }

  /** The databases that have collections. */
  Set<String> databaseNames() {
    return collections.keySet().stream()
        .map(namespace -> namespace.substring(0, namespace.indexOf('.')))
        .collect(Collectors.toSet());
  }

  /** The documents of that collection, by position, empty positions as null; taken once. */
  List<Document> take(String namespace) {
    List<Document> documents = collections.remove(namespace);
    return documents == null ? List.of() : documents;
  }

  /** The collections not taken: documents of a collection no database lists. */
  Set<String> untaken() {
    return collections.keySet();
  }
}
