package org.civicpoints.api.embedded;

import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import java.net.InetSocketAddress;
import org.civicpoints.api.support.MongoProbe;

/**
 * The embedded store's tests: a backend served on 127.0.0.1 and a free port, seen by the driver.
 */
final class LoopbackMongo {

  private LoopbackMongo() {}

  static MongoServer serve(MongoBackend backend) {
    MongoServer server = new MongoServer(backend);
    server.bind(new InetSocketAddress("127.0.0.1", 0));
    return server;
  }

  static MongoProbe probe(MongoServer server, String database) {
    return new MongoProbe("mongodb://127.0.0.1:" + server.getLocalAddress().getPort(), database);
  }

  /** The claims' unique index on {@code key}, which the tests find documents through. */
  static void uniqueKeyIndex(MongoProbe mongo) {
    MongoProbe.await(
        mongo
            .collection("claims")
            .createIndex(Indexes.ascending("key"), new IndexOptions().unique(true)));
  }
}
