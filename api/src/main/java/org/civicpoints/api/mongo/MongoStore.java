package org.civicpoints.api.mongo;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import com.mongodb.reactivestreams.client.MongoDatabase;
import io.vertx.core.Future;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
import org.civicpoints.api.port.HealthCheck;

/** One MongoDB client for the process (it pools connections), and the database's health. */
public final class MongoStore implements HealthCheck {

  private final MongoClient client;
  private final MongoDatabase database;

  public MongoStore(String uri, String databaseName) {
    MongoClientSettings settings =
        MongoClientSettings.builder()
            .applyConnectionString(new ConnectionString(uri))
            // Fail fast when the server is gone instead of queueing requests for 30 s.
            .applyToClusterSettings(cluster -> cluster.serverSelectionTimeout(5, TimeUnit.SECONDS))
            .build();
    this.client = MongoClients.create(settings);
    this.database = client.getDatabase(databaseName);
  }

  public MongoDatabase database() {
    return database;
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
