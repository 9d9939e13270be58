package org.civicpoints.api.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
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
 * Residents without a smartphone, through HTTP: staff register them, record their attendance and
 * claim for them (PROXY), four eyes on approval, and the phone's owner taking the member over.
 */
class AssistedResidentApiTest {

  private static final String BOOTSTRAP_ADMIN = "+8613700000018";

  /** Two staff members. */
  private static final String EAST = "c-east-1a";

  /** One staff member. */
  private static final String SMALL = "c-east-1b";

  private static final String WEST = "c-west-2b";
  private static TestApi api;
  private static ApiClient client;
  private static CatalogFixtures fixtures;
  private static SignedIn admin;
  private static SignedIn eastStaff;
  private static SignedIn eastColleague;
  private static SignedIn smallStaff;
  private static SignedIn westStaff;
  private static String codeActivity;
  private static String cappedActivity;
  private static String smallActivity;

  @BeforeAll
  static void start() {
    api = TestApi.start(Map.of("BOOTSTRAP_ADMIN_PHONE", BOOTSTRAP_ADMIN));
    client = api.client;
    fixtures = new CatalogFixtures(client);
    admin = Sessions.signIn(client, new JsonObject().put("phone", BOOTSTRAP_ADMIN));
    String ruleId = fixtures.rule(admin, "VOLUNTEER", 10);
    eastStaff = Sessions.withRoles(client, EAST, "STAFF");
    eastColleague = Sessions.withRoles(client, EAST, "STAFF");
    smallStaff = Sessions.withRoles(client, SMALL, "STAFF");
    westStaff = Sessions.withRoles(client, WEST, "STAFF");
    codeActivity =
        fixtures.activity(
            eastStaff,
            fixtures.activityBody(EAST, "VOLUNTEER", ruleId, "CODE").put("claimsPerDay", 10));
    String cappedRule = cappedRule();
    cappedActivity =
        fixtures.activity(eastStaff, fixtures.activityBody(EAST, "VOLUNTEER", cappedRule, "NONE"));
    smallActivity =
        fixtures.activity(
            smallStaff,
            fixtures.activityBody(SMALL, "VOLUNTEER", ruleId, "NONE").put("claimsPerDay", 10));
    fixtures.awaitRuleOnChain(admin, ruleId);
    fixtures.awaitRuleOnChain(admin, cappedRule);
  }

