package org.civicpoints.api.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.model.Filters;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.civicpoints.api.support.Eventually;
import org.civicpoints.api.support.LedgerRig;
import org.civicpoints.api.support.MongoProbe;
import org.civicpoints.api.support.Sessions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The write path under faults, with the devnet's fault controls and API restarts: nothing lost,
 * nothing doubled, no MVCC conflicts by construction, and read models rebuilt from the chain.
 */
class LedgerReliabilityIT {

  private static final int POINTS = 3;
  private static final Duration ALL_RECORDED_WITHIN = Duration.ofSeconds(90);

  /** TRANSACTIONS_FILTER codes (peer.TxValidationCode). */
  private static final int VALID = 0;

  private static final int MVCC_READ_CONFLICT = 11;
  private static final int PHANTOM_READ_CONFLICT = 12;

  private LedgerRig rig;
  private String rule;

  @BeforeEach
  void start() {
    rig = LedgerRig.start();
    rule = rig.seedRule("VOLUNTEER", POINTS, 1_000_000, 100_000_000, true);
    Eventually.until(
        "the rule on chain",
        Duration.ofSeconds(20),
        () ->
            "DONE"
                .equals(
                    rig.mongo
                        .findOne("point_rules", Filters.eq("_id", rule))
                        .get("ledger", Document.class)
                        .getString("state")));
  }

  @AfterEach
  void stop() {
    rig.close();
  }

  @Test
  void approvals_made_while_the_ledger_is_unavailable_are_all_recorded_once_it_returns()
      throws Exception {
    Map<String, Integer> approvals = members(50, 20);
    rig.chain().faults().stopServer();
    seed(approvals);
    Eventually.until(
        "the relay meeting the outage",
        Duration.ofSeconds(20),
        () ->
            rig.mongo.count(
                    "submissions",
                    Filters.and(
                        Filters.gte("ledger.attempts", 1), Filters.eq("ledger.state", "QUEUED")))
                > 0);
    rig.chain().faults().restartServer();
    rig.chain().faults().failNextEndorsements(3);
    rig.chain().faults().failNextSubmits(3);
    rig.chain().faults().pauseCommits();
    // Commits held back briefly while endorsements fail and retry; not a wait for a result.
    Thread.sleep(300);
    rig.chain().faults().resumeCommits();

    awaitAllRecorded(1000);
    assertExactlyOnceOnChain(approvals);
  }

  @Test
  void an_api_restart_in_the_middle_of_relaying_and_projecting_loses_and_doubles_nothing() {
    Map<String, Integer> approvals = members(100, 10);
    seed(approvals);
    Eventually.until(
        "some recorded", Duration.ofSeconds(60), () -> rig.countWithStatus("RECORDED") > 0);
    // On an idle machine the relay may record all 1,000 between the first RECORDED and the stop
    // (one or two blocks): the restart then meets only the projectors mid-way. Either way nothing
    // may be lost or doubled.
    rig.stopApi();
    rig.startApi();

    awaitAllRecorded(1000);
    assertExactlyOnceOnChain(approvals);
  }

  @Test
  void a_burst_of_a_thousand_approvals_for_one_member_meets_no_mvcc_conflict() {
    String memberId = Sessions.resident(rig.client).memberId();
    rig.seedApproved(memberId, rule, "VOLUNTEER", POINTS, 1, LocalDate.now(), 1000);

    awaitAllRecorded(1000);
    assertExactlyOnceOnChain(Map.of(memberId, 1000));
    Map<Integer, Integer> codes = rig.validationCodes();
    assertThat(codes).doesNotContainKeys(MVCC_READ_CONFLICT, PHANTOM_READ_CONFLICT);
    assertThat(codes.keySet()).containsOnly(VALID);
  }

