package org.civicpoints.api.notices;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.model.Filters;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Map;
import org.civicpoints.api.support.ApiClient.Reply;
import org.civicpoints.api.support.Eventually;
import org.civicpoints.api.support.LedgerRig;
import org.civicpoints.api.support.Sessions;
import org.civicpoints.api.support.Sessions.SignedIn;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A resident learns why their points are what they are: the activity's title, the cap that cut an
 * award, a reversal's reason, on the submission, on each ledger entry and in the inbox; a receipt
 * names the rule version the chain applied.
 */
class KnowingWhyApiTest {

  private static final Duration WITHIN = Duration.ofSeconds(20);
  private static LedgerRig rig;

  @BeforeAll
  static void start() {
    rig = LedgerRig.start();
  }

  @AfterAll
  static void stop() {
    rig.close();
  }

  @Test
  void a_capped_award_says_what_was_asked_what_was_granted_and_which_cap_applied() {
    String rule = rig.seedRule("STUDY", 6, 10, 1_000, true);
    SignedIn resident = Sessions.resident(rig.client);
    LocalDate day = LocalDate.now();
    awaitStatus(rig.seedApproved(resident.memberId(), rule, "STUDY", 6, 1, day, 1).get(0));
    String capped = rig.seedApproved(resident.memberId(), rule, "STUDY", 6, 1, day, 1).get(0);
    awaitStatus(capped);

    JsonObject submission = submission(resident, capped);
    assertThat(submission.getString("activityTitle")).isEqualTo(LedgerRig.ACTIVITY_TITLE);
    assertThat(submission.getString("cap")).isEqualTo("DAILY_CAP");
    assertThat(submission.getLong("requestedPoints")).isEqualTo(6);
    assertThat(submission.getJsonObject("ledger").getLong("points")).isEqualTo(4);

    JsonObject entry = entry(resident, capped);
    assertThat(entry.getLong("points")).isEqualTo(4);
    assertThat(entry.getLong("requestedPoints")).isEqualTo(6);
    assertThat(entry.getString("cap")).isEqualTo("DAILY_CAP");
    assertThat(entry.getString("activityTitle")).isEqualTo(LedgerRig.ACTIVITY_TITLE);

    JsonObject english = awaitNotice(resident, "SUBMISSION_CAPPED", "en");
    assertThat(english.getString("body"))
        .isEqualTo("The daily cap limited your claim for \"Park clean-up\" to 4 of 6 points.");
    assertThat(english.getJsonObject("data").getString("activityTitle"))
        .isEqualTo(LedgerRig.ACTIVITY_TITLE);
    assertThat(awaitNotice(resident, "SUBMISSION_CAPPED", null).getString("body"))
        .isEqualTo("受每日积分上限限制，你参加活动“Park clean-up”的提交获得 4 积分（申请 6 积分）。");
  }

  @Test
  void an_award_granted_in_full_names_no_cap() {
    String rule = rig.seedRule("VOLUNTEER", 5, 1_000, 10_000, true);
    SignedIn resident = Sessions.resident(rig.client);
    String id =
        rig.seedApproved(resident.memberId(), rule, "VOLUNTEER", 10, 2, LocalDate.now(), 1).get(0);
    awaitStatus(id);

    assertThat(submission(resident, id).containsKey("cap")).isFalse();
    JsonObject entry = entry(resident, id);
    assertThat(entry.getLong("requestedPoints")).isEqualTo(10);
    assertThat(entry.containsKey("cap")).isFalse();
    assertThat(awaitNotice(resident, "SUBMISSION_RECORDED", "en").getString("body"))
        .isEqualTo("10 points for \"Park clean-up\" are on the ledger.");
  }

