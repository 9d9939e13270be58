package org.civicpoints.api.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.mongodb.client.model.Filters;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
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
 * Reconciliation through HTTP against the real chain (devnet through the gateway client) and the
 * real projections: the read model corrupted by hand is found exactly, repaired from the chain, and
 * reconciles again.
 */
class ReconciliationApiTest {

  private static final Duration WITHIN = Duration.ofSeconds(30);
  private static final String RECONCILIATIONS = "/v1/ledger/reconciliations";
  private static LedgerRig rig;
  private static SignedIn admin;
  private static final List<SignedIn> members = new ArrayList<>();
  private static final List<String> firstEntries = new ArrayList<>();

  @BeforeAll
  static void start() {
    rig = LedgerRig.start();
    String rule = rig.seedRule("VOLUNTEER", 5, 1_000_000, 10_000_000, true);
    admin = Sessions.withRoles(rig.client, LedgerRig.COMMUNITY, "ADMIN");
    List<String> submissions = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      SignedIn member = Sessions.resident(rig.client);
      members.add(member);
      List<String> ids =
          rig.seedApproved(member.memberId(), rule, "VOLUNTEER", 10, 2, LocalDate.now(), 2);
      firstEntries.add(ids.get(0));
      submissions.addAll(ids);
    }
    Eventually.until(
        "every award recorded and on the boards",
        WITHIN,
        () ->
            submissions.stream()
                    .allMatch(id -> "RECORDED".equals(rig.submission(id).getString("status")))
                && members.stream().allMatch(member -> standingEntries(member) == 2));
  }

  @AfterAll
  static void stop() {
    rig.close();
  }

  @Test
  void corrupted_balance_standing_and_entry_are_found_exactly_repaired_and_reconcile_again() {
    String a = members.get(0).memberId();
    String b = members.get(1).memberId();
    String c = members.get(2).memberId();
    set("balances", Filters.eq("_id", a), "balance", 1_020L);
    set("standings", Filters.eq("_id", cityBoard() + "|" + b), "points", 70L);
    set("ledger_entries", Filters.eq("_id", firstEntries.get(2)), "points", 500L);

    JsonObject found = finishedRun();
    assertThat(found.getLong("accountsChecked")).isGreaterThanOrEqualTo(4);
    assertThat(found.getLong("boardsChecked")).isPositive();
    JsonArray mismatches = found.getJsonArray("mismatches");
    assertThat(mismatches.stream().map(JsonObject.class::cast))
        .extracting(m -> m.getString("subject"), m -> m.getString("memberId"))
        .containsExactlyInAnyOrder(tuple("ACCOUNT", a), tuple("STANDING", b), tuple("ENTRIES", c));
    assertThat(found.getLong("mismatchCount")).isEqualTo(3);
    JsonObject account = mismatch(mismatches, "ACCOUNT");
    assertThat(account.getJsonObject("expected").getMap()).containsOnlyKeys("balance");
    assertThat(account.getJsonObject("expected").getLong("balance")).isEqualTo(20);
    assertThat(account.getJsonObject("actual").getLong("balance")).isEqualTo(1_020);
    JsonObject standing = mismatch(mismatches, "STANDING");
    assertThat(standing.getString("board")).isEqualTo(cityBoard());
    assertThat(standing.getJsonObject("expected").getLong("points")).isEqualTo(20);
    assertThat(standing.getJsonObject("actual").getLong("points")).isEqualTo(70);
    JsonObject entries = mismatch(mismatches, "ENTRIES");
    assertThat(entries.getJsonObject("expected").getLong("earned")).isEqualTo(20);
    assertThat(entries.getJsonObject("actual").getLong("earned")).isEqualTo(510);
    assertThat(gauge()).isEqualTo("3.0");

    String runId = found.getString("reconciliationId");
    for (String memberId : List.of(a, b, c)) {
      Reply repaired = repair(runId, memberId, admin);
      assertThat(repaired.status()).as(repaired.body().toString()).isEqualTo(200);
      assertThat(repaired.json().getInteger("entriesReplayed")).isEqualTo(2);
      assertThat(repaired.json().getLong("balance")).isEqualTo(20);
    }
    assertThat(
            rig.mongo
                .findOne("ledger_entries", Filters.eq("_id", firstEntries.get(2)))
                .get("points", Number.class)
                .longValue())
        .isEqualTo(10);
    assertThat(
            rig.mongo.count(
                "audit",
                Filters.and(
                    Filters.eq("action", "ledger.reconciliation.repair"),
                    Filters.in("target", a, b, c))))
        .isEqualTo(3);

    JsonObject again = finishedRun();
    assertThat(again.getJsonArray("mismatches")).isEmpty();
    assertThat(again.getLong("mismatchCount")).isZero();
    assertThat(gauge()).isEqualTo("0.0");
    assertThat(
            rig.client
                .get("getMyPoints", "/v1/me/points", members.get(0).accessToken())
                .json()
                .getLong("balance"))
        .isEqualTo(20);
  }

  @Test
  void a_member_the_run_found_no_fault_with_is_not_repaired() {
    String runId = finishedRun().getString("reconciliationId");

    Reply refused = repair(runId, members.get(3).memberId(), admin);

    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.code()).isEqualTo("INVALID_STATE");
  }

  @Test
  void only_admins_start_read_and_repair_reconciliations() {
    SignedIn staff = Sessions.withRoles(rig.client, LedgerRig.COMMUNITY, "STAFF");
    String runId = start(admin).json().getString("reconciliationId");

    Reply started = start(members.get(0));
    Reply read =
        rig.client.get("getReconciliation", RECONCILIATIONS + "/" + runId, staff.accessToken());
    Reply repaired = repair(runId, members.get(0).memberId(), members.get(0));

    assertThat(List.of(started, read, repaired))
        .allSatisfy(
            reply -> {
              assertThat(reply.status()).isEqualTo(403);
              assertThat(reply.code()).isEqualTo("FORBIDDEN");
            });
    assertThat(rig.client.post("startReconciliation", RECONCILIATIONS, null, null).status())
        .isEqualTo(401);
  }

  @Test
  void an_unknown_reconciliation_is_404() {
    Reply read =
        rig.client.get(
            "getReconciliation", RECONCILIATIONS + "/rc_aaaaaaaaaaaaaaaaaaaa", admin.accessToken());
    Reply repaired = repair("rc_aaaaaaaaaaaaaaaaaaaa", members.get(0).memberId(), admin);

    assertThat(read.status()).isEqualTo(404);
    assertThat(read.code()).isEqualTo("NOT_FOUND");
    assertThat(repaired.status()).isEqualTo(404);
  }

  @Test
  void a_bad_repair_request_is_400() {
    String path = RECONCILIATIONS + "/rc_aaaaaaaaaaaaaaaaaaaa/repairs";
    List<Object> bodies =
        List.of(
            new JsonObject().put("memberId", "not-a-member"),
            new JsonObject().put("memberId", 42),
            new JsonObject().put("memberId", members.get(0).memberId()).put("force", true),
            new JsonObject());
    for (Object body : bodies) {
      Reply reply = rig.client.post("repairReconciledMember", path, body, admin.accessToken());
      assertThat(reply.status()).as("%s", body).isEqualTo(400);
      assertThat(reply.code()).isEqualTo("VALIDATION_FAILED");
    }
    Reply badId =
        rig.client.get("getReconciliation", RECONCILIATIONS + "/rc_nope", admin.accessToken());
    assertThat(badId.status()).isEqualTo(400);
  }

  /** Starts a run as the admin and waits for it to finish. */
  private static JsonObject finishedRun() {
    Reply started = start(admin);
    assertThat(started.status()).as(started.body().toString()).isEqualTo(202);
    String path = RECONCILIATIONS + "/" + started.json().getString("reconciliationId");
    JsonObject[] run = new JsonObject[1];
    Eventually.until(
        "the reconciliation finished",
        WITHIN,
        () -> {
          run[0] = rig.client.get("getReconciliation", path, admin.accessToken()).json();
          return "DONE".equals(run[0].getString("state"));
        });
    return run[0];
  }

  private static Reply start(SignedIn caller) {
    return rig.client.post("startReconciliation", RECONCILIATIONS, null, caller.accessToken());
  }

  private static Reply repair(String runId, String memberId, SignedIn caller) {
    return rig.client.post(
        "repairReconciledMember",
        RECONCILIATIONS + "/" + runId + "/repairs",
        new JsonObject().put("memberId", memberId),
        caller.accessToken());
  }

  private static JsonObject mismatch(JsonArray mismatches, String subject) {
    return mismatches.stream()
        .map(JsonObject.class::cast)
        .filter(m -> subject.equals(m.getString("subject")))
        .findFirst()
        .orElseThrow();
  }

  private static String gauge() {
    String metrics = rig.client.get("getMetrics", "/metrics", null).body().toString();
    return metrics
        .lines()
        .filter(line -> line.startsWith("civic_ledger_reconciliation_mismatches "))
        .map(line -> line.substring(line.indexOf(' ') + 1))
        .findFirst()
        .orElse("absent");
  }

  private static String cityBoard() {
    return "city|all|ALL";
  }

  private static long standingEntries(SignedIn member) {
    Document found =
        rig.mongo.findOne("standings", Filters.eq("_id", cityBoard() + "|" + member.memberId()));
    return found == null ? 0 : found.get("entries", Number.class).longValue();
  }

  private static void set(
      String collection, org.bson.conversions.Bson filter, String field, long value) {
    assertThat(
            MongoProbe.await(
                    rig.mongo
                        .collection(collection)
                        .updateOne(filter, new Document("$set", new Document(field, value))))
                .get(0)
                .getModifiedCount())
        .as("%s corrupted", collection)
        .isEqualTo(1);
  }
}
