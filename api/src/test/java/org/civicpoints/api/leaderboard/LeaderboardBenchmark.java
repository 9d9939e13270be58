package org.civicpoints.api.leaderboard;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.gt;

import com.mongodb.client.model.Sorts;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.sun.management.GarbageCollectorMXBean;
import com.sun.management.GcInfo;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.civicpoints.api.domain.Board;
import org.civicpoints.api.domain.Caller;
import org.civicpoints.api.domain.Role;
import org.civicpoints.api.mongo.MongoBoardMembers;
import org.civicpoints.api.mongo.MongoExportAudit;
import org.civicpoints.api.mongo.MongoMembers;
import org.civicpoints.api.mongo.MongoOrgUnits;
import org.civicpoints.api.mongo.MongoStandings;
import org.civicpoints.api.mongo.MongoStore;
import org.civicpoints.api.service.DemoCity;
import org.civicpoints.api.service.LeaderboardService;
import org.civicpoints.api.service.OrgUnitService;
import org.civicpoints.api.service.OrganisationService;
import org.civicpoints.api.support.Sessions.SignedIn;
import org.reactivestreams.Publisher;

/**
 * Not a test: leaderboard reads and exports on the embedded mongo-java-server (memory backend), in
 * one JVM with the API. Every board has a member profile per standing, 1 in 50 of them HIDDEN.
 *
 * <ol>
 *   <li>Top 100 of a board of 10,000 and of 100,000 members through {@link
 *       LeaderboardService#page}: median of 7 reads after 2 warm-ups. Each read alternates with one
 *       of the store alone: the same board query (find, sort in board order, limit 101) through the
 *       driver.
 *   <li>Exports of a board of 100,000 members as CSV and as XLSX through the real HTTP API, the
 *       client reading the stream in the same JVM without keeping it. Each format is exported three
 *       times: a cold run (first in the JVM), a timed run, and a heap run. Next to them the store
 *       alone: the export's board cursor drained through the driver, and the member lookups of its
 *       200 batches through {@link MongoBoardMembers#byIds}.
 * </ol>
 *
 * <p>Heap: the figure is the growth of the live heap, not of the used heap. Used heap counts
 * garbage not yet collected, so it grows with how fast an export allocates, not with what it holds
 * (the earlier "+476 MB" was that). During the heap run a sampler calls {@code System.gc()} (a
 * full, stop-the-world collection on G1) every 250 ms and takes the heap in use right after that
 * collection from the collection's own record ({@link GcInfo#getMemoryUsageAfterGc()}); the figure
 * is the highest sample minus the same reading taken just before the export. The full collections
 * slow the heap run down, so it is not the timed run, and a peak that lives shorter than the
 * interval can be missed. Everything in the JVM counts: the API's batches and write queue, the
 * driver's buffers, the client's, and mongo-java-server's own state for the export's query (the
 * sorted list of the board's documents it keeps for the cursor, and its reply buffers).
 *
 * <pre>mvn -B -o -q -pl api test-compile exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=org.civicpoints.api.leaderboard.LeaderboardBenchmark</pre>
 */
public final class LeaderboardBenchmark {

  private static final Caller ADMIN =
      new Caller("m_aaaaaaaaaaaaaaaaaaaa", Set.of(Role.ADMIN), Set.of());
  private static final Bson BOARD_ORDER =
      Sorts.orderBy(Sorts.descending("points"), Sorts.ascending("memberId"));
  private static final int EXPORT_BATCH = 500;

  private LeaderboardBenchmark() {}

  /**
   * Exits either way: the embedded servers' threads would otherwise keep the JVM, and Maven,
   * waiting.
   */
  public static void main(String[] args) {
    try {
      for (int size : new int[] {10_000, 100_000}) {
        topHundred(size);
      }
      exports(100_000);
      System.exit(0);
    } catch (Throwable failed) {
      failed.printStackTrace();
      System.exit(1);
    }
  }

