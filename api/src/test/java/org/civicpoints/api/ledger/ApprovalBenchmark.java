package org.civicpoints.api.ledger;

import com.mongodb.client.model.Filters;
import io.vertx.core.json.JsonObject;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.bson.Document;
import org.civicpoints.api.domain.Ids;
import org.civicpoints.api.support.ApiClient.Reply;
import org.civicpoints.api.support.Eventually;
import org.civicpoints.api.support.LedgerRig;
import org.civicpoints.api.support.MongoProbe;
import org.civicpoints.api.support.Sessions;

/**
 * Not a test: approvals per second to RECORDED and the delay from approval to RECORDED, through the
 * real API (HTTP batch-approve), relay, gateway client, devnet and projector. Pending submissions
 * are seeded in MongoDB (creating them through activities and check-ins is not what is measured).
 * Args: [submissions (5000)] [members (500)] [concurrent batch-approve calls (4)] [approvals per
 * second (0)] [warm-up submissions per round (as many as measured)]: 0 approves everything at once
 * in batches of 500 by that many concurrent callers (a burst: the delay then mostly measures the
 * queue); a rate sends batches of 50 at their times, open loop, so that the delay is that of a
 * steady load. Unmeasured warm-up rounds go the same way first, until the JIT has settled, so the
 * figures are those of a running server rather than of a JVM still compiling its hot paths.
 *
 * <p>The store is the dev server's embedded one (documents on the heap, each write forced into its
 * journal before it is answered) unless {@code -Dbenchmark.store=memory} (mongo-java-server's
 * memory backend without a journal, as in the tests) is given.
 */
public final class ApprovalBenchmark {

  /** Only decides when to stop: the figures come from the documents' own times. */
  private static final Duration POLL = Duration.ofMillis(500);

  private static final int LOOKUP = 1000;
  private static final int MAX_WARM_UP_ROUNDS = 20;

  /** Settled: compiling took under a tenth of a round's wall time. */
  private static final double SETTLED_JIT_PERCENT = 10;

  private static final int CORES = Runtime.getRuntime().availableProcessors();

  private ApprovalBenchmark() {}

  public static void main(String[] args) throws Exception {
    int submissions = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
    int members = args.length > 1 ? Integer.parseInt(args[1]) : 500;
    int concurrency = args.length > 2 ? Integer.parseInt(args[2]) : 4;
    int rate = args.length > 3 ? Integer.parseInt(args[3]) : 0;
    int warmUp = args.length > 4 ? Integer.parseInt(args[4]) : submissions;
    LedgerRig.Store store =
        LedgerRig.Store.valueOf(
            System.getProperty("benchmark.store", "embedded").toUpperCase(Locale.ROOT));
    System.out.printf("store: %s%n", store);
    try (LedgerRig rig = LedgerRig.start(store)) {
      String rule = rig.seedRule("VOLUNTEER", 2, 1_000_000, 100_000_000, true);
      Eventually.until(
          "the rule on chain",
          Duration.ofSeconds(30),
          () ->
              "DONE"
                  .equals(
                      rig.mongo
                          .findOne("point_rules", Filters.eq("_id", rule))
                          .get("ledger", Document.class)
                          .getString("state")));
      String admin = Sessions.withRoles(rig.client, LedgerRig.COMMUNITY, "ADMIN").accessToken();
      Load load =
          (ids, what) -> {
            long approving = System.nanoTime();
            approve(rig, admin, ids, concurrency, rate);
            double approveSeconds = (System.nanoTime() - approving) / 1e9;
            awaitRecorded(rig, ids, what);
            return approveSeconds;
          };
      warmUp(rig, rule, warmUp, members, load);
      Eventually.until(
          "the warm-up's standings",
          Duration.ofMinutes(5),
          () -> block(rig, "standings") >= block(rig, "points"));
      List<String> ids = seedPending(rig, rule, submissions, members);

      Usage usage = Usage.now();
      double approveSeconds = load.run(ids, "all recorded");
      Usage used = Usage.now().minus(usage);
      long recorded = System.nanoTime();
      Eventually.until(
          "the standings caught up",
          Duration.ofMinutes(5),
          () -> block(rig, "standings") >= block(rig, "points"));
      report(rig, ids, members, approveSeconds);
      System.out.printf(
          "while measured: process CPU %.2f ms per approval (%.0f%% of the %d cores), JIT compiling %.0f%% of the %.1f s%n",
          used.cpuMillis() / (double) submissions,
          used.cpuPercent(),
          CORES,
          used.jitPercent(),
          used.seconds());
      System.out.printf(
          "standings projector caught up %.2f s after the last RECORDED was seen%n",
          (System.nanoTime() - recorded) / 1e9);
      System.out.printf("store file: %.1f MB%n", rig.storeFileBytes() / 1e6);
    }
    System.exit(0);
  }

