package org.civicpoints.api.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.model.Filters;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.bson.Document;
import org.civicpoints.api.support.ApiClient.Reply;
import org.civicpoints.api.support.Eventually;
import org.civicpoints.api.support.LedgerRig;
import org.civicpoints.api.support.MongoProbe;
import org.civicpoints.api.support.Sessions;
import org.civicpoints.api.support.Sessions.SignedIn;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Approved submissions through the relay, the real gateway client and the devnet, then the
 * projector, read back through HTTP: recorded, capped, refused, reversed, balances and receipts.
 */
class PointsLedgerApiTest {

  private static final Duration WITHIN = Duration.ofSeconds(20);
  private static LedgerRig rig;
  private static String rule;

  @BeforeAll
  static void start() {
    rig = LedgerRig.start();
    rule = rig.seedRule("VOLUNTEER", 5, 1_000_000, 10_000_000, true);
  }

  @AfterAll
  static void stop() {
    rig.close();
  }

  @Test
  void
      an_approved_submission_is_recorded_with_its_transaction_and_shows_in_balance_entries_and_receipt() {
    SignedIn resident = Sessions.resident(rig.client);
    String submissionId =
        rig.seedApproved(resident.memberId(), rule, "VOLUNTEER", 10, 2, LocalDate.now(), 1).get(0);

    Document recorded = awaitStatus(submissionId, "RECORDED");
    Document ledger = recorded.get("ledger", Document.class);
    assertThat(ledger.getString("state")).isEqualTo("DONE");
    assertThat(ledger.getString("txId")).isNotBlank();
    assertThat(ledger.get("points", Number.class).longValue()).isEqualTo(10);
    assertThat(ledger.get("requestedPoints", Number.class).longValue()).isEqualTo(10);
    assertThat(ledger.getString("reason")).isNull();

    JsonObject points =
        rig.client.get("getMyPoints", "/v1/me/points", resident.accessToken()).json();
    assertThat(points.getLong("balance")).isEqualTo(10);
    assertThat(points.getLong("earned")).isEqualTo(10);
    assertThat(points.getLong("pending")).isZero();
    assertThat(points.getLong("asOfBlock"))
        .isGreaterThanOrEqualTo(ledger.get("blockNumber", Number.class).longValue());

    JsonArray entries =
        rig.client
            .get("listMyPointEntries", "/v1/me/points/entries", resident.accessToken())
            .json()
            .getJsonArray("items");
    assertThat(entries).hasSize(1);
    assertThat(entries.getJsonObject(0).getString("txId")).isEqualTo(ledger.getString("txId"));
    assertThat(entries.getJsonObject(0).getLong("blockNumber"))
        .isEqualTo(ledger.get("blockNumber", Number.class).longValue());

    Reply receipt =
        rig.client.get(
            "getMyPointReceipt",
            "/v1/me/points/entries/" + submissionId + "/receipt",
            resident.accessToken());
    assertThat(receipt.status()).isEqualTo(200);
    assertThat(receipt.json().getBoolean("verified")).isTrue();
    assertThat(receipt.json().getJsonObject("chain").getString("memberId"))
        .isEqualTo(resident.memberId());
  }

  @Test
  void a_receipt_is_not_verified_when_the_read_model_disagrees_with_the_chain() {
    SignedIn resident = Sessions.resident(rig.client);
    String submissionId =
        rig.seedApproved(resident.memberId(), rule, "VOLUNTEER", 5, 1, LocalDate.now(), 1).get(0);
    awaitStatus(submissionId, "RECORDED");
    MongoProbe.await(
        rig.mongo
            .collection("ledger_entries")
            .updateOne(
                Filters.eq("_id", submissionId),
                new Document("$set", new Document("points", 500L))));

    Reply receipt =
        rig.client.get(
            "getMyPointReceipt",
            "/v1/me/points/entries/" + submissionId + "/receipt",
            resident.accessToken());
    assertThat(receipt.json().getBoolean("verified")).isFalse();
    assertThat(receipt.json().getJsonObject("chain").getLong("points")).isEqualTo(5);
  }

  @Test
  void a_receipt_while_the_peer_is_unreachable_is_a_503_problem_and_works_again_after() {
    SignedIn resident = Sessions.resident(rig.client);
    String submissionId =
        rig.seedApproved(resident.memberId(), rule, "VOLUNTEER", 5, 1, LocalDate.now(), 1).get(0);
    awaitStatus(submissionId, "RECORDED");
    String path = "/v1/me/points/entries/" + submissionId + "/receipt";

    // More than one: a background evaluation must not use up the failure meant for this request.
    rig.chain().faults().failNextEvaluations(100);
    try {
      Reply unavailable = rig.client.get("getMyPointReceipt", path, resident.accessToken());
      assertThat(unavailable.status()).isEqualTo(503);
      assertThat(unavailable.code()).isEqualTo("LEDGER_UNAVAILABLE");
    } finally {
      rig.chain().faults().failNextEvaluations(0);
    }

    Reply receipt = rig.client.get("getMyPointReceipt", path, resident.accessToken());
    assertThat(receipt.status()).isEqualTo(200);
    assertThat(receipt.json().getBoolean("verified")).isTrue();
  }