  /** 10 points an hour, at most 10 a day. */
  private static String cappedRule() {
    Reply reply =
        client.post(
            "createPointRule",
            "/v1/point-rules",
            new JsonObject()
                .put("category", "VOLUNTEER")
                .put("points", 10)
                .put("dailyCap", 10)
                .put("yearlyCap", 0)
                .put("title", "Capped hour"),
            admin.accessToken());
    assertThat(reply.status()).as("rule: %s", reply.body()).isEqualTo(201);
    return reply.json().getString("ruleId");
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  private static Reply register(SignedIn staff, JsonObject body) {
    return client.post(
        "registerAssistedResident", "/v1/assisted-residents", body, staff.accessToken());
  }

  private static String registered(SignedIn staff, String communityId, String phone) {
    JsonObject body =
        new JsonObject().put("displayName", "Wang Fang").put("communityId", communityId);
    if (phone != null) {
      body.put("phone", phone);
    }
    Reply reply = register(staff, body);
    assertThat(reply.status()).as("register: %s", reply.body()).isEqualTo(201);
    return reply.json().getString("memberId");
  }

  private static Reply attend(SignedIn staff, String memberId, String activityId) {
    return client.post(
        "recordAssistedAttendance",
        "/v1/assisted-residents/" + memberId + "/attendance",
        new JsonObject().put("activityId", activityId),
        staff.accessToken());
  }

  private static Reply claim(SignedIn staff, String memberId, String key, JsonObject body) {
    return client.sendRaw(
        "createProxySubmission",
        HttpMethod.POST,
        "/v1/assisted-residents/" + memberId + "/submissions",
        Buffer.buffer(Json.encode(body)),
        Map.of(
            "Authorization",
            "Bearer " + staff.accessToken(),
            "Content-Type",
            "application/json",
            "Idempotency-Key",
            key));
  }

  private static String claimed(SignedIn staff, String memberId, String activityId, int units) {
    Reply reply =
        claim(
            staff,
            memberId,
            UUID.randomUUID().toString(),
            CatalogFixtures.submission(activityId, units));
    assertThat(reply.status()).as("proxy claim: %s", reply.body()).isEqualTo(201);
    return reply.json().getString("submissionId");
  }

  private static Reply approve(SignedIn staff, String submissionId) {
    return client.post(
        "approveSubmission",
        "/v1/submissions/" + submissionId + "/approve",
        null,
        staff.accessToken());
  }

  private static JsonObject submission(SignedIn who, String submissionId) {
    Reply reply = client.get("getSubmission", "/v1/submissions/" + submissionId, who.accessToken());
    assertThat(reply.status()).isEqualTo(200);
    return reply.json();
  }

  private static List<JsonObject> auditOf(SignedIn actor, String action) {
    Reply page =
        client.get(
            "listAudit",
            "/v1/audit?actor=" + actor.memberId() + "&action=" + action + "&limit=100",
            admin.accessToken());
    assertThat(page.status()).as("audit: %s", page.body()).isEqualTo(200);
    List<JsonObject> records = new ArrayList<>();
    page.json().getJsonArray("items").forEach(item -> records.add((JsonObject) item));
    return records;
  }

  @Nested
  class Registering {
    @Test
    void staff_register_a_resident_of_their_community_who_is_listed_as_registered_by_them() {
      String phone = Sessions.freshPhone();
      Reply reply =
          register(
              eastStaff,
              new JsonObject()
                  .put("displayName", "  Li Hua ")
                  .put("communityId", EAST)
                  .put("phone", phone));
      assertThat(reply.status()).as("%s", reply.body()).isEqualTo(201);
      JsonObject member = reply.json();
      assertThat(member.getString("displayName")).isEqualTo("Li Hua");
      assertThat(member.getString("registeredBy")).isEqualTo(eastStaff.memberId());
      assertThat(member.getString("phoneMasked")).endsWith(phone.substring(phone.length() - 4));
      assertThat(member.getJsonArray("roles").getList()).containsExactly("RESIDENT");

      Reply listed =
          client.get("listMembers", "/v1/members?communityId=" + EAST, eastStaff.accessToken());
      assertThat(
              listed.json().getJsonArray("items").stream()
                  .map(JsonObject.class::cast)
                  .filter(m -> m.getString("memberId").equals(member.getString("memberId"))))
          .singleElement()
          .satisfies(m -> assertThat(m.getString("registeredBy")).isEqualTo(eastStaff.memberId()));
    }

    @Test
    void the_audit_trail_keeps_ids_but_neither_the_name_nor_the_phone() {
      String phone = Sessions.freshPhone();
      String memberId = registered(eastStaff, EAST, phone);
      List<JsonObject> records = auditOf(eastStaff, "RESIDENT_REGISTER");
      JsonObject record =
          records.stream()
              .filter(r -> memberId.equals(r.getString("target")))
              .findFirst()
              .orElseThrow();
      assertThat(record.getJsonObject("after").getBoolean("withPhone")).isTrue();
      assertThat(record.encode()).doesNotContain(phone).doesNotContain("Wang Fang");
    }

    @Test
    void a_resident_without_a_phone_can_be_registered_more_than_once_by_name() {
      assertThat(registered(eastStaff, EAST, null)).isNotEqualTo(registered(eastStaff, EAST, null));
    }

    @Test
    void a_phone_number_already_registered_is_refused_and_nothing_is_stored() {
      String phone = Sessions.freshPhone();
      String first = registered(eastStaff, EAST, phone);
      Reply again =
          register(
              eastColleague,
              new JsonObject()
                  .put("displayName", "Someone else")
                  .put("communityId", EAST)
                  .put("phone", phone));
      assertThat(again.status()).isEqualTo(409);
      assertThat(again.code()).isEqualTo("PHONE_ALREADY_REGISTERED");
      assertThat(again.body().toString()).doesNotContain(first);
    }

    @Test
    void concurrent_registrations_of_one_phone_make_one_member() throws Exception {
      String phone = Sessions.freshPhone();
      JsonObject body =
          new JsonObject()
              .put("displayName", "Wang Fang")
              .put("communityId", EAST)
              .put("phone", phone);
      ExecutorService pool = Executors.newFixedThreadPool(6);
      try {
        List<Future<Reply>> replies = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
          SignedIn staff = i % 2 == 0 ? eastStaff : eastColleague;
          replies.add(pool.submit(() -> register(staff, body)));
        }
        List<Integer> statuses = new ArrayList<>();
        for (Future<Reply> reply : replies) {
          statuses.add(reply.get().status());
        }
        assertThat(statuses).containsOnly(201, 409).containsOnlyOnce(201);
      } finally {
        pool.shutdown();
      }
    }

    @Test
    void the_phone_of_a_member_who_uses_the_app_cannot_be_registered() {
      SignedIn appUser = Sessions.inCommunity(client, EAST);
      Reply reply =
          register(
              eastStaff,
              new JsonObject()
                  .put("displayName", "Victim")
                  .put("communityId", EAST)
                  .put("phone", appUser.phone()));
      assertThat(reply.status()).isEqualTo(409);
      assertThat(reply.code()).isEqualTo("PHONE_ALREADY_REGISTERED");
    }

    @Test
    void staff_of_another_community_get_404_and_residents_403() {
      Reply other =
          register(westStaff, new JsonObject().put("displayName", "X").put("communityId", EAST));
      assertThat(other.status()).isEqualTo(404);
      assertThat(other.code()).isEqualTo("NOT_FOUND");
      Reply resident =
          register(
              Sessions.inCommunity(client, EAST),
              new JsonObject().put("displayName", "X").put("communityId", EAST));
      assertThat(resident.status()).isEqualTo(403);
      assertThat(resident.code()).isEqualTo("FORBIDDEN");
    }

    @Test
    void bad_inputs_are_400_naming_the_field() {
      for (JsonObject body :
          List.of(
              new JsonObject().put("displayName", "X").put("communityId", EAST).put("phone", "138"),
              new JsonObject()
                  .put("displayName", "X")
                  .put("communityId", EAST)
                  .put("phone", "13800000000"),
              new JsonObject().put("displayName", "   ").put("communityId", EAST),
              new JsonObject().put("displayName", 42).put("communityId", EAST),
              new JsonObject().put("communityId", EAST),
              new JsonObject()
                  .put("displayName", "X")
                  .put("communityId", EAST)
                  .put("roles", List.of("ADMIN")))) {
        Reply reply = register(eastStaff, body);
        assertThat(reply.status()).as(body.encode()).isEqualTo(400);
        assertThat(reply.code()).isEqualTo("VALIDATION_FAILED");
      }
    }
  }

