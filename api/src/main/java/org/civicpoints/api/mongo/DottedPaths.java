package org.civicpoints.api.mongo;

import org.bson.Document;

/**
 * Values at dotted paths ({@code byCategory.STUDY}) inside a document, read and written as MongoDB
 * does.
 */
final class DottedPaths {

  private DottedPaths() {}

  /** The value at {@code path}, null when a level on the way is missing or not a document. */
  static Object valueAt(Document document, String path) {
    Object value = document;
    for (String field : path.split("\\.")) {
      if (!(value instanceof Document level)) {
        return null;
      }
      value = level.get(field);
    }
    return value;
  }

  /** Sets {@code path}, creating the documents on the way, as {@code $set} and {@code $inc} do. */
  static void put(Document document, String path, Object value) {
    int dot = path.indexOf('.');
    if (dot < 0) {
      document.put(path, value);
      return;
    }
    String field = path.substring(0, dot);
    Document nested = document.get(field) instanceof Document found ? found : new Document();
    document.put(field, nested);
    put(nested, path.substring(dot + 1), value);
  }
}