  private static void topHundred(int size) throws Exception {
    MongoServer server = new MongoServer(new MemoryBackend());
    server.bind(new InetSocketAddress("127.0.0.1", 0));
    String uri = "mongodb://127.0.0.1:" + server.getLocalAddress().getPort();
    MongoStore store = new MongoStore(uri, "bench");
    try (MongoClient client = MongoClients.create(uri)) {
      String boardKey = "city|year:2026|ALL";
      MongoCollection<Document> standingsCollection =
          client.getDatabase("bench").getCollection("standings");
      seedMembers(
          client.getDatabase("bench").getCollection("members"),
          seed(standingsCollection, boardKey, size));
      MongoStandings standings = new MongoStandings(store);
      MongoOrgUnits orgUnits = new MongoOrgUnits(store);
      OrganisationService organisation = new OrganisationService(orgUnits);
      new OrgUnitService(orgUnits, organisation, null, Clock.systemUTC())
          .seed(DemoCity.csv(), DemoCity::idOf)
          .toCompletionStage()
          .toCompletableFuture()
          .get();
      standings.createIndexes().toCompletionStage().toCompletableFuture().get();
      LeaderboardService service =
          new LeaderboardService(
              standings,
              new MongoBoardMembers(store),
              new MongoMembers(store),
              organisation,
              new MongoExportAudit(store),
              Clock.systemUTC());
      Board board = LeaderboardService.board("city", "year:2026", "ALL");
      // Alternated, so that both see the same machine and the same warmed-up store.
      long[] pageMillis = new long[9];
      long[] storeMillis = new long[9];
      for (int i = 0; i < pageMillis.length; i++) {
        pageMillis[i] =
            millis(
                () ->
                    service
                        .page(ADMIN, board, 100, null)
                        .toCompletionStage()
                        .toCompletableFuture()
                        .get()
                        .entries()
                        .size(),
                100);
        storeMillis[i] =
            millis(
                () ->
                    drain(
                        standingsCollection
                            .find(and(eq("board", boardKey), gt("points", 0L)))
                            .sort(BOARD_ORDER)
                            .limit(101)),
                101);
      }
      pageMillis = Arrays.copyOfRange(pageMillis, 2, pageMillis.length);
      storeMillis = Arrays.copyOfRange(storeMillis, 2, storeMillis.length);
      System.out.printf(
          "top-100 of %,d members: median %d ms (reads: %s); store alone (find+sort+limit 101): "
              + "median %d ms (%s)%n",
          size,
          median(pageMillis),
          Arrays.toString(pageMillis),
          median(storeMillis),
          Arrays.toString(storeMillis));
    } finally {
      store.close();
      server.shutdownNow();
    }
  }

  /** How long {@code call} takes; it must return {@code expected}. */
  private static long millis(Callable<Integer> call, int expected) throws Exception {
    long start = System.nanoTime();
    int found = call.call();
    if (found != expected) {
      throw new IllegalStateException("expected " + expected + ", got " + found);
    }
    return (System.nanoTime() - start) / 1_000_000;
  }

  private static long median(long[] values) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  private static void exports(int size) throws Exception {
    try (LeaderboardFixture fixture = LeaderboardFixture.start()) {
      SignedIn admin = fixture.admin();
      MongoCollection<Document> standings = fixture.collection("standings");
      String boardKey = "city|year:2027|ALL";
      List<String> ids = seed(standings, boardKey, size);
      seedMembers(fixture.collection("members"), ids);
      storeAlone(fixture, standings, boardKey, ids);
      for (String format : List.of("csv", "xlsx")) {
        Export cold = export(fixture, admin, format, false);
        Export timed = export(fixture, admin, format, false);
        Export heap = export(fixture, admin, format, true);
        System.out.printf(
            "export %s of %,d rows (%,d bytes): %d ms (cold: %d ms); live heap growth %.1f MB "
                + "(live heap %.0f MB before, highest of %d samples %.0f MB; heap run %d ms)%n",
            format,
            size,
            timed.bytes,
            timed.millis,
            cold.millis,
            heap.growthMb(),
            heap.liveBefore / 1024.0 / 1024.0,
            heap.samples,
            heap.liveHighest / 1024.0 / 1024.0,
            heap.millis);
      }
    }
  }

  /**
   * What the store alone takes for an export: its board cursor drained, and its members looked up
   * batch by batch.
   */
  private static void storeAlone(
      LeaderboardFixture fixture,
      MongoCollection<Document> standings,
      String boardKey,
      List<String> ids)
      throws Exception {
    long start = System.nanoTime();
    long read =
        drain(
            standings
                .find(and(eq("board", boardKey), gt("points", 0L)))
                .sort(BOARD_ORDER)
                .batchSize(EXPORT_BATCH));
    long cursorMillis = (System.nanoTime() - start) / 1_000_000;
    MongoStore store = new MongoStore(fixture.mongoUri, LeaderboardFixture.DATABASE);
    MongoBoardMembers members = new MongoBoardMembers(store);
    start = System.nanoTime();
    long found = 0;
    for (int from = 0; from < ids.size(); from += EXPORT_BATCH) {
      found +=
          members
              .byIds(ids.subList(from, Math.min(ids.size(), from + EXPORT_BATCH)))
              .toCompletionStage()
              .toCompletableFuture()
              .get()
              .size();
    }
    long lookupMillis = (System.nanoTime() - start) / 1_000_000;
    store.close();
    if (read != ids.size() || found != ids.size()) {
      throw new IllegalStateException(
          "read " + read + " standings and " + found + " members of " + ids.size());
    }
    System.out.printf(
        "store alone for an export of %,d rows: board cursor (find+sort, batches of %d) %d ms, "
            + "member lookups %d ms%n",
        ids.size(), EXPORT_BATCH, cursorMillis, lookupMillis);
  }

