package org.civicpoints.api.support;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.civicpoints.api.ApiVerticle;
import org.civicpoints.api.Main;
import org.civicpoints.api.config.ApiConfig;
import org.civicpoints.api.mongo.MongoStore;

/**
 * The real API on 127.0.0.1, a free port, with an in-process mongo-java-server (memory backend)
 * reached through the real driver, and keys generated into a temporary DATA_DIR.
 */
public final class TestApi implements AutoCloseable {

  static {
    // As Main does: the devnet and the chaincode shim log through JUL; send them to logback.
    org.slf4j.bridge.SLF4JBridgeHandler.removeHandlersForRootLogger();
    org.slf4j.bridge.SLF4JBridgeHandler.install();
  }

  private static final String DATABASE = "civic_points_test";

  public final Vertx vertx;
  public final ApiVerticle verticle;
  public final ApiClient client;
  public final Path dataDir;
  public final String deploymentId;
  private final MongoServer mongo;

  private TestApi(
      Vertx vertx,
      MongoServer mongo,
      Path dataDir,
      ApiVerticle verticle,
      String deploymentId,
      ApiClient client) {
    this.vertx = vertx;
    this.deploymentId = deploymentId;
    this.mongo = mongo;
    this.dataDir = dataDir;
    this.verticle = verticle;
    this.client = client;
  }

  public static TestApi start() {
    return start(Map.of());
  }

  /**
   * Starts with the defaults of a dev server plus {@code overrides} (environment variable names).
   */
  public static TestApi start(Map<String, String> overrides) {
    return start(overrides, Clock.systemUTC());
  }

  /** As {@link #start(Map)}, on {@code clock} (the server puts it in CIVIC_TIME_ZONE's zone). */
  public static TestApi start(Map<String, String> overrides, Clock clock) {
    MongoServer mongo = new MongoServer(new MemoryBackend());
    mongo.bind(new InetSocketAddress("127.0.0.1", 0));
    Path dataDir = temporaryDirectory();
    Map<String, String> environment =
        devEnvironment(
            "mongodb://127.0.0.1:" + mongo.getLocalAddress().getPort(), DATABASE, dataDir);
    // The embedded devnet, on a free port: every test server has a real ledger behind
    // fabric-gateway.
    environment.put("FABRIC_DEVNET_PORT", "0");
    environment.putAll(overrides);
    environment.values().removeIf(String::isEmpty);
    return startWith(ApiConfig.fromEnv(environment), mongo, dataDir, clock);
  }

  /**
   * The environment every test server starts from: dev, 127.0.0.1 on a free port, this store and
   * data directory, and sign-in limits out of the way; callers add the ledger and what they test.
   */
  public static Map<String, String> devEnvironment(String mongoUri, String database, Path dataDir) {
    Map<String, String> environment = new HashMap<>();
    environment.put("CIVIC_ENV", "dev");
    environment.put("HTTP_HOST", "127.0.0.1");
    environment.put("HTTP_PORT", "0");
    environment.put("DATA_DIR", dataDir.toString());
    environment.put("MONGO_URI", mongoUri);
    environment.put("MONGO_DB", database);
    // Every test request comes from 127.0.0.1; RateLimitApiTest sets the limits it tests.
    environment.put("AUTH_RATE_LIMIT_PER_IP", "100000");
    environment.put("AUTH_RATE_LIMIT_PER_PHONE", "1000");
    return environment;
  }

  public static TestApi startWith(ApiConfig config, MongoServer mongo, Path dataDir) {
    return startWith(config, mongo, dataDir, Clock.systemUTC());
  }

  public static TestApi startWith(ApiConfig config, MongoServer mongo, Path dataDir, Clock clock) {
    Vertx vertx = Vertx.builder().with(Main.vertxOptions()).build();
    ApiVerticle verticle = new ApiVerticle(config, clock);
    String deploymentId;
    try {
      deploymentId = vertx.deployVerticle(verticle).await();
    } catch (RuntimeException failed) {
      vertx.close().await();
      if (mongo != null) {
        mongo.shutdownNow();
      }
      throw failed;
    }
    ApiClient client = ApiClient.create(vertx, verticle.actualPort());
    return new TestApi(vertx, mongo, dataDir, verticle, deploymentId, client);
  }

  public static Path temporaryDirectory() {
    try {
      return Files.createTempDirectory("civic-points-api-test");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads and writes the server's database directly (close it after use). */
  public MongoProbe mongoProbe() {
    return new MongoProbe("mongodb://127.0.0.1:" + mongo.getLocalAddress().getPort(), DATABASE);
  }

  /** The server's database through the production adapters (close it after use). */
  public MongoStore openStore() {
    return new MongoStore("mongodb://127.0.0.1:" + mongo.getLocalAddress().getPort(), DATABASE);
  }

  /** Takes the store away, as a crashed MongoDB would. */
  public void stopMongo() {
    mongo.shutdownNow();
  }

  @Override
  public void close() {
    client.close();
    vertx.close().await();
    if (mongo != null) {
      mongo.shutdownNow();
    }
  }
}