  /**
   * Approves these submissions and waits until they are all RECORDED; answers how long approving
   * took.
   */
  private interface Load {
    double run(List<String> ids, String what) throws Exception;
  }

  /**
   * Rounds of the measured load until the JIT has settled. After a single round of 2,000 the
   * compiler threads still took a quarter to a third of the two cores while measuring, compiling
   * for the first time some 2,000 methods of the per-request and per-transaction paths (HTTP, JWT,
   * gRPC, protobuf), which one round runs only a few dozen times; after rounds of 2,000 had
   * settled, a longer measured load still set them compiling again (13-27 %). A server that has
   * been up for a few minutes under its load no longer pays that.
   */
  private static void warmUp(LedgerRig rig, String rule, int perRound, int members, Load load)
      throws Exception {
    for (int round = 1; perRound > 0 && round <= MAX_WARM_UP_ROUNDS; round++) {
      Usage before = Usage.now();
      load.run(seedPending(rig, rule, perRound, members), "the warm-up recorded");
      Usage used = Usage.now().minus(before);
      System.out.printf(
          "warm-up round %d: JIT compiling %.0f%% of %.1f s%n",
          round, used.jitPercent(), used.seconds());
      if (used.jitPercent() < SETTLED_JIT_PERCENT) {
        return;
      }
    }
    System.out.printf(
        "the JIT had not settled after %d warm-up rounds: the figures include its compiling%n",
        MAX_WARM_UP_ROUNDS);
  }

  /** Process CPU, JIT compilation time (summed over compiler threads) and wall time. */
  private record Usage(long cpuMillis, long jitMillis, double seconds) {

    static Usage now() {
      var os =
          (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
      return new Usage(
          os.getProcessCpuTime() / 1_000_000,
          ManagementFactory.getCompilationMXBean().getTotalCompilationTime(),
          System.nanoTime() / 1e9);
    }

    Usage minus(Usage earlier) {
      return new Usage(
          cpuMillis - earlier.cpuMillis, jitMillis - earlier.jitMillis, seconds - earlier.seconds);
    }

    double cpuPercent() {
      return cpuMillis / (seconds * 10 * CORES);
    }

    /** Compilation time per wall time: over 100 % when several compiler threads work at once. */
    double jitPercent() {
      return jitMillis / (seconds * 10);
    }
  }

  /**
   * Asks only for the submissions not yet seen RECORDED, by id: counting by status is a collection
   * scan on the embedded store, whose cost would grow with every round and be measured with the
   * rest.
   */
  private static void awaitRecorded(LedgerRig rig, List<String> ids, String what) {
    List<String> waiting = new ArrayList<>(ids);
    Eventually.until(
        what,
        Duration.ofMinutes(5),
        POLL,
        () -> {
          Set<String> recorded =
              submissions(rig, waiting.subList(0, Math.min(waiting.size(), LOOKUP))).stream()
                  .filter(document -> "RECORDED".equals(document.getString("status")))
                  .map(document -> document.getString("_id"))
                  .collect(Collectors.toSet());
          waiting.removeAll(recorded);
          return waiting.isEmpty();
        });
  }

  /**
   * By id, a thousand at a time: the embedded store answers a find in one reply, which the driver
   * caps at 48 MB.
   */
  private static List<Document> submissions(LedgerRig rig, List<String> ids) {
    List<Document> found = new ArrayList<>();
    for (int from = 0; from < ids.size(); from += LOOKUP) {
      found.addAll(
          rig.mongo.find(
              "submissions",
              Filters.in("_id", ids.subList(from, Math.min(ids.size(), from + LOOKUP)))));
    }
    return found;
  }

