package org.civicpoints.api.ledger;

import com.mongodb.client.model.Filters;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.bson.Document;
import org.civicpoints.api.domain.Ids;
import org.civicpoints.api.support.ApiClient.Reply;
import org.civicpoints.api.support.LedgerRig;
import org.civicpoints.api.support.MongoProbe;
import org.civicpoints.api.support.Sessions;

/**
 * Not a test: approvals per second to RECORDED and the delay from approval to RECORDED, through
 * the real API (HTTP batch-approve), relay, gateway client, devnet and projector. Pending
 * submissions are seeded in MongoDB (creating them through activities and check-ins is not what
 * is measured). Args: [submissions (5000)] [members (500)] [concurrent batch-approve calls (4)]
 * [approvals per second (0)] [warm-up submissions (2000)]: 0 approves everything at once in batches
 * of 500 by that many concurrent callers (a burst: the delay then mostly measures the queue); a rate
 * sends batches of 50 at their times, open loop, so that the delay is that of a steady load. The warm-up goes the same way first, unmeasured, so the figures are
 * those of a running server rather than of a JVM still compiling its hot paths.
 */
public final class ApprovalBenchmark {

  /**
   * Counting RECORDED submissions is a collection scan on the embedded store: polled every 50 ms it
   * took a share of the CPU being measured. The figures come from the documents' own times.
   */
  private static final Duration POLL = Duration.ofMillis(500);

  private ApprovalBenchmark() {}

  public static void main(String[] args) throws Exception {
    int submissions = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
    int members = args.length > 1 ? Integer.parseInt(args[1]) : 500;
    int concurrency = args.length > 2 ? Integer.parseInt(args[2]) : 4;
    int rate = args.length > 3 ? Integer.parseInt(args[3]) : 0;
    int warmUp = args.length > 4 ? Integer.parseInt(args[4]) : 2000;
    try (LedgerRig rig = LedgerRig.start()) {
      String rule = rig.seedRule("VOLUNTEER", 2, 1_000_000, 100_000_000, true);
      LedgerRig.awaitUntil("the rule on chain", Duration.ofSeconds(30), () -> "DONE".equals(
          rig.mongo.findOne("point_rules", Filters.eq("_id", rule)).get("ledger", Document.class).getString("state")));
      String admin = Sessions.withRoles(rig.client, LedgerRig.COMMUNITY, "ADMIN").accessToken();
      if (warmUp > 0) {
        approve(rig, admin, seedPending(rig, rule, warmUp, members), concurrency, rate);
        LedgerRig.awaitUntil("the warm-up recorded", Duration.ofMinutes(5), POLL, () -> rig.countWithStatus("RECORDED") == warmUp);
        LedgerRig.awaitUntil("the warm-up's standings", Duration.ofMinutes(5), () -> block(rig, "standings") >= block(rig, "points"));
      }
      List<String> ids = seedPending(rig, rule, submissions, members);

      long started = System.nanoTime();
      approve(rig, admin, ids, concurrency, rate);
      double approveSeconds = (System.nanoTime() - started) / 1e9;
      LedgerRig.awaitUntil("all recorded", Duration.ofMinutes(5), POLL,
          () -> rig.countWithStatus("RECORDED") == warmUp + submissions);
      long recorded = System.nanoTime();
      LedgerRig.awaitUntil("the standings caught up", Duration.ofMinutes(5), () -> block(rig, "standings") >= block(rig, "points"));
      report(rig, Set.copyOf(ids), members, approveSeconds);
      System.out.printf("standings projector caught up %.2f s after the last RECORDED was seen%n",
          (System.nanoTime() - recorded) / 1e9);
    }
    System.exit(0);
  }

  private static List<String> seedPending(LedgerRig rig, String rule, int submissions, int members) {
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
      documents.add(new Document("_id", id).append("memberId", memberIds.get(i % members))
          .append("activityId", "act_bench").append("communityId", LedgerRig.COMMUNITY).append("ruleId", rule)
          .append("ruleVersion", 1L).append("category", "VOLUNTEER").append("units", 1)
          .append("occurredOn", LocalDate.now().toString()).append("requestedPoints", 2L).append("status", "PENDING")
          .append("idempotencyKey", "bench-" + id).append("requestHash", "bench").append("createdAt", now)
          .append("updatedAt", now));
    }
    MongoProbe.await(rig.mongo.collection("submissions").insertMany(documents));
    return ids;
  }

  private static void approve(LedgerRig rig, String token, List<String> ids, int concurrency, int rate)
      throws Exception {
    // Paced calls go at their time however many are still being answered (many staff at once), so the
    // offered rate is the one asked for; a burst uses the given number of callers.
    ExecutorService callers = rate == 0 ? Executors.newFixedThreadPool(concurrency) : Executors.newCachedThreadPool();
    List<Future<Reply>> calls = new ArrayList<>();
    int size = rate == 0 ? 500 : 50;
    long start = System.nanoTime();
    for (int from = 0; from < ids.size(); from += size) {
      if (rate > 0) {
        long due = start + (long) (from * 1e9 / rate);
        Thread.sleep(Math.max(0, (due - System.nanoTime()) / 1_000_000));
      }
      List<String> batch = ids.subList(from, Math.min(ids.size(), from + size));
      calls.add(callers.submit(() -> rig.client.post("batchApproveSubmissions", "/v1/submissions/batch-approve",
          new JsonObject().put("submissionIds", batch), token)));
    }
    for (Future<Reply> call : calls) {
      Reply reply = call.get();
      if (reply.status() != 200) {
        throw new IllegalStateException("batch-approve answered " + reply.status() + ": " + reply.body());
      }
    }
    callers.shutdown();
  }

  private static long block(LedgerRig rig, String projector) {
    Document checkpoint = rig.mongo.findOne("ledger_checkpoints", Filters.eq("_id", projector));
    return checkpoint == null ? -1 : checkpoint.getLong("blockNumber");
  }

  private static void report(LedgerRig rig, Set<String> measured, int members, double approveSeconds) {
    int submissions = measured.size();
    List<Long> delays = new ArrayList<>();
    long firstApproval = Long.MAX_VALUE;
    long lastRecorded = Long.MIN_VALUE;
    for (Document document : rig.mongo.find("submissions", Filters.eq("status", "RECORDED"))) {
      if (!measured.contains(document.getString("_id"))) {
        continue; // the warm-up's
      }
      long approved = document.getDate("approvedAt").getTime();
      long recorded = document.get("ledger", Document.class).getDate("recordedAt").getTime();
      delays.add(recorded - approved);
      firstApproval = Math.min(firstApproval, approved);
      lastRecorded = Math.max(lastRecorded, recorded);
    }
    delays.sort(Long::compare);
    double seconds = (lastRecorded - firstApproval) / 1000.0;
    System.out.printf("submissions=%d members=%d batch-approve took %.2f s%n", submissions, members, approveSeconds);
    System.out.printf("approvals/s to RECORDED: %.0f (first approval to last RECORDED %.2f s)%n",
        submissions / seconds, seconds);
    System.out.printf("delay approval->RECORDED: p50 %d ms, p95 %d ms, max %d ms%n",
        delays.get(delays.size() / 2), delays.get((int) (delays.size() * 0.95)), delays.get(delays.size() - 1));
  }
}