  @Nested
  class Claiming {
    @Test
    void
        staff_record_a_verified_attendance_and_a_proxy_claim_marked_in_submission_queue_and_audit() {
      String resident = registered(eastStaff, EAST, null);
      Reply attended = attend(eastStaff, resident, codeActivity);
      assertThat(attended.status()).as("%s", attended.body()).isEqualTo(200);
      assertThat(attended.json().getString("attendance")).isEqualTo("VERIFIED");
      assertThat(attend(eastStaff, resident, codeActivity).status()).isEqualTo(200);

      String submissionId = claimed(eastStaff, resident, codeActivity, 1);
      JsonObject submission = submission(eastColleague, submissionId);
      assertThat(submission.getString("memberId")).isEqualTo(resident);
      assertThat(submission.getString("origin")).isEqualTo("PROXY");
      assertThat(submission.getString("filedBy")).isEqualTo(eastStaff.memberId());
      assertThat(submission.getString("attendance")).isEqualTo("VERIFIED");

      Reply queue =
          client.get(
              "listSubmissions",
              "/v1/submissions?communityId=" + EAST + "&status=PENDING&limit=100",
              eastColleague.accessToken());
      assertThat(
              queue.json().getJsonArray("items").stream()
                  .map(JsonObject.class::cast)
                  .filter(s -> s.getString("submissionId").equals(submissionId)))
          .singleElement()
          .satisfies(s -> assertThat(s.getString("origin")).isEqualTo("PROXY"));

      assertThat(auditOf(eastStaff, "SUBMISSION_PROXY_CLAIM"))
          .anySatisfy(
              record -> {
                assertThat(record.getString("target")).isEqualTo(submissionId);
                assertThat(record.getJsonObject("after").getString("memberId")).isEqualTo(resident);
              });
      assertThat(auditOf(eastStaff, "ATTENDANCE_RECORD"))
          .anySatisfy(
              r -> assertThat(r.getJsonObject("after").getString("memberId")).isEqualTo(resident));
    }

    @Test
    void a_members_own_claim_is_marked_app() {
      SignedIn appUser = Sessions.inCommunity(client, SMALL);
      String submissionId = fixtures.submitted(appUser, smallActivity, 1);
      JsonObject submission = submission(appUser, submissionId);
      assertThat(submission.getString("origin")).isEqualTo("APP");
      assertThat(submission.containsKey("filedBy")).isFalse();
    }

