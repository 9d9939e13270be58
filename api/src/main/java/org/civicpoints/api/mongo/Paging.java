package org.civicpoints.api.mongo;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.or;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import com.mongodb.reactivestreams.client.MongoCollection;
import io.vertx.core.Future;
import java.util.Date;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.civicpoints.api.domain.Cursor;
import org.civicpoints.api.domain.Page;

/**
 * Pages on (timeField, _id), newest first unless said otherwise, continued from a {@link Cursor}.
 */
final class Paging {

  private Paging() {}

  /** One member's documents, newest created first. */
  static <T> Future<Page<T>> ofMember(
      MongoCollection<Document> collection,
      String memberId,
      Cursor after,
      int limit,
      Function<Document, T> mapper) {
    return page(collection, eq("memberId", memberId), "createdAt", after, limit, mapper);
  }

  /** Which end of (timeField, _id) the first page starts from. */
  enum Order {
    NEWEST_FIRST,
    OLDEST_FIRST
  }

  static <T> Future<Page<T>> page(
      MongoCollection<Document> collection,
      Bson filter,
      String timeField,
      Cursor after,
      int limit,
      Function<Document, T> mapper) {
    return page(collection, filter, Order.NEWEST_FIRST, timeField, after, limit, mapper);
  }

  static <T> Future<Page<T>> page(
      MongoCollection<Document> collection,
      Bson filter,
      Order order,
      String timeField,
      Cursor after,
      int limit,
      Function<Document, T> mapper) {
    boolean newestFirst = order == Order.NEWEST_FIRST;
    BiFunction<String, Object, Bson> beyond = newestFirst ? Filters::lt : Filters::gt;
    Bson continued =
        after == null
            ? filter
            : and(
                filter,
                or(
                    beyond.apply(timeField, Date.from(after.at())),
                    and(eq(timeField, Date.from(after.at())), beyond.apply("_id", after.id()))));
    Bson sort =
        newestFirst ? Sorts.descending(timeField, "_id") : Sorts.ascending(timeField, "_id");
    return Publishers.all(collection.find(continued).sort(sort).limit(limit + 1))
        .map(
            documents -> {
              List<Document> shown = documents.subList(0, Math.min(limit, documents.size()));
              String next =
                  documents.size() > limit
                      ? new Cursor(
                              Documents.instant(shown.get(shown.size() - 1), timeField),
                              shown.get(shown.size() - 1).getString("_id"))
                          .encode()
                      : null;
              return new Page<>(shown.stream().map(mapper).toList(), next);
            });
  }
}
