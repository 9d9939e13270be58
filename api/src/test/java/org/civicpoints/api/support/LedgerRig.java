package org.civicpoints.api.support;

import com.mongodb.client.model.Filters;
import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.bson.Document;
import org.civicpoints.api.ApiVerticle;
import org.civicpoints.api.Main;
import org.civicpoints.api.config.ApiConfig;
import org.civicpoints.api.domain.Ids;
import org.civicpoints.api.embedded.EmbeddedMongo;
import org.civicpoints.api.fabric.FabricLedger;
import org.civicpoints.devnet.Devnet;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockMetadataIndex;

/**
 * The API on a devnet and a MongoDB the test owns, so both outlive an API restart and the test can
 * inject ledger faults. Approved submissions are seeded in the documented outbox shape (what an
 * approval writes), and rules as the catalog stores them.
 */
public final class LedgerRig implements AutoCloseable {

  public static final String COMMUNITY = "c-east-1a";

  /** The title of the activity seeded submissions claim for, kept on them as a claim keeps it. */
  public static final String ACTIVITY_TITLE = "Park clean-up";

  private static final String DATABASE = "civic_points_ledger_test";

  /** Where the rig's MongoDB keeps its documents. */
  public enum Store {
    /** mongo-java-server's memory backend, as in the other tests. */
    MEMORY,
    /** The dev server's embedded store: each write forced into its journal before the answer. */
    EMBEDDED;

    StartedMongo start(Path dataDir) {
      if (this == EMBEDDED) {
        EmbeddedMongo embedded = EmbeddedMongo.start(dataDir);
        return new StartedMongo(embedded.connectionString(), embedded::stop);
      }
      return listen(new MemoryBackend());
    }

    private static StartedMongo listen(MongoBackend backend) {
      MongoServer server = new MongoServer(backend);
      server.bind(new InetSocketAddress("127.0.0.1", 0));
      return new StartedMongo(
          "mongodb://127.0.0.1:" + server.getLocalAddress().getPort(), server::shutdownNow);
    }
  }

  private record StartedMongo(String uri, Runnable stop) {}

  public final TestDevnet devnet;
  public final MongoProbe mongo;
  private final StartedMongo mongoServer;
  private final Path dataDir;
  private final ApiConfig config;
  private final Clock clock;
  private Vertx vertx;
  private String deploymentId;
  private ApiVerticle verticle;
  public ApiClient client;
  private FabricLedger chainReader;
  private Vertx readerVertx;

  private LedgerRig(
      TestDevnet devnet, StartedMongo mongoServer, Path dataDir, ApiConfig config, Clock clock) {
    this.devnet = devnet;
    this.clock = clock;
    this.mongoServer = mongoServer;
    this.dataDir = dataDir;
    this.config = config;
    this.mongo = new MongoProbe(mongoServer.uri(), DATABASE);
  }

  public static LedgerRig start() {
    return start(Store.MEMORY);
  }

  public static LedgerRig start(Store store) {
    return start(store, Clock.systemUTC());
  }

  /** With the server's clock, e.g. a {@link MovableClock} to let days pass. */
  public static LedgerRig start(Store store, Clock clock) {
    return start(store, clock, Map.of());
  }

  /** As {@link #start(Store, Clock)}, with settings of the test's own (the expiry policy …). */
  public static LedgerRig start(Store store, Clock clock, Map<String, String> settings) {
    TestDevnet devnet = TestDevnet.start();
    Path dataDir = TestApi.temporaryDirectory();
    StartedMongo mongoServer = store.start(dataDir);
    Map<String, String> environment = TestApi.devEnvironment(mongoServer.uri(), DATABASE, dataDir);
    environment.putAll(devnet.settings());
    environment.putAll(settings);
    LedgerRig rig =
        new LedgerRig(devnet, mongoServer, dataDir, ApiConfig.fromEnv(environment), clock);
    rig.startApi();
    return rig;
  }

  public Devnet chain() {
    return devnet.devnet;
  }

  public void startApi() {
    vertx = Vertx.builder().with(Main.vertxOptions()).build();
    verticle = new ApiVerticle(config, clock);
    deploymentId = vertx.deployVerticle(verticle).await();
    client = ApiClient.create(vertx, verticle.actualPort());
  }

  /**
   * Stops the API process's verticle and its Vert.x, as a crash-free restart would; Mongo and the
   * devnet stay.
   */
  public void stopApi() {
    client.close();
    vertx.close().await();
  }

  /** A rule as the catalog stores it, queued for the ledger. */
  public String seedRule(
      String category, long points, long dailyCap, long yearlyCap, boolean active) {
    String ruleId = Ids.ruleId(); // the real shape: answers carry it
    Date now = new Date();
    MongoProbe.await(
        mongo
            .collection("point_rules")
            .insertOne(
                new Document("_id", ruleId)
                    .append("version", 1L)
                    .append("category", category)
                    .append("points", points)
                    .append("dailyCap", dailyCap)
                    .append("yearlyCap", yearlyCap)
                    .append("title", "Rule " + ruleId)
                    .append("active", active)
                    .append("createdAt", now)
                    .append("updatedAt", now)
                    .append(
                        "ledger",
                        new Document("state", "QUEUED")
                            .append("version", 1L)
                            .append("queuedAt", now)
                            .append("attempts", 0)
                            .append("leaseUntil", new Date(0)))));
    return ruleId;
  }