    @Test
    void a_replay_with_the_same_key_answers_the_first_claim_and_audits_once() {
      String resident = registered(eastStaff, EAST, null);
      JsonObject body = CatalogFixtures.submission(cappedActivity, 1);
      String key = UUID.randomUUID().toString();
      Reply first = claim(eastStaff, resident, key, body);
      Reply again = claim(eastStaff, resident, key, body);
      assertThat(again.status()).isEqualTo(201);
      assertThat(again.json().getString("submissionId"))
          .isEqualTo(first.json().getString("submissionId"));
      assertThat(auditOf(eastStaff, "SUBMISSION_PROXY_CLAIM"))
          .filteredOn(r -> r.getString("target").equals(first.json().getString("submissionId")))
          .hasSize(1);
    }

    @Test
    void one_claim_a_day_holds_for_proxy_claims() {
      String resident = registered(eastStaff, EAST, null);
      claimed(eastStaff, resident, cappedActivity, 1);
      Reply second =
          claim(
              eastColleague,
              resident,
              UUID.randomUUID().toString(),
              CatalogFixtures.submission(cappedActivity, 1));
      assertThat(second.status()).isEqualTo(409);
      assertThat(second.code()).isEqualTo("ALREADY_CLAIMED");
    }

    @Test
    void the_enrollment_rule_holds_for_proxy_claims() {
      String resident = registered(eastStaff, EAST, null);
      Reply reply =
          claim(
              eastStaff,
              resident,
              UUID.randomUUID().toString(),
              CatalogFixtures.submission(codeActivity, 1));
      assertThat(reply.status()).isEqualTo(422);
      assertThat(reply.code()).isEqualTo("NOT_ENROLLED");
    }

    @Test
    void staff_cannot_proxy_claim_or_record_attendance_for_themselves() {
      Reply claim =
          claim(
              eastStaff,
              eastStaff.memberId(),
              UUID.randomUUID().toString(),
              CatalogFixtures.submission(cappedActivity, 1));
      assertThat(claim.status()).isEqualTo(403);
      assertThat(claim.code()).isEqualTo("SELF_DECISION");
      Reply attendance = attend(eastStaff, eastStaff.memberId(), codeActivity);
      assertThat(attendance.status()).isEqualTo(403);
      assertThat(attendance.code()).isEqualTo("SELF_DECISION");
    }

    @Test
    void staff_of_another_community_get_404_for_the_resident() {
      String resident = registered(eastStaff, EAST, null);
      Reply claim =
          claim(
              westStaff,
              resident,
              UUID.randomUUID().toString(),
              CatalogFixtures.submission(cappedActivity, 1));
      assertThat(claim.status()).isEqualTo(404);
      assertThat(claim.code()).isEqualTo("NOT_FOUND");
      assertThat(attend(westStaff, resident, codeActivity).status()).isEqualTo(404);
      Reply unknown =
          claim(
              eastStaff,
              "m_aaaaaaaaaaaaaaaaaaaa",
              UUID.randomUUID().toString(),
              CatalogFixtures.submission(cappedActivity, 1));
      assertThat(unknown.status()).isEqualTo(404);
    }

    @Test
    void staff_do_not_claim_for_members_who_use_the_app() {
      SignedIn appUser = Sessions.inCommunity(client, EAST);
      Reply reply =
          claim(
              eastStaff,
              appUser.memberId(),
              UUID.randomUUID().toString(),
              CatalogFixtures.submission(cappedActivity, 1));
      assertThat(reply.status()).isEqualTo(409);
      assertThat(reply.code()).isEqualTo("INVALID_STATE");
      assertThat(attend(eastStaff, appUser.memberId(), codeActivity).status()).isEqualTo(409);
    }

    @Test
    void residents_cannot_claim_for_others_and_bad_ids_are_400() {
      String resident = registered(eastStaff, EAST, null);
      Reply byResident =
          claim(
              Sessions.inCommunity(client, EAST),
              resident,
              UUID.randomUUID().toString(),
              CatalogFixtures.submission(cappedActivity, 1));
      assertThat(byResident.status()).isEqualTo(403);
      Reply badId =
          claim(
              eastStaff,
              "not-a-member",
              UUID.randomUUID().toString(),
              CatalogFixtures.submission(cappedActivity, 1));
      assertThat(badId.status()).isEqualTo(400);
      Reply badBody =
          claim(
              eastStaff,
              resident,
              UUID.randomUUID().toString(),
              CatalogFixtures.submission(cappedActivity, 1).put("memberId", resident));
      assertThat(badBody.status()).isEqualTo(400);
      assertThat(badBody.code()).isEqualTo("VALIDATION_FAILED");
    }
  }

