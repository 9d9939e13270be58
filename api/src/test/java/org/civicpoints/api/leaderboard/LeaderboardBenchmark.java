package org.civicpoints.api.leaderboard;

import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import com.mongodb.reactivestreams.client.MongoCollection;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.vertx.core.Vertx;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.bson.Document;
import org.civicpoints.api.domain.Board;
import org.civicpoints.api.domain.Caller;
import org.civicpoints.api.domain.Role;
import org.civicpoints.api.mongo.MongoBoardMembers;
import org.civicpoints.api.mongo.MongoExportAudit;
import org.civicpoints.api.mongo.MongoMembers;
import org.civicpoints.api.mongo.MongoOrgUnits;
import org.civicpoints.api.mongo.MongoStandings;
import org.civicpoints.api.mongo.MongoStore;
import org.civicpoints.api.service.LeaderboardService;
import org.civicpoints.api.service.OrganisationService;
import org.civicpoints.api.support.Sessions.SignedIn;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * Not a test: measures (1) the latency of reading the top 100 of a board of 10,000 and of 100,000
 * members through LeaderboardService on the embedded mongo-java-server (memory backend), median of
 * 7 reads after 2 warm-ups, and (2) the time and peak heap growth of exporting a board of 100,000
 * members as CSV and as XLSX through the real HTTP API, the client reading the stream in the same
 * JVM without keeping it. Heap is sampled every 5 ms with MemoryMXBean after a GC.
 *
 * <pre>mvn -B -o -q -pl api test-compile exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=org.civicpoints.api.leaderboard.LeaderboardBenchmark</pre>
 */
public final class LeaderboardBenchmark {

  private static final Caller ADMIN = new Caller("m_aaaaaaaaaaaaaaaaaaaa", Set.of(Role.ADMIN), Set.of());

  private LeaderboardBenchmark() {}

  public static void main(String[] args) throws Exception {
    for (int size : new int[] {10_000, 100_000}) {
      topHundred(size);
    }
    exports(100_000);
    System.exit(0);
  }

  private static void topHundred(int size) throws Exception {
    MongoServer server = new MongoServer(new MemoryBackend());
    server.bind(new InetSocketAddress("127.0.0.1", 0));
    Vertx vertx = Vertx.vertx();
    String uri = "mongodb://127.0.0.1:" + server.getLocalAddress().getPort();
    MongoStore store = new MongoStore(uri, "bench");
    try (MongoClient client = MongoClients.create(uri)) {
      seed(client.getDatabase("bench").getCollection("standings"), "city|year:2026|ALL", size);
      MongoStandings standings = new MongoStandings(store);
      OrganisationService organisation = new OrganisationService(new MongoOrgUnits(store));
      organisation.load(true).toCompletionStage().toCompletableFuture().get();
      standings.createIndexes().toCompletionStage().toCompletableFuture().get();
      LeaderboardService service = new LeaderboardService(standings, new MongoBoardMembers(store),
          new MongoMembers(store), organisation, new MongoExportAudit(store), Clock.systemUTC());
      Board board = LeaderboardService.board("city", "year:2026", "ALL");
      long[] millis = new long[9];
      for (int i = 0; i < millis.length; i++) {
        long start = System.nanoTime();
        int entries = service.page(ADMIN, board, 100, null).toCompletionStage().toCompletableFuture().get().entries().size();
        millis[i] = (System.nanoTime() - start) / 1_000_000;
        if (entries != 100) {
          throw new IllegalStateException("expected 100 entries, got " + entries);
        }
      }
      long[] measured = Arrays.copyOfRange(millis, 2, millis.length);
      Arrays.sort(measured);
      System.out.printf("top-100 of %,d members: median %d ms (reads: %s)%n", size, measured[measured.length / 2],
          Arrays.toString(Arrays.copyOfRange(millis, 2, millis.length)));
    } finally {
      store.close();
      vertx.close().toCompletionStage().toCompletableFuture().get();
      server.shutdownNow();
    }
  }

  private static void exports(int size) throws Exception {
    try (LeaderboardFixture fixture = LeaderboardFixture.start()) {
      SignedIn admin = fixture.admin();
      MongoCollection<Document> standings = fixture.collection("standings");
      List<String> ids = seed(standings, "city|year:2027|ALL", size);
      seedMembers(fixture.collection("members"), ids);
      for (String format : List.of("csv", "xlsx")) {
        export(fixture, admin, format);
      }
    }
  }