  private static List<String> seedPending(
      LedgerRig rig, String rule, int submissions, int members) {
    List<String> memberIds = new ArrayList<>();
    for (int i = 0; i < members; i++) {
      memberIds.add(Ids.memberId());
    }
    List<Document> documents = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    Date now = new Date();
    for (int i = 0; i < submissions; i++) {
      String id = Ids.submissionId(); // the contract checks the id alphabet
      ids.add(id);
      documents.add(
          new Document("_id", id)
              .append("memberId", memberIds.get(i % members))
              .append("activityId", "act_bench")
              .append("communityId", LedgerRig.COMMUNITY)
              .append("ruleId", rule)
              .append("ruleVersion", 1L)
              .append("category", "VOLUNTEER")
              .append("units", 1)
              .append("occurredOn", LocalDate.now().toString())
              .append("requestedPoints", 2L)
              .append("status", "PENDING")
              .append("idempotencyKey", "bench-" + id)
              .append("requestHash", "bench")
              .append("createdAt", now)
              .append("updatedAt", now));
    }
    MongoProbe.await(rig.mongo.collection("submissions").insertMany(documents));
    return ids;
  }

  private static void approve(
      LedgerRig rig, String token, List<String> ids, int concurrency, int rate) throws Exception {
    // Paced calls go at their time however many are still being answered (many staff at once), so
    // the
    // offered rate is the one asked for; a burst uses the given number of callers.
    ExecutorService callers =
        rate == 0 ? Executors.newFixedThreadPool(concurrency) : Executors.newCachedThreadPool();
    List<Future<Reply>> calls = new ArrayList<>();
    int size = rate == 0 ? 500 : 50;
    long start = System.nanoTime();
    for (int from = 0; from < ids.size(); from += size) {
      if (rate > 0) {
        long due = start + (long) (from * 1e9 / rate);
        Thread.sleep(Math.max(0, (due - System.nanoTime()) / 1_000_000));
      }
      List<String> batch = ids.subList(from, Math.min(ids.size(), from + size));
      calls.add(
          callers.submit(
              () ->
                  rig.client.post(
                      "batchApproveSubmissions",
                      "/v1/submissions/batch-approve",
                      new JsonObject().put("submissionIds", batch),
                      token)));
    }
    for (Future<Reply> call : calls) {
      Reply reply = call.get();
      if (reply.status() != 200) {
        throw new IllegalStateException(
            "batch-approve answered " + reply.status() + ": " + reply.body());
      }
    }
    callers.shutdown();
  }

  private static long block(LedgerRig rig, String projector) {
    Document checkpoint = rig.mongo.findOne("ledger_checkpoints", Filters.eq("_id", projector));
    return checkpoint == null ? -1 : checkpoint.getLong("blockNumber");
  }

  private static void report(
      LedgerRig rig, List<String> measured, int members, double approveSeconds) {
    int submissions = measured.size();
    List<Long> delays = new ArrayList<>();
    long firstApproval = Long.MAX_VALUE;
    long lastRecorded = Long.MIN_VALUE;
    for (Document document : submissions(rig, measured)) {
      long approved = document.getDate("approvedAt").getTime();
      long recorded = document.get("ledger", Document.class).getDate("recordedAt").getTime();
      delays.add(recorded - approved);
      firstApproval = Math.min(firstApproval, approved);
      lastRecorded = Math.max(lastRecorded, recorded);
    }
    delays.sort(Long::compare);
    double seconds = (lastRecorded - firstApproval) / 1000.0;
    System.out.printf(
        "submissions=%d members=%d batch-approve took %.2f s%n",
        submissions, members, approveSeconds);
    System.out.printf(
        "approvals/s to RECORDED: %.0f (first approval to last RECORDED %.2f s)%n",
        submissions / seconds, seconds);
    System.out.printf(
        "delay approval->RECORDED: p50 %d ms, p95 %d ms, max %d ms%n",
        delays.get(delays.size() / 2),
        delays.get((int) (delays.size() * 0.95)),
        delays.get(delays.size() - 1));
  }
}