  /**
   * {@code count} approved submissions of one member, each of {@code units} units, in the outbox
   * shape of an approval.
   */
  public List<String> seedApproved(
      String memberId,
      String ruleId,
      String category,
      long requestedPoints,
      int units,
      LocalDate occurredOn,
      int count) {
    List<Document> documents = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    Date now = new Date();
    for (int i = 0; i < count; i++) {
      String submissionId = Ids.submissionId(); // the real shape: the API checks it in paths
      ids.add(submissionId);
      Document award =
          new Document("entryId", submissionId)
              .append("memberId", memberId)
              .append("ruleId", ruleId)
              .append("units", units)
              .append("occurredOn", occurredOn.toString())
              .append("orgUnitId", COMMUNITY)
              .append("actor", "m_staff0000000000000001");
      documents.add(
          new Document("_id", submissionId)
              .append("memberId", memberId)
              .append("activityId", "act_parkcleanupaaaaaaaaa")
              .append("activityTitle", ACTIVITY_TITLE)
              .append("communityId", COMMUNITY)
              .append("ruleId", ruleId)
              .append("ruleVersion", 1L)
              .append("category", category)
              .append("units", units)
              .append("occurredOn", occurredOn.toString())
              .append("requestedPoints", requestedPoints)
              .append("status", "APPROVED")
              .append("idempotencyKey", "seed-" + submissionId)
              .append("requestHash", "seed")
              .append("createdAt", now)
              .append("updatedAt", now)
              .append("approvedBy", "m_staffaaaaaaaaaaaaaaa")
              .append("approvedAt", now)
              .append(
                  "ledger",
                  new Document("state", "QUEUED")
                      .append("entryId", submissionId)
                      .append("queuedAt", now)
                      .append("attempts", 0)
                      .append("leaseUntil", new Date(0))
                      .append("award", award)));
    }
    if (!documents.isEmpty()) {
      MongoProbe.await(mongo.collection("submissions").insertMany(documents));
    }
    return ids;
  }

  /** What a reversal request writes. */
  public void requestReversal(String submissionId, String reason) {
    putReversal(submissionId, reversal(submissionId, reason, new Date()));
  }

  /**
   * A reversal as an instance killed while sending it leaves it: still QUEUED, under that
   * instance's lease until {@code leaseUntil}.
   */
  public void reversalClaimedBy(
      String owner, String submissionId, Instant queuedAt, Instant leaseUntil) {
    putReversal(
        submissionId,
        reversal(submissionId, "claimed before a crash", Date.from(queuedAt))
            .append("attempts", 1)
            .append("leaseOwner", owner)
            .append("leaseUntil", Date.from(leaseUntil)));
  }

  private static Document reversal(String submissionId, String reason, Date queuedAt) {
    return new Document("state", "QUEUED")
        .append("entryId", "rv_" + submissionId)
        .append("targetEntryId", submissionId)
        .append("reason", reason)
        .append("actor", "m_staff0000000000000001")
        .append("queuedAt", queuedAt)
        .append("attempts", 0)
        .append("leaseUntil", new Date(0));
  }

  private void putReversal(String submissionId, Document reversal) {
    MongoProbe.await(
        mongo
            .collection("submissions")
            .updateOne(
                Filters.eq("_id", submissionId),
                new Document("$set", new Document("reversal", reversal))));
  }

  /** The size of the store's H2 file (0 in memory). */
  public long storeFileBytes() {
    try (Stream<Path> files = Files.walk(dataDir)) {
      return files
          .filter(file -> file.toString().endsWith(".mv"))
          .mapToLong(file -> file.toFile().length())
          .sum();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Document submission(String submissionId) {
    return mongo.findOne("submissions", Filters.eq("_id", submissionId));
  }

  public long countWithStatus(String status) {
    return mongo.count("submissions", Filters.eq("status", status));
  }

  /**
   * The chain's account of a member (GetAccount through a separate gateway client), empty when
   * none.
   */
  public Optional<JsonObject> chainAccount(String memberId) {
    return reader().account(memberId).await();
  }

  public Optional<JsonObject> chainEntry(String entryId) {
    return reader().entry(entryId).await();
  }

  /**
   * A gateway client of its own with the relay's identity, for the ledger writes that have no
   * endpoint yet (redeem, refund, expire): they reach the projector as any other transaction.
   */
  public org.civicpoints.api.port.Ledger chainWriter() {
    return reader();
  }

  private synchronized FabricLedger reader() {
    if (chainReader == null) {
      readerVertx = Vertx.vertx();
      chainReader =
          readerVertx
              .executeBlocking(() -> FabricLedger.connect(readerVertx, config.fabric()))
              .await();
    }
    return chainReader;
  }

  /**
   * Validation codes of every transaction in every block (TRANSACTIONS_FILTER), counted by code.
   */
  public Map<Integer, Integer> validationCodes() {
    Map<Integer, Integer> counts = new HashMap<>();
    try {
      for (long number = 0; number < chain().height(); number++) {
        Block block = chain().block(number).orElseThrow();
        byte[] filter =
            block
                .getMetadata()
                .getMetadata(BlockMetadataIndex.TRANSACTIONS_FILTER_VALUE)
                .toByteArray();
        for (byte code : filter) {
          counts.merge((int) code, 1, Integer::sum);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return counts;
  }

  @Override
  public void close() {
    if (chainReader != null) {
      chainReader.close().await();
      readerVertx.close().await();
    }
    stopApi();
    mongo.close();
    mongoServer.stop().run();
    devnet.close();
  }
}