  private static void export(LeaderboardFixture fixture, SignedIn admin, String format) throws Exception {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    System.gc();
    Thread.sleep(200);
    long baseline = memory.getHeapMemoryUsage().getUsed();
    AtomicLong peak = new AtomicLong(baseline);
    AtomicBoolean sampling = new AtomicBoolean(true);
    Thread sampler = new Thread(() -> {
      while (sampling.get()) {
        peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
        try {
          Thread.sleep(5);
        } catch (InterruptedException stop) {
          return;
        }
      }
    });
    sampler.setDaemon(true);
    sampler.start();
    long start = System.nanoTime();
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + fixture.api.verticle.actualPort()
            + "/v1/leaderboards/export?format=" + format + "&scope=city&period=year:2027"))
        .header("Authorization", "Bearer " + admin.accessToken()).build();
    HttpResponse<InputStream> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofInputStream());
    long bytes = 0;
    try (InputStream body = response.body()) {
      byte[] buffer = new byte[64 * 1024];
      for (int read = body.read(buffer); read >= 0; read = body.read(buffer)) {
        bytes += read;
      }
    }
    long elapsed = (System.nanoTime() - start) / 1_000_000;
    sampling.set(false);
    sampler.join();
    if (response.statusCode() != 200) {
      throw new IllegalStateException(format + " export answered " + response.statusCode());
    }
    System.out.printf("export %s of 100,000 rows: %d ms, %,d bytes, peak heap growth %.1f MB%n", format, elapsed, bytes,
        (peak.get() - baseline) / 1024.0 / 1024.0);
  }

  /** A board of {@code size} standings with spread-out points (ties included); returns the member ids. */
  static List<String> seed(MongoCollection<Document> standings, String board, int size) throws Exception {
    List<String> ids = new ArrayList<>(size);
    List<Document> batch = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      String memberId = String.format("m_%020d", i).replace('0', 'a').replace('1', 'b').replace('2', 'c')
          .replace('3', 'd').replace('4', 'e').replace('5', 'f').replace('6', 'g').replace('7', 'h')
          .replace('8', 'i').replace('9', 'j');
      ids.add(memberId);
      long points = 1 + (i * 7919L) % 5000;
      batch.add(new Document("_id", board + "|" + memberId).append("board", board).append("memberId", memberId)
          .append("points", points).append("entries", 3L).append("lastPosition", (long) i).append("lastTxId", "tx" + i)
          .append("lastBlock", (long) i).append("byCategory", new Document("VOLUNTEER", points)));
      if (batch.size() == 10_000) {
        await(standings.insertMany(batch));
        batch = new ArrayList<>();
      }
    }
    if (!batch.isEmpty()) {
      await(standings.insertMany(batch));
    }
    return ids;
  }

  private static void seedMembers(MongoCollection<Document> members, List<String> ids) throws Exception {
    List<Document> batch = new ArrayList<>();
    for (int i = 0; i < ids.size(); i++) {
      batch.add(new Document("_id", ids.get(i)).append("displayName", "Resident " + i).append("roles", List.of("RESIDENT"))
          .append("scopes", List.of()).append("communityId", "c-east-1a")
          .append("leaderboardVisibility", i % 50 == 0 ? "HIDDEN" : "MASKED")
          .append("party", new Document("status", "NONE")).append("createdAt", new Date()));
      if (batch.size() == 10_000) {
        await(members.insertMany(batch));
        batch = new ArrayList<>();
      }
    }
    if (!batch.isEmpty()) {
      await(members.insertMany(batch));
    }
  }

  private static <T> void await(Publisher<T> publisher) throws Exception {
    CompletableFuture<Void> done = new CompletableFuture<>();
    publisher.subscribe(new Subscriber<T>() {
      @Override
      public void onSubscribe(Subscription subscription) {
        subscription.request(Long.MAX_VALUE);
      }

      @Override
      public void onNext(T item) {}

      @Override
      public void onError(Throwable failure) {
        done.completeExceptionally(failure);
      }

      @Override
      public void onComplete() {
        done.complete(null);
      }
    });
    done.get(5, TimeUnit.MINUTES);
  }
}
