package org.civicpoints.api.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.civicpoints.api.support.ApiClient;
import org.civicpoints.api.support.ApiClient.Reply;
import org.civicpoints.api.support.Eventually;
import org.civicpoints.api.support.Sessions;
import org.civicpoints.api.support.Sessions.SignedIn;
import org.civicpoints.api.support.TestApi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Submissions, idempotency, approvals, rejections, batch approval, reversal and the inbox, through
 * HTTP.
 */
class SubmissionApiTest {

  private static final String BOOTSTRAP_ADMIN = "+8613700000012";
  private static final String EAST = "c-east-1a";
  private static final String WEST = "c-west-2b";
  private static TestApi api;
  private static ApiClient client;
  private static CatalogFixtures fixtures;
  private static SignedIn admin;
  private static SignedIn eastStaff;
  private static String codeActivity;
  private static String openActivity;
  private static String westActivity;

  @BeforeAll
  static void start() {
    api = TestApi.start(Map.of("BOOTSTRAP_ADMIN_PHONE", BOOTSTRAP_ADMIN));
    client = api.client;
    fixtures = new CatalogFixtures(client);
    admin = Sessions.signIn(client, new JsonObject().put("phone", BOOTSTRAP_ADMIN));
    String ruleId = fixtures.rule(admin, "VOLUNTEER", 10);
    eastStaff = Sessions.withRoles(client, EAST, "STAFF");
    // Residents here claim several shifts of one activity a day.
    codeActivity =
        fixtures.activity(
            eastStaff,
            fixtures.activityBody(EAST, "VOLUNTEER", ruleId, "CODE").put("claimsPerDay", 10));
    openActivity =
        fixtures.activity(
            eastStaff,
            fixtures.activityBody(EAST, "VOLUNTEER", ruleId, "NONE").put("claimsPerDay", 10));
    westActivity =
        fixtures.activity(
            Sessions.withRoles(client, WEST, "STAFF"),
            fixtures.activityBody(WEST, "VOLUNTEER", ruleId, "NONE"));
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  /** A resident of EAST enrolled in the CODE activity and checked in with its code. */
  private static SignedIn enrolledResident() {
    SignedIn resident = Sessions.inCommunity(client, EAST);
    assertThat(fixtures.enroll(resident, codeActivity).status()).isEqualTo(200);
    assertThat(fixtures.checkIn(resident, eastStaff, codeActivity).status()).isEqualTo(200);
    return resident;
  }

  private static JsonObject submission(SignedIn who, String submissionId) {
    Reply reply = client.get("getSubmission", "/v1/submissions/" + submissionId, who.accessToken());
    assertThat(reply.status()).isEqualTo(200);
    return reply.json();
  }

  private static JsonObject awaitStatus(String submissionId, String status) {
    Eventually.until(
        submissionId + " turns " + status,
        Duration.ofSeconds(30),
        () -> status.equals(submission(eastStaff, submissionId).getString("status")));
    return submission(eastStaff, submissionId);
  }

  private static Reply batchApprove(SignedIn staff, List<String> submissionIds) {
    Reply reply =
        client.post(
            "batchApproveSubmissions",
            "/v1/submissions/batch-approve",
            new JsonObject().put("submissionIds", submissionIds),
            staff.accessToken());
    assertThat(reply.status()).as("batch-approve: %s", reply.body()).isEqualTo(200);
    return reply;
  }

  /** Every page of the audit trail an admin reads for one actor and action. */
  private static List<JsonObject> auditOf(SignedIn actor, String action) {
    List<JsonObject> records = new ArrayList<>();
    String cursor = null;
    do {
      Reply page =
          client.get(
              "listAudit",
              "/v1/audit?actor="
                  + actor.memberId()
                  + "&action="
                  + action
                  + "&limit=100"
                  + (cursor == null ? "" : "&cursor=" + cursor),
              admin.accessToken());
      assertThat(page.status()).as("audit: %s", page.body()).isEqualTo(200);
      page.json().getJsonArray("items").forEach(item -> records.add((JsonObject) item));
      cursor = page.json().getString("nextCursor");
    } while (cursor != null);
    return records;
  }

  @Nested
  class Submitting {
    @Test
    void a_submission_waits_pending_with_the_requested_points_of_its_rule() {
      SignedIn resident = enrolledResident();
      Reply created =
          fixtures.submit(
              resident,
              "k-1",
              CatalogFixtures.submission(codeActivity, 3)
                  .put("evidence", new JsonObject().put("note", "Collected 4 bags")));
      assertThat(created.status()).isEqualTo(201);
      assertThat(created.json().getString("status")).isEqualTo("PENDING");
      JsonObject stored = submission(resident, created.json().getString("submissionId"));
      assertThat(stored.getLong("requestedPoints")).isEqualTo(30);
      assertThat(stored.getString("attendance")).isEqualTo("VERIFIED");
      assertThat(stored.getJsonObject("evidence").getString("note")).isEqualTo("Collected 4 bags");
      assertThat(
              client
                  .get("listMySubmissions", "/v1/me/submissions", resident.accessToken())
                  .json()
                  .getJsonArray("items")
                  .getJsonObject(0)
                  .getString("submissionId"))
          .isEqualTo(created.json().getString("submissionId"));
    }

    @Test
    void the_same_key_and_body_replays_the_first_answer_and_another_body_is_refused() {
      SignedIn resident = enrolledResident();
      JsonObject body = CatalogFixtures.submission(codeActivity, 2);
      Reply first = fixtures.submit(resident, "same-key", body);
      Reply again = fixtures.submit(resident, "same-key", body.copy());
      assertThat(again.status()).isEqualTo(201);
      assertThat(again.json()).isEqualTo(first.json());
      Reply other =
          fixtures.submit(resident, "same-key", CatalogFixtures.submission(codeActivity, 5));
      assertThat(other.status()).isEqualTo(422);
      assertThat(other.code()).isEqualTo("IDEMPOTENCY_KEY_REUSED");
      SignedIn someoneElse = enrolledResident();
      assertThat(fixtures.submit(someoneElse, "same-key", body).json().getString("submissionId"))
          .as("keys are per member")
          .isNotEqualTo(first.json().getString("submissionId"));
    }

    @Test
    void concurrent_duplicates_make_one_submission() throws Exception {
      SignedIn resident = enrolledResident();
      JsonObject body = CatalogFixtures.submission(codeActivity, 1);
      ExecutorService pool = Executors.newFixedThreadPool(8);
      try {
        List<Future<Reply>> replies = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
          replies.add(pool.submit(() -> fixtures.submit(resident, "burst", body)));
        }
        Set<String> ids = new HashSet<>();
        for (Future<Reply> reply : replies) {
          assertThat(reply.get().status()).isEqualTo(201);
          ids.add(reply.get().json().getString("submissionId"));
        }
        assertThat(ids).hasSize(1);
      } finally {
        pool.shutdownNow();
      }
      assertThat(
              client
                  .get("listMySubmissions", "/v1/me/submissions", resident.accessToken())
                  .json()
                  .getJsonArray("items"))
          .hasSize(1);
    }

    @Test
    void the_key_is_required_and_bad_input_is_named() {
      SignedIn resident = enrolledResident();
      Reply noKey =
          client.post(
              "createSubmission",
              "/v1/submissions",
              CatalogFixtures.submission(codeActivity, 1),
              resident.accessToken());
      assertThat(noKey.status()).isEqualTo(400);
      assertThat(noKey.json().encode()).contains("header.Idempotency-Key");
      Reply tooMany =
          fixtures.submit(
              resident,
              "k-units",
              CatalogFixtures.submission(codeActivity, 25).put("status", "RECORDED"));
      assertThat(tooMany.status()).isEqualTo(400);
      assertThat(tooMany.json().encode()).contains("units").contains("status");
      Reply outside =
          fixtures.submit(
              resident,
              "k-day",
              CatalogFixtures.submission(codeActivity, 1).put("occurredOn", "2020-01-01"));
      assertThat(outside.json().encode()).contains("occurredOn");
    }

    @Test
    void members_must_be_enrolled_unless_the_activity_has_no_check_in() {
      SignedIn resident = Sessions.inCommunity(client, EAST);
      assertThat(
              fixtures.submit(resident, "k-ne", CatalogFixtures.submission(codeActivity, 1)).code())
          .isEqualTo("NOT_ENROLLED");
      assertThat(
              fixtures
                  .submit(resident, "k-open", CatalogFixtures.submission(openActivity, 1))
                  .status())
          .isEqualTo(201);
    }

    @Test
    void another_members_submission_is_not_found_and_staff_see_only_their_communities() {
      SignedIn owner = enrolledResident();
      String submissionId = fixtures.submitted(owner, codeActivity, 1);
      assertThat(
              client
                  .get(
                      "getSubmission",
                      "/v1/submissions/" + submissionId,
                      Sessions.inCommunity(client, EAST).accessToken())
                  .status())
          .isEqualTo(404);
      SignedIn westStaff = Sessions.withRoles(client, WEST, "STAFF");
      assertThat(
              client
                  .get("getSubmission", "/v1/submissions/" + submissionId, westStaff.accessToken())
                  .status())
          .isEqualTo(404);
      assertThat(
              client
                  .get(
                      "listSubmissions",
                      "/v1/submissions?communityId=" + EAST,
                      westStaff.accessToken())
                  .status())
          .isEqualTo(404);
      assertThat(
              client
                  .get(
                      "listSubmissions", "/v1/submissions?communityId=" + EAST, owner.accessToken())
                  .status())
          .isEqualTo(403);
      assertThat(
              client
                  .get("getSubmission", "/v1/submissions/" + submissionId, eastStaff.accessToken())
                  .status())
          .isEqualTo(200);
    }
  }

