package org.civicpoints.api.mongo;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import org.bson.Document;

/** How the adapters read numbers, dates and free-form JSON out of documents, in one place. */
final class Documents {

  private Documents() {}

  /**
   * A whole number however it was stored (Int32, Int64 or Double: the embedded store and MongoDB
   * differ); 0 when the document or the field is missing.
   */
  static long number(Document document, String field) {
    Object value = document == null ? null : document.get(field);
    return value instanceof Number number ? number.longValue() : 0L;
  }

  /** The instant of a date field; null when it is missing. */
  static Instant instant(Document document, String field) {
    Date date = document.getDate(field);
    return date == null ? null : date.toInstant();
  }

  /** Free-form JSON (evidence, audit states, notification data) as a document; null stays null. */
  static Document json(Map<String, Object> fields) {
    return fields == null ? null : Document.parse(new JsonObject(fields).encode());
  }

  /** A document of free-form JSON as plain JSON values; null stays null. */
  static Map<String, Object> fields(Document json) {
    return json == null ? null : new JsonObject(json.toJson()).getMap();
  }
}