  /** A run of one export: {@code liveBefore} and {@code liveHighest} are live heap, in bytes. */
  private record Export(long millis, long bytes, long liveBefore, long liveHighest, int samples) {

    double growthMb() {
      return (liveHighest - liveBefore) / 1024.0 / 1024.0;
    }
  }

  private static Export export(
      LeaderboardFixture fixture, SignedIn admin, String format, boolean sampleHeap)
      throws Exception {
    long before = liveHeap();
    AtomicLong highest = new AtomicLong(before);
    AtomicInteger samples = new AtomicInteger();
    AtomicBoolean exporting = new AtomicBoolean(true);
    Thread sampler =
        new Thread(
            () -> {
              while (exporting.get()) {
                highest.accumulateAndGet(liveHeap(), Math::max);
                samples.incrementAndGet();
                try {
                  Thread.sleep(250);
                } catch (InterruptedException stop) {
                  return;
                }
              }
            });
    if (sampleHeap) {
      sampler.setDaemon(true);
      sampler.start();
    }
    long start = System.nanoTime();
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create(
                    "http://127.0.0.1:"
                        + fixture.api.verticle.actualPort()
                        + "/v1/leaderboards/export?format="
                        + format
                        + "&scope=city&period=year:2027"))
            .header("Authorization", "Bearer " + admin.accessToken())
            .build();
    HttpResponse<InputStream> response =
        HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofInputStream());
    long bytes = 0;
    try (InputStream body = response.body()) {
      byte[] buffer = new byte[64 * 1024];
      for (int read = body.read(buffer); read >= 0; read = body.read(buffer)) {
        bytes += read;
      }
    }
    long millis = (System.nanoTime() - start) / 1_000_000;
    exporting.set(false);
    if (sampleHeap) {
      sampler.join();
    }
    if (response.statusCode() != 200) {
      throw new IllegalStateException(format + " export answered " + response.statusCode());
    }
    return new Export(millis, bytes, before, highest.get(), samples.get());
  }

  /**
   * The heap in use right after a full collection, as that collection recorded it: what is still
   * reachable. Read from the collection's own record rather than from the heap afterwards, which
   * already holds whatever the export allocated since.
   */
  private static long liveHeap() {
    System.gc();
    GcInfo last = null;
    for (GarbageCollectorMXBean collector :
        ManagementFactory.getPlatformMXBeans(GarbageCollectorMXBean.class)) {
      GcInfo info = collector.getLastGcInfo();
      if (info != null && (last == null || info.getEndTime() > last.getEndTime())) {
        last = info;
      }
    }
    long used = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        used += last.getMemoryUsageAfterGc().get(pool.getName()).getUsed();
      }
    }
    return used;
  }

  /**
   * A board of {@code size} standings with spread-out points (ties included); returns the member
   * ids.
   */
  private static List<String> seed(MongoCollection<Document> standings, String board, int size) {
    List<String> ids = new ArrayList<>(size);
    List<Document> documents = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      ids.add(LeaderboardFixture.seededMemberId(i));
      documents.add(LeaderboardFixture.standing(board, ids.get(i), 1 + (i * 7919L) % 5000, i));
    }
    LeaderboardFixture.insert(standings, documents);
    return ids;
  }

  /** A profile per member, every 50th of them HIDDEN from public boards. */
  private static void seedMembers(MongoCollection<Document> members, List<String> ids) {
    List<Document> documents = new ArrayList<>(ids.size());
    for (int i = 0; i < ids.size(); i++) {
      documents.add(
          LeaderboardFixture.profile(
              ids.get(i), "Resident " + i, i % 50 == 0 ? "HIDDEN" : "MASKED"));
    }
    LeaderboardFixture.insert(members, documents);
  }

  private static int drain(Publisher<?> publisher) {
    return LeaderboardFixture.drain(publisher);
  }
}