  @Nested
  class Approving {
    @Test
    void fifty_concurrent_approvals_queue_one_award_that_the_chain_records_once() throws Exception {
      SignedIn resident = enrolledResident();
      String submissionId = fixtures.submitted(resident, codeActivity, 2);
      ExecutorService pool = Executors.newFixedThreadPool(16);
      try {
        List<Future<Reply>> replies = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
          replies.add(
              pool.submit(
                  () ->
                      client.post(
                          "approveSubmission",
                          "/v1/submissions/" + submissionId + "/approve",
                          new JsonObject().put("note", "ok"),
                          eastStaff.accessToken())));
        }
        for (Future<Reply> reply : replies) {
          assertThat(reply.get().status()).isEqualTo(200);
          assertThat(reply.get().json().getString("status")).isIn("APPROVED", "RECORDED");
        }
      } finally {
        pool.shutdownNow();
      }
      JsonArray approvals =
          client
              .get(
                  "listAudit",
                  "/v1/audit?communityId=" + EAST + "&action=SUBMISSION_APPROVE&limit=100",
                  eastStaff.accessToken())
              .json()
              .getJsonArray("items");
      assertThat(
              approvals.stream()
                  .filter(a -> submissionId.equals(((JsonObject) a).getString("target"))))
          .hasSize(1);
      JsonObject recorded = awaitStatus(submissionId, "RECORDED");
      assertThat(recorded.getJsonObject("ledger").getString("entryId")).isEqualTo(submissionId);
      assertThat(recorded.getJsonObject("ledger").getLong("points")).isEqualTo(20);
    }