  @Nested
  class FourEyes {
    @Test
    void with_two_staff_the_filer_cannot_approve_and_the_colleague_can() {
      String resident = registered(eastStaff, EAST, null);
      String submissionId = claimed(eastStaff, resident, cappedActivity, 1);
      Reply own = approve(eastStaff, submissionId);
      assertThat(own.status()).isEqualTo(403);
      assertThat(own.code()).isEqualTo("FOUR_EYES_REQUIRED");
      assertThat(submission(eastStaff, submissionId).getString("status")).isEqualTo("PENDING");

      Reply colleague = approve(eastColleague, submissionId);
      assertThat(colleague.status()).as("%s", colleague.body()).isEqualTo(200);
      assertThat(colleague.json().getString("approvedBy")).isEqualTo(eastColleague.memberId());
      assertThat(auditOf(eastColleague, "SUBMISSION_APPROVE"))
          .anySatisfy(
              record -> {
                assertThat(record.getString("target")).isEqualTo(submissionId);
                assertThat(record.getJsonObject("after").getString("filedBy"))
                    .isEqualTo(eastStaff.memberId());
                assertThat(record.getJsonObject("after").getString("origin")).isEqualTo("PROXY");
              });
    }

    @Test
    void a_batch_refuses_the_filers_own_proxy_claims_one_by_one() {
      String resident = registered(eastStaff, EAST, null);
      String own = claimed(eastStaff, resident, cappedActivity, 1);
      String others =
          claimed(eastColleague, registered(eastColleague, EAST, null), cappedActivity, 1);
      Reply batch =
          client.post(
              "batchApproveSubmissions",
              "/v1/submissions/batch-approve",
              new JsonObject().put("submissionIds", List.of(own, others)),
              eastStaff.accessToken());
      assertThat(batch.status()).isEqualTo(200);
      assertThat(
              batch.json().getJsonArray("items").stream()
                  .map(JsonObject.class::cast)
                  .map(item -> item.getString("submissionId") + " " + item.getString("outcome")))
          .containsExactly(own + " FOUR_EYES_REQUIRED", others + " APPROVED");
    }

    @Test
    void an_admin_approves_a_proxy_claim() {
      String submissionId =
          claimed(eastStaff, registered(eastStaff, EAST, null), cappedActivity, 1);
      assertThat(approve(admin, submissionId).status()).isEqualTo(200);
    }

    @Test
    void with_one_staff_the_filer_approves_their_proxy_claim() {
      String resident = registered(smallStaff, SMALL, null);
      String submissionId = claimed(smallStaff, resident, smallActivity, 1);
      Reply reply = approve(smallStaff, submissionId);
      assertThat(reply.status()).as("%s", reply.body()).isEqualTo(200);
      assertThat(reply.json().getString("approvedBy")).isEqualTo(smallStaff.memberId());
    }
  }

  @Nested
  class TakingOver {
    @Test
    void the_phones_owner_signs_in_to_the_same_member_with_its_capped_points() {
      String phone = Sessions.freshPhone();
      String resident = registered(eastStaff, EAST, phone);
      String submissionId = claimed(eastStaff, resident, cappedActivity, 2);
      assertThat(approve(eastColleague, submissionId).status()).isEqualTo(200);
      Eventually.until(
          submissionId + " recorded",
          Duration.ofSeconds(30),
          () -> "RECORDED".equals(submission(eastStaff, submissionId).getString("status")));
      JsonObject recorded = submission(eastStaff, submissionId);
      assertThat(recorded.getString("cap")).isEqualTo("DAILY_CAP");
      assertThat(recorded.getJsonObject("ledger").getLong("points")).isEqualTo(10L);

      SignedIn owner = Sessions.signIn(client, new JsonObject().put("phone", phone));
      assertThat(owner.memberId()).isEqualTo(resident);
      assertThat(owner.member().getString("communityId")).isEqualTo(EAST);
      Eventually.until(
          "the balance reaches the owner",
          Duration.ofSeconds(30),
          () ->
              client
                      .get("getMyPoints", "/v1/me/points", owner.accessToken())
                      .json()
                      .getLong("balance")
                  == 10L);
      Reply mine = client.get("listMySubmissions", "/v1/me/submissions", owner.accessToken());
      assertThat(mine.json().getJsonArray("items").getJsonObject(0).getString("submissionId"))
          .isEqualTo(submissionId);
    }
  }
}
