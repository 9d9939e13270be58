package org.civicpoints.api.support;

import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import com.mongodb.reactivestreams.client.MongoCollection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * Blocking access to the test's MongoDB, for seeding and inspecting documents from test threads.
 */
public final class MongoProbe implements AutoCloseable {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private final MongoClient client;
  private final String database;

  public MongoProbe(String uri, String database) {
    this.client = MongoClients.create(uri);
    this.database = database;
  }

  public MongoCollection<Document> collection(String name) {
    return client.getDatabase(database).getCollection(name);
  }

  public List<Document> find(String collection, Bson filter) {
    return await(collection(collection).find(filter));
  }

  public Document findOne(String collection, Bson filter) {
    List<Document> found = find(collection, filter);
    return found.isEmpty() ? null : found.get(0);
  }

  public long count(String collection, Bson filter) {
    return await(collection(collection).countDocuments(filter)).get(0);
  }

  public static <T> List<T> await(Publisher<T> publisher) {
    CompletableFuture<List<T>> done = new CompletableFuture<>();
    List<T> items = new ArrayList<>();
    publisher.subscribe(
        new Subscriber<T>() {
          @Override
          public void onSubscribe(Subscription subscription) {
            subscription.request(Long.MAX_VALUE);
          }

          @Override
          public void onNext(T item) {
            items.add(item);
          }

          @Override
          public void onError(Throwable failure) {
            done.completeExceptionally(failure);
          }

          @Override
          public void onComplete() {
            done.complete(items);
          }
        });
    try {
      return done.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception failure) {
      throw new IllegalStateException("MongoDB call failed", failure);
    }
  }

  @Override
  public void close() {
    client.close();
  }
}