    @Test
    void rejecting_notifies_the_member_and_a_rejected_submission_cannot_be_approved() {
      SignedIn resident = enrolledResident();
      String submissionId = fixtures.submitted(resident, codeActivity, 1);
      String base = "/v1/submissions/" + submissionId;
      Reply rejected =
          client.post(
              "rejectSubmission",
              base + "/reject",
              new JsonObject().put("reason", "Not on the list"),
              eastStaff.accessToken());
      assertThat(rejected.json().getString("status")).isEqualTo("REJECTED");
      assertThat(rejected.json().getString("rejectionReason")).isEqualTo("Not on the list");
      assertThat(
              client
                  .post("approveSubmission", base + "/approve", null, eastStaff.accessToken())
                  .code())
          .isEqualTo("INVALID_STATE");
      JsonObject inbox =
          client.get("listNotifications", "/v1/me/notifications", resident.accessToken()).json();
      JsonObject notice = inbox.getJsonArray("items").getJsonObject(0);
      assertThat(notice.getString("kind")).isEqualTo("SUBMISSION_REJECTED");
      assertThat(notice.getJsonObject("data").getString("submissionId")).isEqualTo(submissionId);
      Reply read =
          client.post(
              "markNotificationRead",
              "/v1/me/notifications/" + notice.getString("notificationId") + "/read",
              null,
              resident.accessToken());
      assertThat(read.json().containsKey("readAt")).isTrue();
      assertThat(
              client
                  .post(
                      "markNotificationRead",
                      "/v1/me/notifications/" + notice.getString("notificationId") + "/read",
                      null,
                      Sessions.resident(client).accessToken())
                  .status())
          .isEqualTo(404);
    }