  @Test
  void another_members_entry_has_no_receipt_for_you() {
    SignedIn owner = Sessions.resident(rig.client);
    SignedIn other = Sessions.inCommunity(rig.client, "c-west-2b");
    String submissionId =
        rig.seedApproved(owner.memberId(), rule, "VOLUNTEER", 5, 1, LocalDate.now(), 1).get(0);
    awaitStatus(submissionId, "RECORDED");

    Reply foreign =
        rig.client.get(
            "getMyPointReceipt",
            "/v1/me/points/entries/" + submissionId + "/receipt",
            other.accessToken());
    assertThat(foreign.status()).isEqualTo(404);
    assertThat(foreign.code()).isEqualTo("NOT_FOUND");
    Reply missing =
        rig.client.get(
            "getMyPointReceipt", "/v1/me/points/entries/s_nothing/receipt", owner.accessToken());
    assertThat(missing.status()).isEqualTo(404);
    assertThat(
            rig.client
                .get("listMyPointEntries", "/v1/me/points/entries", other.accessToken())
                .json()
                .getJsonArray("items"))
        .isEmpty();
  }

  @Test
  void staff_of_the_community_read_an_awards_receipt_and_nobody_else_does() {
    SignedIn resident = Sessions.resident(rig.client);
    SignedIn staff = Sessions.withRoles(rig.client, LedgerRig.COMMUNITY, "STAFF");
    SignedIn admin = Sessions.withRoles(rig.client, "c-west-2b", "ADMIN");
    SignedIn otherStaff = Sessions.withRoles(rig.client, "c-west-2b", "STAFF");
    String submissionId =
        rig.seedApproved(resident.memberId(), rule, "VOLUNTEER", 5, 1, LocalDate.now(), 1).get(0);
    Document ledger = awaitStatus(submissionId, "RECORDED").get("ledger", Document.class);
    String path = "/v1/submissions/" + submissionId + "/receipt";

    for (SignedIn reader : List.of(staff, admin, resident)) {
      Reply receipt = rig.client.get("getSubmissionReceipt", path, reader.accessToken());
      assertThat(receipt.status()).isEqualTo(200);
      assertThat(receipt.json().getBoolean("verified")).isTrue();
      assertThat(receipt.json().getString("txId")).isEqualTo(ledger.getString("txId"));
      assertThat(receipt.json().getLong("blockNumber"))
          .isEqualTo(ledger.get("blockNumber", Number.class).longValue());
    }
    Reply foreign = rig.client.get("getSubmissionReceipt", path, otherStaff.accessToken());
    assertThat(foreign.status()).isEqualTo(404);
    assertThat(foreign.code()).isEqualTo("NOT_FOUND");
    Reply stranger =
        rig.client.get("getSubmissionReceipt", path, Sessions.resident(rig.client).accessToken());
    assertThat(stranger.status()).isEqualTo(404);
    assertThat(rig.client.get("getSubmissionReceipt", path, null).status()).isEqualTo(401);
    Reply malformed =
        rig.client.get("getSubmissionReceipt", "/v1/submissions/nope/receipt", staff.accessToken());
    assertThat(malformed.status()).isEqualTo(400);
  }

  @Test
  void a_submission_not_recorded_yet_has_no_receipt() {
    SignedIn staff = Sessions.withRoles(rig.client, LedgerRig.COMMUNITY, "STAFF");
    SignedIn resident = Sessions.resident(rig.client);
    String recorded =
        rig.seedApproved(resident.memberId(), rule, "VOLUNTEER", 5, 1, LocalDate.now(), 1).get(0);
    Document pending = awaitStatus(recorded, "RECORDED");
    String pendingId = "s_pendingreceiptzzzzzz";
    pending.put("_id", pendingId);
    pending.put("status", "PENDING");
    pending.put("idempotencyKey", "seed-" + pendingId);
    pending.remove("ledger");
    MongoProbe.await(rig.mongo.collection("submissions").insertOne(pending));

    Reply receipt =
        rig.client.get(
            "getSubmissionReceipt",
            "/v1/submissions/" + pendingId + "/receipt",
            staff.accessToken());
    assertThat(receipt.status()).isEqualTo(404);
    assertThat(receipt.code()).isEqualTo("NOT_FOUND");
    assertThat(receipt.json().getString("detail")).contains(pendingId);
  }

