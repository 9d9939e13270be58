package org.civicpoints.api.leaderboard;

import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.vertx.core.json.JsonObject;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.civicpoints.api.config.ApiConfig;
import org.civicpoints.api.domain.ChainPosition;
import org.civicpoints.api.domain.MovedEntry;
import org.civicpoints.api.port.PointsProjection;
import org.civicpoints.api.support.ApiClient;
import org.civicpoints.api.support.Sessions;
import org.civicpoints.api.support.Sessions.SignedIn;
import org.civicpoints.api.support.TestApi;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * The real API (as TestApi starts it) plus what leaderboard tests need around it: ledger entries
 * fed straight into the standings projection, members with names and visibility set through
 * the API, and a look into MongoDB for the audit trail.
 */
final class LeaderboardFixture implements AutoCloseable {

  static final String ADMIN_PHONE = "+8613700000077";

  final TestApi api;
  final ApiClient client;
  private final MongoClient mongo;
  private final AtomicLong nextBlock = new AtomicLong(1);

  private LeaderboardFixture(TestApi api, MongoClient mongo) {
    this.api = api;
    this.client = api.client;
    this.mongo = mongo;
  }

  static LeaderboardFixture start() {
    MongoServer server = new MongoServer(new MemoryBackend());
    server.bind(new InetSocketAddress("127.0.0.1", 0));
    String uri = "mongodb://127.0.0.1:" + server.getLocalAddress().getPort();
    Path dataDir = TestApi.temporaryDirectory();
    Map<String, String> environment = new HashMap<>();
    environment.put("CIVIC_ENV", "dev");
    environment.put("HTTP_HOST", "127.0.0.1");
    environment.put("HTTP_PORT", "0");
    environment.put("DATA_DIR", dataDir.toString());
    environment.put("MONGO_URI", uri);
    environment.put("MONGO_DB", "civic_points_test");
    environment.put("FABRIC_DEVNET_PORT", "0");
    environment.put("AUTH_RATE_LIMIT_PER_IP", "100000");
    environment.put("AUTH_RATE_LIMIT_PER_PHONE", "1000");
    environment.put("BOOTSTRAP_ADMIN_PHONE", ADMIN_PHONE);
    TestApi api = TestApi.startWith(ApiConfig.fromEnv(environment), server, dataDir);
    return new LeaderboardFixture(api, MongoClients.create(uri));
  }

  PointsProjection projection() {
    return api.verticle.pointsProjections().get(0);
  }

  /** One award in a transaction of its own, in the next block. */
  MovedEntry award(SignedIn member, String communityId, String category, String day, long points) {
    MovedEntry entry = entry(nextBlock.getAndIncrement(), 0, 0, member.memberId(), "AWARD", points, category,
        communityId, day);
    apply(List.of(entry));
    return entry;
  }

  void apply(List<MovedEntry> transaction) {
    projection().apply(transaction).await();
  }

  long block() {
    return nextBlock.getAndIncrement();
  }

  static MovedEntry entry(long block, int tx, int index, String memberId, String kind, long points, String category,
      String communityId, String day) {
    return new MovedEntry(new ChainPosition(block, tx, index), "tx" + block + "_" + tx, "s_" + block + "_" + tx + "_"
        + index, memberId, kind, points, category, communityId, LocalDate.parse(day), 0);
  }

  SignedIn member(String communityId) {
    return Sessions.inCommunity(client, communityId);
  }

  SignedIn member(String communityId, String displayName, String visibility) {
    SignedIn member = member(communityId);
    JsonObject changes = new JsonObject().put("leaderboardVisibility", visibility);
    if (displayName != null) {
      changes.put("displayName", displayName);
    }
    ApiClient.Reply reply = client.patch("updateMe", "/v1/me", changes, member.accessToken());
    if (reply.status() != 200) {
      throw new AssertionError("profile change refused: " + reply.body());
    }
    return member;
  }

  SignedIn withRoles(String communityId, String... roles) {
    return Sessions.withRoles(client, communityId, roles);
  }

  SignedIn admin() {
    return Sessions.signIn(client, new JsonObject().put("phone", ADMIN_PHONE));
  }

  com.mongodb.reactivestreams.client.MongoCollection<Document> collection(String name) {
    return mongo.getDatabase("civic_points_test").getCollection(name);
  }

  List<Document> find(String collection, Bson filter) {
    CompletableFuture<List<Document>> found = new CompletableFuture<>();
    List<Document> documents = new ArrayList<>();
    mongo.getDatabase("civic_points_test").getCollection(collection).find(filter).subscribe(new Subscriber<>() {
      @Override
      public void onSubscribe(Subscription subscription) {
        subscription.request(Long.MAX_VALUE);
      }

      @Override
      public void onNext(Document document) {
        documents.add(document);
      }

      @Override
      public void onError(Throwable failure) {
        found.completeExceptionally(failure);
      }

      @Override
      public void onComplete() {
        found.complete(documents);
      }
    });
    try {
      return found.get(10, TimeUnit.SECONDS);
    } catch (Exception failed) {
      throw new AssertionError("reading " + collection + " failed", failed);
    }
  }

  @Override
  public void close() {
    mongo.close();
    api.close();
  }
}
