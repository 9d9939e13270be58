package org.civicpoints.api.leaderboard;

import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import com.mongodb.reactivestreams.client.MongoCollection;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.vertx.core.json.JsonObject;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.civicpoints.api.config.ApiConfig;
import org.civicpoints.api.domain.ChainPosition;
import org.civicpoints.api.domain.EntryKind;
import org.civicpoints.api.domain.MovedEntry;
import org.civicpoints.api.mongo.MongoMembers;
import org.civicpoints.api.mongo.MongoOrgUnits;
import org.civicpoints.api.mongo.MongoStandings;
import org.civicpoints.api.mongo.MongoStore;
import org.civicpoints.api.port.PointsProjection;
import org.civicpoints.api.service.OrganisationService;
import org.civicpoints.api.service.StandingsProjection;
import org.civicpoints.api.support.ApiClient;
import org.civicpoints.api.support.MongoProbe;
import org.civicpoints.api.support.Sessions;
import org.civicpoints.api.support.Sessions.SignedIn;
import org.civicpoints.api.support.TestApi;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * The real API (as TestApi starts it) plus what leaderboard tests need around it: ledger entries
 * fed straight into the standings projection, members with names and visibility set through the
 * API, and a look into MongoDB for the audit trail.
 */
final class LeaderboardFixture implements AutoCloseable {

  static final String ADMIN_PHONE = "+8613700000077";

  static final String DATABASE = "civic_points_test";

  final TestApi api;
  final ApiClient client;
  final String mongoUri;
  private final MongoClient mongo;
  private final MongoStore store;
  private final StandingsProjection projection;
  private final AtomicLong nextBlock = new AtomicLong(1);

  private LeaderboardFixture(TestApi api, String mongoUri, ZoneId zone) {
    this.api = api;
    this.client = api.client;
    this.mongoUri = mongoUri;
    this.mongo = MongoClients.create(mongoUri);
    this.store = new MongoStore(mongoUri, DATABASE);
    this.projection = standingsProjection(store, zone);
  }

  /** The standings projection as the server builds it, on the server's database. */
  private static StandingsProjection standingsProjection(MongoStore store, ZoneId zone) {
    OrganisationService organisation = new OrganisationService(new MongoOrgUnits(store));
    organisation.reload().await();
    return new StandingsProjection(
        new MongoStandings(store), new MongoMembers(store), organisation, Clock.system(zone));
  }

  static LeaderboardFixture start() {
    MongoServer server = new MongoServer(new MemoryBackend());
    server.bind(new InetSocketAddress("127.0.0.1", 0));
    String uri = "mongodb://127.0.0.1:" + server.getLocalAddress().getPort();
    Path dataDir = TestApi.temporaryDirectory();
    Map<String, String> environment = TestApi.devEnvironment(uri, DATABASE, dataDir);
    environment.put("FABRIC_DEVNET_PORT", "0");
    environment.put("BOOTSTRAP_ADMIN_PHONE", ADMIN_PHONE);
    ApiConfig config = ApiConfig.fromEnv(environment);
    TestApi api = TestApi.startWith(config, server, dataDir);
    return new LeaderboardFixture(api, uri, config.timeZone());
  }

  PointsProjection projection() {
    return projection;
  }

  /** One award in a transaction of its own, in the next block. */
  MovedEntry award(SignedIn member, String communityId, String category, String day, long points) {
    MovedEntry entry =
        entry(
            nextBlock.getAndIncrement(),
            0,
            0,
            member.memberId(),
            "AWARD",
            points,
            category,
            communityId,
            day);
    apply(List.of(entry));
    return entry;
  }

  void apply(List<MovedEntry> transaction) {
    projection().apply(transaction).await();
  }

  long block() {
    return nextBlock.getAndIncrement();
  }

  static MovedEntry entry(
      long block,
      int tx,
      int index,
      String memberId,
      String kind,
      long points,
      String category,
      String communityId,
      String day) {
    return new MovedEntry(
        new ChainPosition(block, tx, index),
        "tx" + block + "_" + tx,
        "s_" + block + "_" + tx + "_" + index,
        memberId,
        EntryKind.valueOf(kind),
        points,
        category,
        communityId,
        LocalDate.parse(day),
        0,
        java.util.Map.of(),
        java.util.Map.of());
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

  /**
   * Member number {@code n} of a board written straight into MongoDB: "m_" and 20 letters, as the
   * contract wants.
   */
  static String seededMemberId(long n) {
    StringBuilder id = new StringBuilder("m_");
    String digits = String.format("%020d", n);
    digits.chars().forEach(digit -> id.append((char) ('a' + digit - '0')));
    return id.toString();
  }

  /**
   * A standing in the shape the projection writes, without the chain bookkeeping the reads do not
   * use.
   */
  static Document standing(String board, String memberId, long points, long block) {
    return new Document("_id", board + "|" + memberId)
        .append("board", board)
        .append("memberId", memberId)
        .append("points", points)
        .append("entries", 1L)
        .append("byCategory", new Document("VOLUNTEER", points))
        .append("lastTxId", "tx" + block)
        .append("lastBlock", block);
  }

  /** A member profile in the shape MongoMembers writes. */
  static Document profile(String memberId, String displayName, String visibility) {
    return new Document("_id", memberId)
        .append("displayName", displayName)
        .append("roles", List.of("RESIDENT"))
        .append("scopes", List.of())
        .append("communityId", "c-east-1a")
        .append("leaderboardVisibility", visibility)
        .append("party", new Document("status", "NONE"))
        .append("createdAt", new Date());
  }

  /** Inserts in batches of 10,000 and waits. */
  static void insert(MongoCollection<Document> collection, List<Document> documents) {
    for (int from = 0; from < documents.size(); from += 10_000) {
      drain(
          collection.insertMany(
              documents.subList(from, Math.min(documents.size(), from + 10_000))));
    }
  }

  /** Subscribes, takes everything, waits, and returns how many items came. */
  static <T> int drain(Publisher<T> publisher) {
    CompletableFuture<Integer> done = new CompletableFuture<>();
    publisher.subscribe(
        new Subscriber<T>() {
          private int items;

          @Override
          public void onSubscribe(Subscription subscription) {
            subscription.request(Long.MAX_VALUE);
          }

          @Override
          public void onNext(T item) {
            items++;
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
      return done.get(5, TimeUnit.MINUTES);
    } catch (Exception failed) {
      throw new AssertionError("a MongoDB call failed", failed);
    }
  }

  MongoCollection<Document> collection(String name) {
    return mongo.getDatabase(DATABASE).getCollection(name);
  }

  List<Document> find(String collection, Bson filter) {
    return MongoProbe.await(collection(collection).find(filter));
  }

  @Override
  public void close() {
    mongo.close();
    store.close();
    api.close();
  }
}