  @Test
  void an_award_above_the_daily_cap_is_recorded_capped_with_the_reason() {
    String cappedRule = rig.seedRule("STUDY", 6, 10, 1_000, true);
    SignedIn resident = Sessions.resident(rig.client);
    LocalDate day = LocalDate.now();
    String first = rig.seedApproved(resident.memberId(), cappedRule, "STUDY", 6, 1, day, 1).get(0);
    awaitStatus(first, "RECORDED");
    String second = rig.seedApproved(resident.memberId(), cappedRule, "STUDY", 6, 1, day, 1).get(0);

    Document ledger = awaitStatus(second, "RECORDED").get("ledger", Document.class);
    assertThat(ledger.get("points", Number.class).longValue()).isEqualTo(4);
    assertThat(ledger.get("requestedPoints", Number.class).longValue()).isEqualTo(6);
    assertThat(ledger.getString("reason")).isEqualTo("DAILY_CAP");
    Eventually.until(
        "the capped notification",
        WITHIN,
        () ->
            rig.mongo.count(
                    "notifications",
                    Filters.and(
                        Filters.eq("memberId", resident.memberId()),
                        Filters.eq("kind", "SUBMISSION_CAPPED")))
                == 1);
  }

  @Test
  void an_award_under_an_inactive_rule_fails_with_the_chaincode_reason() {
    String inactive = rig.seedRule("CIVIC", 3, 100, 1_000, false);
    SignedIn resident = Sessions.resident(rig.client);
    String submissionId =
        rig.seedApproved(resident.memberId(), inactive, "CIVIC", 3, 1, LocalDate.now(), 1).get(0);

    Document failed = awaitStatus(submissionId, "FAILED");
    assertThat(failed.get("ledger", Document.class).getString("reason")).isEqualTo("RULE_INACTIVE");
    assertThat(rig.chainEntry(submissionId)).isEmpty();
    Eventually.until(
        "the failure notification",
        WITHIN,
        () ->
            rig.mongo.count(
                    "notifications",
                    Filters.and(
                        Filters.eq("memberId", resident.memberId()),
                        Filters.eq("kind", "SUBMISSION_FAILED")))
                == 1);
  }

  @Test
  void a_reversal_takes_the_points_back() {
    SignedIn resident = Sessions.resident(rig.client);
    List<String> ids =
        rig.seedApproved(resident.memberId(), rule, "VOLUNTEER", 5, 1, LocalDate.now(), 2);
    ids.forEach(id -> awaitStatus(id, "RECORDED"));
    rig.requestReversal(ids.get(0), "duplicate claim");

    Document reversed = awaitStatus(ids.get(0), "REVERSED");
    assertThat(reversed.get("reversal", Document.class).getString("state")).isEqualTo("DONE");
    JsonObject points =
        rig.client.get("getMyPoints", "/v1/me/points", resident.accessToken()).json();
    assertThat(points.getLong("balance")).isEqualTo(5);
    assertThat(points.getLong("reversed")).isEqualTo(5);
    assertThat(rig.chainAccount(resident.memberId()).orElseThrow().getLong("balance")).isEqualTo(5);
    JsonArray entries =
        rig.client
            .get("listMyPointEntries", "/v1/me/points/entries?limit=1", resident.accessToken())
            .json()
            .getJsonArray("items");
    assertThat(entries.getJsonObject(0).getString("kind")).as("newest first").isEqualTo("REVERSAL");
  }

  /**
   * A reversal claimed by an instance that was then killed waits for that lease to lapse; until it
   * is done, the relay is not idle: the status counts it, with its age.
   */
  @Test
  void a_reversal_left_under_a_killed_instances_lease_counts_in_the_relay_backlog_until_done() {
    SignedIn admin = Sessions.withRoles(rig.client, LedgerRig.COMMUNITY, "ADMIN");
    SignedIn resident = Sessions.resident(rig.client);
    String submissionId =
        rig.seedApproved(resident.memberId(), rule, "VOLUNTEER", 5, 1, LocalDate.now(), 1).get(0);
    awaitStatus(submissionId, "RECORDED");
    Instant now = Instant.now();
    rig.reversalClaimedBy(
        "api-killed", submissionId, now.minus(Duration.ofHours(1)), now.plusSeconds(8));

    JsonObject waiting = ledgerStatus(admin).getJsonObject("relay");
    assertThat(waiting.getLong("queued")).isPositive();
    assertThat(waiting.getLong("oldestQueuedAgeSeconds")).isGreaterThanOrEqualTo(3600);

    awaitStatus(submissionId, "REVERSED");
    JsonObject done = ledgerStatus(admin).getJsonObject("relay");
    assertThat(done.getLong("oldestQueuedAgeSeconds", 0L)).isLessThan(3600);
  }