    @Test
    void staff_of_another_community_and_residents_cannot_decide() {
      SignedIn resident = enrolledResident();
      String submissionId = fixtures.submitted(resident, codeActivity, 1);
      String base = "/v1/submissions/" + submissionId;
      SignedIn westStaff = Sessions.withRoles(client, WEST, "STAFF");
      assertThat(
              client
                  .post("approveSubmission", base + "/approve", null, westStaff.accessToken())
                  .status())
          .isEqualTo(404);
      assertThat(
              client
                  .post(
                      "rejectSubmission",
                      base + "/reject",
                      new JsonObject().put("reason", "x"),
                      westStaff.accessToken())
                  .status())
          .isEqualTo(404);
      assertThat(
              client
                  .post(
                      "reverseSubmission",
                      base + "/reverse",
                      new JsonObject().put("reason", "x"),
                      westStaff.accessToken())
                  .status())
          .isEqualTo(404);
      assertThat(
              client
                  .post("approveSubmission", base + "/approve", null, resident.accessToken())
                  .status())
          .isEqualTo(403);
      assertThat(submission(resident, submissionId).getString("status")).isEqualTo("PENDING");
    }

    @Test
    void batch_approval_answers_an_outcome_per_id() {
      SignedIn resident = enrolledResident();
      String fresh = fixtures.submitted(resident, codeActivity, 1);
      String approved = fixtures.submitted(resident, codeActivity, 1);
      String rejected = fixtures.submitted(resident, codeActivity, 1);
      client.post(
          "approveSubmission",
          "/v1/submissions/" + approved + "/approve",
          null,
          eastStaff.accessToken());
      client.post(
          "rejectSubmission",
          "/v1/submissions/" + rejected + "/reject",
          new JsonObject().put("reason", "no"),
          eastStaff.accessToken());
      SignedIn westStaff = Sessions.withRoles(client, WEST, "STAFF");
      Reply forbidden =
          client.post(
              "batchApproveSubmissions",
              "/v1/submissions/batch-approve",
              new JsonObject().put("submissionIds", List.of(fresh)),
              westStaff.accessToken());
      assertThat(forbidden.json().getJsonArray("items").getJsonObject(0).getString("outcome"))
          .isEqualTo("FORBIDDEN");
      Reply batch =
          client.post(
              "batchApproveSubmissions",
              "/v1/submissions/batch-approve",
              new JsonObject()
                  .put(
                      "submissionIds",
                      List.of(fresh, approved, rejected, "s_aaaaaaaaaaaaaaaaaaaa", fresh)),
              eastStaff.accessToken());
      assertThat(
              batch.json().getJsonArray("items").stream()
                  .map(i -> ((JsonObject) i).getString("outcome"))
                  .toList())
          .containsExactly("APPROVED", "ALREADY_APPROVED", "INVALID_STATE", "NOT_FOUND");
      assertThat(
              client
                  .post(
                      "batchApproveSubmissions",
                      "/v1/submissions/batch-approve",
                      new JsonObject().put("submissionIds", List.of()),
                      eastStaff.accessToken())
                  .status())
          .isEqualTo(400);
    }