  @Test
  void replaying_the_projection_from_block_zero_rebuilds_identical_balances() {
    Map<String, Integer> approvals = members(20, 15);
    List<String> ids = seed(approvals);
    awaitAllRecorded(300);
    rig.requestReversal(ids.get(0), "replay test");
    Eventually.until(
        "the reversal",
        Duration.ofSeconds(30),
        () -> "REVERSED".equals(rig.submission(ids.get(0)).getString("status")));
    Map<String, Document> before = balances();
    assertThat(recordedNotices())
        .hasSize(300)
        .allSatisfy((id, notices) -> assertThat(notices).isEqualTo(1));

    rig.stopApi();
    MongoProbe.await(rig.mongo.collection("balances").drop());
    MongoProbe.await(rig.mongo.collection("ledger_entries").drop());
    MongoProbe.await(rig.mongo.collection("ledger_checkpoints").deleteMany(new Document()));
    // As if the process had died between marking these RECORDED and telling their members.
    List<String> untold = ids.subList(10, 15);
    MongoProbe.await(
        rig.mongo.collection("notifications").deleteMany(Filters.in("data.submissionId", untold)));
    rig.startApi();

    // The projector writes a transaction's entries before its balances: wait for the balances
    // themselves.
    Eventually.until(
        "the rebuilt balances", Duration.ofSeconds(60), () -> balances().equals(before));
    assertThat(rig.mongo.count("ledger_entries", new Document())).isEqualTo(301);
    assertThat(balances()).isEqualTo(before);
    Eventually.until(
        "the untold members told", Duration.ofSeconds(30), () -> recordedNotices().size() == 300);
    assertThat(recordedNotices()).allSatisfy((id, notices) -> assertThat(notices).isEqualTo(1));
  }

  /** SUBMISSION_RECORDED notifications per submission. */
  private Map<String, Integer> recordedNotices() {
    Map<String, Integer> notices = new HashMap<>();
    rig.mongo
        .find("notifications", Filters.eq("kind", "SUBMISSION_RECORDED"))
        .forEach(
            notice ->
                notices.merge(
                    notice.get("data", Document.class).getString("submissionId"), 1, Integer::sum));
    return notices;
  }

  private Map<String, Integer> members(int members, int approvalsEach) {
    Map<String, Integer> approvals = new HashMap<>();
    for (int i = 0; i < members; i++) {
      approvals.put(Sessions.resident(rig.client).memberId(), approvalsEach);
    }
    return approvals;
  }

  private List<String> seed(Map<String, Integer> approvals) {
    List<String> ids = new ArrayList<>();
    approvals.forEach(
        (memberId, count) ->
            ids.addAll(
                rig.seedApproved(memberId, rule, "VOLUNTEER", POINTS, 1, LocalDate.now(), count)));
    return ids;
  }

  private void awaitAllRecorded(long count) {
    Eventually.until(
        count + " recorded", ALL_RECORDED_WITHIN, () -> rig.countWithStatus("RECORDED") == count);
    assertThat(rig.countWithStatus("FAILED")).isZero();
  }

  /** The chain holds exactly one entry per approval: entry counts and balances of every account. */
  private void assertExactlyOnceOnChain(Map<String, Integer> approvals) {
    approvals.forEach(
        (memberId, count) -> {
          var account = rig.chainAccount(memberId).orElseThrow();
          assertThat(account.getLong("entryCount"))
              .as("entries of %s", memberId)
              .isEqualTo(count.longValue());
          assertThat(account.getLong("balance")).isEqualTo((long) count * POINTS);
          Document balance = rig.mongo.findOne("balances", Filters.eq("_id", memberId));
          assertThat(balance.get("balance", Number.class).longValue())
              .isEqualTo((long) count * POINTS);
        });
  }

  private Map<String, Document> balances() {
    Map<String, Document> byMember = new HashMap<>();
    rig.mongo
        .find("balances", new Document())
        .forEach(balance -> byMember.put(balance.getString("_id"), balance));
    return byMember;
  }
}