  @Test
  void entries_page_with_a_cursor_and_refuse_a_foreign_cursor() {
    SignedIn resident = Sessions.resident(rig.client);
    List<String> ids =
        rig.seedApproved(resident.memberId(), rule, "VOLUNTEER", 5, 1, LocalDate.now(), 3);
    ids.forEach(id -> awaitStatus(id, "RECORDED"));

    JsonObject first =
        rig.client
            .get("listMyPointEntries", "/v1/me/points/entries?limit=2", resident.accessToken())
            .json();
    assertThat(first.getJsonArray("items")).hasSize(2);
    JsonObject second =
        rig.client
            .get(
                "listMyPointEntries",
                "/v1/me/points/entries?limit=2&cursor=" + first.getString("nextCursor"),
                resident.accessToken())
            .json();
    assertThat(second.getJsonArray("items")).hasSize(1);
    assertThat(second.containsKey("nextCursor")).isFalse();
    Reply bad =
        rig.client.get(
            "listMyPointEntries",
            "/v1/me/points/entries?cursor=bm90LW91cnM",
            resident.accessToken());
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.code()).isEqualTo("VALIDATION_FAILED");
  }

  @Test
  void pending_points_count_approved_submissions_until_they_are_recorded() {
    SignedIn resident = Sessions.resident(rig.client);
    List<String> ids;
    rig.chain().faults().pauseCommits();
    try {
      ids = rig.seedApproved(resident.memberId(), rule, "VOLUNTEER", 5, 1, LocalDate.now(), 2);
      assertThat(
              rig.client
                  .get("getMyPoints", "/v1/me/points", resident.accessToken())
                  .json()
                  .getLong("pending"))
          .isEqualTo(10);
    } finally {
      rig.chain().faults().resumeCommits();
    }
    ids.forEach(id -> awaitStatus(id, "RECORDED"));
    JsonObject points =
        rig.client.get("getMyPoints", "/v1/me/points", resident.accessToken()).json();
    assertThat(points.getLong("balance")).isEqualTo(10);
    assertThat(points.getLong("pending")).isZero();
  }

  @Test
  void the_ledger_status_is_for_admins_and_shows_the_projection() {
    SignedIn admin = Sessions.withRoles(rig.client, LedgerRig.COMMUNITY, "ADMIN");
    SignedIn staff = Sessions.withRoles(rig.client, LedgerRig.COMMUNITY, "STAFF");
    SignedIn resident = Sessions.resident(rig.client);
    String submissionId =
        rig.seedApproved(resident.memberId(), rule, "VOLUNTEER", 5, 1, LocalDate.now(), 1).get(0);
    long block =
        awaitStatus(submissionId, "RECORDED")
            .get("ledger", Document.class)
            .get("blockNumber", Number.class)
            .longValue();

    // The projector saves its checkpoint just after it marked the submission RECORDED.
    Eventually.until(
        "the checkpoint at the submission's block",
        WITHIN,
        () -> ledgerStatus(admin).getJsonObject("projection").getLong("checkpointBlock") >= block);
    JsonObject status = ledgerStatus(admin);
    assertThat(status.getLong("chainHeight")).isGreaterThan(block);
    assertThat(status.getJsonObject("projection").getBoolean("active")).isTrue();
    assertThat(status.encode()).doesNotContain(resident.memberId());
    assertThat(rig.client.get("getLedgerStatus", "/v1/ledger/status", staff.accessToken()).status())
        .isEqualTo(403);
    assertThat(
            rig.client.get("getLedgerStatus", "/v1/ledger/status", resident.accessToken()).status())
        .isEqualTo(403);
    assertThat(rig.client.get("getLedgerStatus", "/v1/ledger/status", null).status())
        .isEqualTo(401);
  }

  private static JsonObject ledgerStatus(SignedIn admin) {
    return rig.client.get("getLedgerStatus", "/v1/ledger/status", admin.accessToken()).json();
  }

  private static Document awaitStatus(String submissionId, String status) {
    try {
      Eventually.until(
          "submission " + submissionId + " " + status,
          WITHIN,
          () -> status.equals(rig.submission(submissionId).getString("status")));
    } catch (AssertionError late) {
      throw new AssertionError(
          late.getMessage() + "; the submission is " + rig.submission(submissionId).toJson(), late);
    }
    return rig.submission(submissionId);
  }
}
