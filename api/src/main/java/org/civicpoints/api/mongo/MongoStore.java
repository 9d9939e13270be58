package org.civicpoints.api.mongo;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.WriteConcern;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.civicpoints.api.port.HealthCheck;

/** One MongoDB client for the process (it pools connections), and the database's health. */
public final class MongoStore implements HealthCheck {

  /**
   * Every write is acknowledged only once a majority of the replica set has it in its journal, so
   * no acknowledged write is rolled back by a failover or lost by a crash; a connection string
   * cannot lower it. (The embedded store commits each write to its file before it answers.)
   */
  static final WriteConcern DURABLE = WriteConcern.MAJORITY.withJournal(true);

  private final MongoClient client;
  private final MongoDatabase database;
  private Future<Boolean> scansWithoutExactIndex;

  public MongoStore(String uri, String databaseName) {
    MongoClientSettings settings =
        MongoClientSettings.builder()
            .applyConnectionString(new ConnectionString(uri))
            .writeConcern(DURABLE)
            // Fail fast when the server is gone instead of queueing requests for 30 s.
            .applyToClusterSettings(cluster -> cluster.serverSelectionTimeout(5, TimeUnit.SECONDS))
            .build();
    this.client = MongoClients.create(settings);
    this.database = client.getDatabase(databaseName);
  }

  public MongoDatabase database() {
    return database;
  }

  /**
   * A unique index on {@code _id} plus {@code fields}, created only where the server needs it:
   * mongo-java-server (the embedded and test store) serves a filter from an index only when the
   * filter names exactly that index's keys, and scans the collection for anything else — also for
   * {@code {_id: x, state: y}}. The compare-and-set writes on the hot paths filter on exactly such
   * keys — written as flat documents, since the driver renders {@code Filters.and} as {@code $and}
   * — so there they become lookups. MongoDB serves those filters from the _id index and does not
   * get these indexes.
   */
  public Future<Void> exactLookupIndex(MongoCollection<Document> collection, String... fields) {
    return scansWithoutExactIndex()
        .compose(
            needed -> {
              if (!needed) {
                return Future.succeededFuture();
              }
              List<Bson> keys = new ArrayList<>(List.of(Indexes.ascending("_id")));
              Arrays.stream(fields).map(Indexes::ascending).forEach(keys::add);
              String name = "lookup_" + String.join("_", fields).replace('.', '_');
              return Publishers.done(
                  collection.createIndex(
                      Indexes.compoundIndex(keys), new IndexOptions().name(name).unique(true)));
            });
  }

  /**
   * MongoDB's buildInfo always names its gitVersion; mongo-java-server's answers only the version.
   */
  private synchronized Future<Boolean> scansWithoutExactIndex() {
    if (scansWithoutExactIndex == null) {
      scansWithoutExactIndex =
          Publishers.first(database.runCommand(new Document("buildInfo", 1)))
              .map(info -> !info.containsKey("gitVersion"));
    }
    return scansWithoutExactIndex;
  }

  @Override
  public String name() {
    return "mongo";
  }

  @Override
  public Future<Status> check() {
    return Publishers.first(database.runCommand(new Document("ping", 1))).map(reply -> Status.UP);
  }

  public void close() {
    client.close();
  }
}