    @Test
    void a_batch_decides_each_id_on_its_own_in_request_order_and_audits_only_what_it_approved() {
      SignedIn resident = enrolledResident();
      String first = fixtures.submitted(resident, codeActivity, 1);
      String second = fixtures.submitted(resident, codeActivity, 3);
      String approved = fixtures.submitted(resident, codeActivity, 1);
      String rejected = fixtures.submitted(resident, codeActivity, 1);
      String west = fixtures.submitted(Sessions.inCommunity(client, WEST), westActivity, 1);
      client.post(
          "approveSubmission",
          "/v1/submissions/" + approved + "/approve",
          null,
          eastStaff.accessToken());
      client.post(
          "rejectSubmission",
          "/v1/submissions/" + rejected + "/reject",
          new JsonObject().put("reason", "no"),
          eastStaff.accessToken());
      SignedIn staff = Sessions.withRoles(client, EAST, "STAFF");
      String unknown = "s_aaaaaaaaaaaaaaaaaaaa";

      Reply batch =
          batchApprove(
              staff, List.of(first, approved, west, rejected, unknown, first, second, approved));

      assertThat(
              batch.json().getJsonArray("items").stream()
                  .map(JsonObject.class::cast)
                  .map(item -> item.getString("submissionId") + " " + item.getString("outcome"))
                  .toList())
          .containsExactly(
              first + " APPROVED",
              approved + " ALREADY_APPROVED",
              west + " FORBIDDEN",
              rejected + " INVALID_STATE",
              unknown + " NOT_FOUND",
              second + " APPROVED");
      assertThat(submission(resident, second).getString("status")).isIn("APPROVED", "RECORDED");
      assertThat(submission(resident, rejected).getString("status")).isEqualTo("REJECTED");
      assertThat(
              client
                  .get("getSubmission", "/v1/submissions/" + west, admin.accessToken())
                  .json()
                  .getString("status"))
          .isEqualTo("PENDING");
      List<JsonObject> approvals = auditOf(staff, "SUBMISSION_APPROVE");
      assertThat(approvals)
          .extracting(record -> record.getString("target"))
          .containsExactlyInAnyOrder(first, second);
      JsonObject secondApproval =
          approvals.stream()
              .filter(record -> second.equals(record.getString("target")))
              .findFirst()
              .orElseThrow();
      assertThat(secondApproval.getString("communityId")).isEqualTo(EAST);
      assertThat(secondApproval.getJsonObject("before"))
          .isEqualTo(
              new JsonObject()
                  .put("status", "PENDING")
                  .put("memberId", resident.memberId())
                  .put("requestedPoints", 30));
      assertThat(secondApproval.getJsonObject("after"))
          .isEqualTo(
              new JsonObject()
                  .put("status", "APPROVED")
                  .put("memberId", resident.memberId())
                  .put("requestedPoints", 30));
      assertThat(auditOf(staff, "SUBMISSION_BATCH_APPROVE"))
          .singleElement()
          .satisfies(
              record ->
                  assertThat(record.getJsonObject("after"))
                      .isEqualTo(
                          new JsonObject()
                              .put("requested", 6)
                              .put("approved", 2)
                              .put("refused", 0)));
    }