  @Test
  void a_reversal_tells_its_reason_on_the_submission_the_entry_and_in_the_inbox() {
    String rule = rig.seedRule("VOLUNTEER", 5, 1_000, 10_000, true);
    SignedIn resident = Sessions.resident(rig.client);
    String id =
        rig.seedApproved(resident.memberId(), rule, "VOLUNTEER", 5, 1, LocalDate.now(), 1).get(0);
    awaitStatus(id);
    rig.requestReversal(id, "Claimed twice");
    Eventually.until(
        "reversed", WITHIN, () -> "REVERSED".equals(rig.submission(id).getString("status")));

    assertThat(submission(resident, id).getString("reversalReason")).isEqualTo("Claimed twice");
    JsonObject reversal = entry(resident, "rv_" + id);
    assertThat(reversal.getLong("points")).isEqualTo(-5);
    assertThat(reversal.getString("reason")).isEqualTo("Claimed twice");
    assertThat(reversal.getString("activityTitle")).isEqualTo(LedgerRig.ACTIVITY_TITLE);
    assertThat(reversal.containsKey("requestedPoints")).isFalse();
    assertThat(awaitNotice(resident, "SUBMISSION_REVERSED", "en").getString("body"))
        .isEqualTo("Staff reversed the points for \"Park clean-up\": Claimed twice");
  }

  @Test
  void a_receipt_names_the_rule_and_the_version_the_chain_applied() {
    String rule = rig.seedRule("CIVIC", 5, 1_000, 10_000, true);
    SignedIn resident = Sessions.resident(rig.client);
    String id =
        rig.seedApproved(resident.memberId(), rule, "CIVIC", 5, 1, LocalDate.now(), 1).get(0);
    awaitStatus(id);

    Reply receipt =
        rig.client.get(
            "getMyPointReceipt",
            "/v1/me/points/entries/" + id + "/receipt",
            resident.accessToken());
    assertThat(receipt.status()).isEqualTo(200);
    JsonObject chain = receipt.json().getJsonObject("chain");
    assertThat(chain.getString("ruleId")).isEqualTo(rule);
    assertThat(chain.getLong("ruleVersion")).isEqualTo(1);
    assertThat(rig.chainEntry(id).orElseThrow().getLong("ruleVersion")).isEqualTo(1);
  }

  @Test
  void another_members_submission_explains_nothing_to_me() {
    String rule = rig.seedRule("VOLUNTEER", 5, 1_000, 10_000, true);
    SignedIn owner = Sessions.resident(rig.client);
    SignedIn other = Sessions.resident(rig.client);
    String id =
        rig.seedApproved(owner.memberId(), rule, "VOLUNTEER", 5, 1, LocalDate.now(), 1).get(0);
    awaitStatus(id);

    Reply foreign = rig.client.get("getSubmission", "/v1/submissions/" + id, other.accessToken());
    assertThat(foreign.status()).isEqualTo(404);
    assertThat(
            rig.client
                .get("listMyPointEntries", "/v1/me/points/entries", other.accessToken())
                .json()
                .getJsonArray("items"))
        .isEmpty();
    assertThat(notices(other, null)).isEmpty();
  }

  private static JsonObject submission(SignedIn resident, String id) {
    Reply reply = rig.client.get("getSubmission", "/v1/submissions/" + id, resident.accessToken());
    assertThat(reply.status()).as("submission: %s", reply.body()).isEqualTo(200);
    return reply.json();
  }

  private static JsonObject entry(SignedIn resident, String entryId) {
    JsonArray entries =
        rig.client
            .get("listMyPointEntries", "/v1/me/points/entries", resident.accessToken())
            .json()
            .getJsonArray("items");
    return entries.stream()
        .map(JsonObject.class::cast)
        .filter(e -> e.getString("entryId").equals(entryId))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no entry " + entryId + " in " + entries));
  }

  private static JsonArray notices(SignedIn resident, String language) {
    Reply reply =
        rig.client.send(
            "listNotifications",
            HttpMethod.GET,
            "/v1/me/notifications",
            null,
            resident.accessToken(),
            language == null ? Map.of() : Map.of("Accept-Language", language));
    assertThat(reply.status()).isEqualTo(200);
    return reply.json().getJsonArray("items");
  }

  private static JsonObject awaitNotice(SignedIn resident, String kind, String language) {
    Eventually.until(
        kind + " notice",
        WITHIN,
        () ->
            rig.mongo.count(
                    "notifications",
                    Filters.and(
                        Filters.eq("memberId", resident.memberId()), Filters.eq("kind", kind)))
                == 1);
    return notices(resident, language).stream()
        .map(JsonObject.class::cast)
        .filter(n -> n.getString("kind").equals(kind))
        .findFirst()
        .orElseThrow();
  }

  private static void awaitStatus(String submissionId) {
    Eventually.until(
        "submission " + submissionId + " recorded",
        WITHIN,
        () -> "RECORDED".equals(rig.submission(submissionId).getString("status")));
  }
}
