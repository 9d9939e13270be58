package org.civicpoints.api.embedded;

import de.bwaldvogel.mongo.MongoServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dev-only MongoDB: mongo-java-server with its snapshot and journal under DATA_DIR/mongo,
 * listening on loopback only, so the API reaches it through the real driver exactly like a
 * production server. A write is answered once it is forced into the journal ({@link
 * JournaledBackend}).
 */
public final class EmbeddedMongo {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedMongo.class);

  private final MongoServer server;
  private final JournaledBackend backend;
  private final InetSocketAddress address;

  private EmbeddedMongo(MongoServer server, JournaledBackend backend, InetSocketAddress address) {
    this.server = server;
    this.backend = backend;
    this.address = address;
  }

  /** Blocking: opens (or creates) the store and listens on 127.0.0.1 on a free port. */
  public static EmbeddedMongo start(Path dataDir) {
    Path directory = dataDir.resolve("mongo").toAbsolutePath();
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create " + directory, e);
    }
    JournaledBackend backend = JournaledBackend.open(directory);
    MongoServer server = new MongoServer(backend);
    server.bind(new InetSocketAddress("127.0.0.1", 0));
    InetSocketAddress address = server.getLocalAddress();
    LOG.info(
        "Embedded MongoDB (mongo-java-server, documents in memory, each write journaled to disk before it is answered) on 127.0.0.1:{}, data in {}",
        address.getPort(),
        directory);
    return new EmbeddedMongo(server, backend, address);
  }

  public String connectionString() {
    return "mongodb://127.0.0.1:" + address.getPort();
  }

  /** Blocking: closes client connections, then forces and closes the journal. */
  public void stop() {
    server.shutdownNow();
    backend.close();
  }
}