    @Test
    void two_concurrent_batches_over_the_same_ids_approve_each_once_and_audit_it_once()
        throws Exception {
      List<String> ids = new ArrayList<>();
      for (int member = 0; member < 20; member++) {
        SignedIn resident = Sessions.inCommunity(client, EAST);
        for (int claim = 0; claim < 10; claim++) {
          ids.add(fixtures.submitted(resident, openActivity, 1));
        }
      }
      List<String> reversed = new ArrayList<>(ids);
      Collections.reverse(reversed);
      SignedIn one = Sessions.withRoles(client, EAST, "STAFF");
      SignedIn other = Sessions.withRoles(client, EAST, "STAFF");
      ExecutorService pool = Executors.newFixedThreadPool(2);
      List<JsonObject> items = new ArrayList<>();
      try {
        Future<Reply> first = pool.submit(() -> batchApprove(one, ids));
        Future<Reply> second = pool.submit(() -> batchApprove(other, reversed));
        first.get().json().getJsonArray("items").forEach(item -> items.add((JsonObject) item));
        second.get().json().getJsonArray("items").forEach(item -> items.add((JsonObject) item));
      } finally {
        pool.shutdownNow();
      }

      assertThat(items).hasSize(400);
      assertThat(items)
          .filteredOn(item -> "APPROVED".equals(item.getString("outcome")))
          .extracting(item -> item.getString("submissionId"))
          .containsExactlyInAnyOrderElementsOf(ids);
      assertThat(items)
          .filteredOn(item -> !"APPROVED".equals(item.getString("outcome")))
          .extracting(item -> item.getString("outcome"))
          .containsOnly("ALREADY_APPROVED");
      List<JsonObject> approvals = new ArrayList<>(auditOf(one, "SUBMISSION_APPROVE"));
      approvals.addAll(auditOf(other, "SUBMISSION_APPROVE"));
      assertThat(approvals)
          .extracting(record -> record.getString("target"))
          .containsExactlyInAnyOrderElementsOf(ids);
      long approvedInBatches = 0;
      for (SignedIn staff : List.of(one, other)) {
        approvedInBatches +=
            auditOf(staff, "SUBMISSION_BATCH_APPROVE").stream()
                .mapToLong(record -> record.getJsonObject("after").getLong("approved"))
                .sum();
      }
      assertThat(approvedInBatches).isEqualTo(200);
    }

    @Test
    void only_a_recorded_award_is_reversed_and_only_once() {
      SignedIn resident = enrolledResident();
      String submissionId = fixtures.submitted(resident, codeActivity, 1);
      String base = "/v1/submissions/" + submissionId;
      JsonObject reason = new JsonObject().put("reason", "Duplicate claim");
      assertThat(
              client
                  .post("reverseSubmission", base + "/reverse", reason, eastStaff.accessToken())
                  .code())
          .as("PENDING cannot be reversed")
          .isEqualTo("INVALID_STATE");
      client.post("approveSubmission", base + "/approve", null, eastStaff.accessToken());
      awaitStatus(submissionId, "RECORDED");
      Reply reversed =
          client.post("reverseSubmission", base + "/reverse", reason, eastStaff.accessToken());
      assertThat(reversed.status()).isEqualTo(200);
      assertThat(reversed.json().getString("reversal")).isNotNull();
      assertThat(
              client
                  .post("reverseSubmission", base + "/reverse", reason, eastStaff.accessToken())
                  .status())
          .isEqualTo(409);
      awaitStatus(submissionId, "REVERSED");
    }
  }

  @Nested
  class Devices {
    @Test
    void a_member_registers_idempotently_and_removes_only_their_own_tokens() {
      SignedIn resident = Sessions.resident(client);
      JsonObject device =
          new JsonObject().put("token", "tok-" + resident.memberId()).put("platform", "ANDROID");
      assertThat(
              client
                  .post("registerDevice", "/v1/me/devices", device, resident.accessToken())
                  .status())
          .isEqualTo(204);
      assertThat(
              client
                  .post("registerDevice", "/v1/me/devices", device, resident.accessToken())
                  .status())
          .isEqualTo(204);
      String path = "/v1/me/devices/" + device.getString("token");
      assertThat(
              client.delete("removeDevice", path, Sessions.resident(client).accessToken()).status())
          .isEqualTo(404);
      assertThat(client.delete("removeDevice", path, resident.accessToken()).status())
          .isEqualTo(204);
      assertThat(client.delete("removeDevice", path, resident.accessToken()).status())
          .isEqualTo(404);
    }
  }
}
