package org.civicpoints.api.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
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
 * The business-flow rules that keep points fair, through HTTP, each tried the way a resident who
 * wants more points or a staff member who favours themselves would: self decisions, one claim a
 * day, units within the activity's hours, check-in hours, code guessing and location, verified
 * attendance before approval, cancelled activities, idempotency keys as sent, party membership
 * revocation and community change requests.
 */
class FairPlayApiTest {

  private static final String BOOTSTRAP_ADMIN = "+8613700000013";
  private static final String EAST = "c-east-1a";
  private static final String EAST_B = "c-east-1b";
  private static final String WEST = "c-west-2b";
  private static TestApi api;
  private static ApiClient client;
  private static CatalogFixtures fixtures;
  private static SignedIn admin;
  private static SignedIn eastStaff;
  private static String ruleId;

  @BeforeAll
  static void start() {
    api = TestApi.start(Map.of("BOOTSTRAP_ADMIN_PHONE", BOOTSTRAP_ADMIN));
    client = api.client;
    fixtures = new CatalogFixtures(client);
    admin = Sessions.signIn(client, new JsonObject().put("phone", BOOTSTRAP_ADMIN));
    ruleId = fixtures.rule(admin, "VOLUNTEER", 10);
    eastStaff = Sessions.withRoles(client, EAST, "STAFF");
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  private static String activity(String checkIn, JsonObject changes) {
    JsonObject body = fixtures.activityBody(EAST, "VOLUNTEER", ruleId, checkIn);
    return fixtures.activity(eastStaff, body.mergeIn(changes));
  }

  private static JsonObject hours(Instant startsAt, Instant endsAt) {
    return new JsonObject().put("startsAt", startsAt.toString()).put("endsAt", endsAt.toString());
  }

  private static SignedIn enrolled(String activityId) {
    SignedIn resident = Sessions.inCommunity(client, EAST);
    assertThat(fixtures.enroll(resident, activityId).status()).isEqualTo(200);
    return resident;
  }

  private static String currentCode(String activityId) {
    Reply code =
        client.get(
            "getCheckInCode",
            "/v1/activities/" + activityId + "/check-in-code",
            eastStaff.accessToken());
    assertThat(code.status()).as("code: %s", code.body()).isEqualTo(200);
    return code.json().getString("code");
  }

  private static Reply checkIn(SignedIn member, String activityId, JsonObject body) {
    return client.post(
        "checkInToActivity",
        "/v1/activities/" + activityId + "/check-in",
        body,
        member.accessToken());
  }

  private static Reply approve(SignedIn staff, String submissionId, JsonObject body) {
    return client.post(
        "approveSubmission",
        "/v1/submissions/" + submissionId + "/approve",
        body,
        staff.accessToken());
  }

  private static Reply reject(SignedIn staff, String submissionId) {
    return client.post(
        "rejectSubmission",
        "/v1/submissions/" + submissionId + "/reject",
        new JsonObject().put("reason", "Not on the list"),
        staff.accessToken());
  }

  private static JsonArray batchApprove(SignedIn staff, List<String> ids) {
    Reply reply =
        client.post(
            "batchApproveSubmissions",
            "/v1/submissions/batch-approve",
            new JsonObject().put("submissionIds", ids),
            staff.accessToken());
    assertThat(reply.status()).as("batch: %s", reply.body()).isEqualTo(200);
    return reply.json().getJsonArray("items");
  }

  private static String outcomeOf(JsonArray items, String submissionId) {
    return items.stream()
        .map(JsonObject.class::cast)
        .filter(item -> item.getString("submissionId").equals(submissionId))
        .findFirst()
        .orElseThrow()
        .getString("outcome");
  }

  private static String status(String submissionId) {
    return client
        .get("getSubmission", "/v1/submissions/" + submissionId, admin.accessToken())
        .json()
        .getString("status");
  }

  private static void awaitUntil(String what, BooleanSupplier condition) {
    Eventually.until(what, Duration.ofSeconds(30), condition);
  }

  private static List<JsonObject> audit(SignedIn actor, String action) {
    Reply page =
        client.get(
            "listAudit",
            "/v1/audit?actor=" + actor.memberId() + "&action=" + action + "&limit=100",
            admin.accessToken());
    assertThat(page.status()).as("audit: %s", page.body()).isEqualTo(200);
    return page.json().getJsonArray("items").stream().map(JsonObject.class::cast).toList();
  }

  @Nested
  class NobodyDecidesForThemselves {

    /** Staff of EAST who also live there and claim points like any resident. */
    private final SignedIn staffResident = Sessions.withRoles(client, EAST, "STAFF");

    private final String openActivity = activity("NONE", new JsonObject().put("claimsPerDay", 5));

    @Test
    void staff_cannot_approve_or_reject_their_own_submission_another_staff_member_can() {
      String own = fixtures.submitted(staffResident, openActivity, 1);

      Reply approved = approve(staffResident, own, null);
      assertThat(approved.status()).isEqualTo(403);
      assertThat(approved.code()).isEqualTo("SELF_DECISION");
      Reply rejected = reject(staffResident, own);
      assertThat(rejected.status()).isEqualTo(403);
      assertThat(rejected.code()).isEqualTo("SELF_DECISION");
      assertThat(status(own)).isEqualTo("PENDING");

      assertThat(approve(eastStaff, own, null).status()).isEqualTo(200);
    }

    @Test
    void an_admin_cannot_approve_their_own_submission_either() {
      SignedIn adminResident = Sessions.withRoles(client, EAST, "ADMIN");
      String own = fixtures.submitted(adminResident, openActivity, 1);
      Reply approved = approve(adminResident, own, null);
      assertThat(approved.status()).isEqualTo(403);
      assertThat(approved.code()).isEqualTo("SELF_DECISION");
    }

    @Test
    void a_batch_refuses_the_callers_own_submissions_per_id_and_approves_the_others() {
      String own = fixtures.submitted(staffResident, openActivity, 1);
      String others = fixtures.submitted(Sessions.inCommunity(client, EAST), openActivity, 1);

      JsonArray items = batchApprove(staffResident, List.of(own, others));

      assertThat(outcomeOf(items, own)).isEqualTo("SELF_DECISION");
      assertThat(outcomeOf(items, others)).isEqualTo("APPROVED");
      assertThat(status(own)).isEqualTo("PENDING");
    }

    @Test
    void staff_cannot_reverse_their_own_recorded_award() {
      String own = fixtures.submitted(staffResident, openActivity, 1);
      assertThat(approve(eastStaff, own, null).status()).isEqualTo(200);
      awaitUntil(own + " RECORDED", () -> "RECORDED".equals(status(own)));

      Reply reversed =
          client.post(
              "reverseSubmission",
              "/v1/submissions/" + own + "/reverse",
              new JsonObject().put("reason", "mine"),
              staffResident.accessToken());

      assertThat(reversed.status()).isEqualTo(403);
      assertThat(reversed.code()).isEqualTo("SELF_DECISION");
    }

    @Test
    void staff_cannot_verify_their_own_party_membership() {
      Reply verified =
          client.post(
              "verifyPartyMembership",
              "/v1/members/" + staffResident.memberId() + "/party-membership",
              new JsonObject().put("branchId", "b-east-1"),
              staffResident.accessToken());

      assertThat(verified.status()).isEqualTo(403);
      assertThat(verified.code()).isEqualTo("SELF_DECISION");
      Reply me = client.get("getMe", "/v1/me", staffResident.accessToken());
      assertThat(me.json().getJsonObject("partyMembership").getString("status")).isEqualTo("NONE");
      assertThat(me.json().getJsonArray("roles").getList()).doesNotContain("PARTY_MEMBER");
    }

    @Test
    void an_admin_cannot_grant_themselves_staff_scope_of_another_community() {
      Reply granted =
          client.post(
              "grantRole",
              "/v1/members/" + admin.memberId() + "/roles",
              new JsonObject().put("role", "STAFF").put("scopes", List.of("community:" + WEST)),
              admin.accessToken());

      assertThat(granted.status()).isEqualTo(403);
      assertThat(granted.code()).isEqualTo("SELF_DECISION");
      assertThat(client.get("getMe", "/v1/me", admin.accessToken()).json().getJsonArray("scopes"))
          .doesNotContain("community:" + WEST);
    }

    @Test
    void staff_cannot_grant_themselves_anything_at_all() {
      Reply granted =
          client.post(
              "grantRole",
              "/v1/members/" + staffResident.memberId() + "/roles",
              new JsonObject().put("role", "STAFF").put("scopes", List.of("community:" + WEST)),
              staffResident.accessToken());

      assertThat(granted.status()).isEqualTo(403);
      assertThat(granted.code()).isEqualTo("FORBIDDEN");
    }

    @Test
    void staff_cannot_approve_their_own_move_into_a_community_they_staff() {
      // Staff of WEST who live in EAST ask to move into WEST.
      SignedIn mover = Sessions.withRoles(client, EAST, "STAFF");
      grantStaffOf(mover, WEST);
      SignedIn withWestScope =
          Sessions.signIn(client, new JsonObject().put("phone", mover.phone()));
      String requestId = requestMove(withWestScope, WEST);

      Reply decided = decide(withWestScope, requestId, "APPROVE");

      assertThat(decided.status()).isEqualTo(403);
      assertThat(decided.code()).isEqualTo("SELF_DECISION");
      SignedIn otherWestStaff = Sessions.withRoles(client, WEST, "STAFF");
      assertThat(decide(otherWestStaff, requestId, "APPROVE").status()).isEqualTo(200);
    }
  }

  private static void grantStaffOf(SignedIn member, String communityId) {
    Reply granted =
        client.post(
            "grantRole",
            "/v1/members/" + member.memberId() + "/roles",
            new JsonObject()
                .put("role", "STAFF")
                .put("scopes", List.of("community:" + communityId)),
            admin.accessToken());
    assertThat(granted.status()).as("grant: %s", granted.body()).isEqualTo(200);
  }

  private static String requestMove(SignedIn member, String communityId) {
    Reply moved =
        client.patch(
            "updateMe",
            "/v1/me",
            new JsonObject().put("communityId", communityId),
            member.accessToken());
    assertThat(moved.status()).as("move: %s", moved.body()).isEqualTo(200);
    JsonObject pending = moved.json().getJsonObject("pendingCommunityChange");
    assertThat(pending.getString("toCommunityId")).isEqualTo(communityId);
    return pending.getString("requestId");
  }

  private static Reply decide(SignedIn staff, String requestId, String decision) {
    return client.post(
        "decideCommunityChange",
        "/v1/community-change-requests/" + requestId + "/decision",
        new JsonObject().put("decision", decision),
        staff.accessToken());
  }

  @Nested
  class OneClaimADay {

    @Test
    void a_second_claim_of_the_day_with_a_new_key_is_already_claimed_naming_the_first() {
      String activityId = activity("NONE", new JsonObject());
      SignedIn resident = Sessions.inCommunity(client, EAST);
      String first = fixtures.submitted(resident, activityId, 1);

      Reply second =
          fixtures.submit(resident, "another-key", CatalogFixtures.submission(activityId, 1));

      assertThat(second.status()).isEqualTo(409);
      assertThat(second.code()).isEqualTo("ALREADY_CLAIMED");
      assertThat(second.json().getString("submissionId")).isEqualTo(first);
    }

    @Test
    void a_rejected_claim_may_be_made_again() {
      String activityId = activity("NONE", new JsonObject());
      SignedIn resident = Sessions.inCommunity(client, EAST);
      String first = fixtures.submitted(resident, activityId, 1);
      assertThat(reject(eastStaff, first).status()).isEqualTo(200);

      Reply again =
          fixtures.submit(resident, "after-reject", CatalogFixtures.submission(activityId, 1));

      assertThat(again.status()).isEqualTo(201);
      assertThat(again.json().getString("submissionId")).isNotEqualTo(first);
      Reply third = fixtures.submit(resident, "third", CatalogFixtures.submission(activityId, 1));
      assertThat(third.code()).isEqualTo("ALREADY_CLAIMED");
      assertThat(third.json().getString("submissionId"))
          .isEqualTo(again.json().getString("submissionId"));
    }

    @Test
    void an_activity_may_allow_repeats_up_to_its_claims_per_day() {
      String activityId = activity("NONE", new JsonObject().put("claimsPerDay", 2));
      JsonObject read =
          client.get("getActivity", "/v1/activities/" + activityId, eastStaff.accessToken()).json();
      assertThat(read.getInteger("claimsPerDay")).isEqualTo(2);
      SignedIn resident = Sessions.inCommunity(client, EAST);

      String first = fixtures.submitted(resident, activityId, 1);
      fixtures.submitted(resident, activityId, 1);
      Reply third = fixtures.submit(resident, "third", CatalogFixtures.submission(activityId, 1));

      assertThat(third.status()).isEqualTo(409);
      assertThat(third.code()).isEqualTo("ALREADY_CLAIMED");
      assertThat(third.json().getString("submissionId")).isEqualTo(first);
    }

    @Test
    void claims_per_day_is_one_by_default_editable_and_at_least_one() {
      String activityId = activity("NONE", new JsonObject());
      String uri = "/v1/activities/" + activityId;
      assertThat(
              client
                  .get("getActivity", uri, eastStaff.accessToken())
                  .json()
                  .getInteger("claimsPerDay"))
          .isEqualTo(1);
      Reply changed =
          client.patch(
              "changeActivity",
              uri,
              new JsonObject().put("claimsPerDay", 3),
              eastStaff.accessToken());
      assertThat(changed.status()).isEqualTo(200);
      assertThat(changed.json().getInteger("claimsPerDay")).isEqualTo(3);

      for (Object invalid : List.of(0, -1, "2", 1.5)) {
        Reply refused =
            client.patch(
                "changeActivity",
                uri,
                new JsonObject().put("claimsPerDay", invalid),
                eastStaff.accessToken());
        assertThat(refused.status()).as("claimsPerDay %s", invalid).isEqualTo(400);
        assertThat(refused.code()).isEqualTo("VALIDATION_FAILED");
        assertThat(refused.body().toString()).contains("claimsPerDay");
      }
    }

    @Test
    void ten_concurrent_claims_with_different_keys_make_exactly_one_submission() throws Exception {
      String activityId = activity("NONE", new JsonObject());
      SignedIn resident = Sessions.inCommunity(client, EAST);
      JsonObject body = CatalogFixtures.submission(activityId, 1);
      ExecutorService pool = Executors.newFixedThreadPool(10);
      List<Future<Reply>> replies = new ArrayList<>();
      try {
        for (int i = 0; i < 10; i++) {
          String key = "burst-" + i;
          replies.add(pool.submit(() -> fixtures.submit(resident, key, body)));
        }
        List<Integer> statuses = new ArrayList<>();
        List<String> codes = new ArrayList<>();
        for (Future<Reply> reply : replies) {
          statuses.add(reply.get(60, TimeUnit.SECONDS).status());
          codes.add(reply.get().code());
        }
        assertThat(statuses).filteredOn(status -> status == 201).hasSize(1);
        assertThat(statuses).filteredOn(status -> status == 409).hasSize(9);
        assertThat(codes).filteredOn("ALREADY_CLAIMED"::equals).hasSize(9);
      } finally {
        pool.shutdownNow();
      }
      Reply mine = client.get("listMySubmissions", "/v1/me/submissions", resident.accessToken());
      assertThat(mine.json().getJsonArray("items")).hasSize(1);
    }
  }

  @Nested
  class UnitsWithinTheActivitysHours {

    @Test
    void a_two_hour_activity_takes_at_most_two_units() {
      Instant now = Instant.now();
      String activityId =
          activity(
              "NONE",
              hours(now.minus(1, ChronoUnit.HOURS), now.plus(1, ChronoUnit.HOURS))
                  .put("claimsPerDay", 2));
      SignedIn resident = Sessions.inCommunity(client, EAST);

      for (int units : List.of(3, 24)) {
        Reply tooMany =
            fixtures.submit(
                resident, "units-" + units, CatalogFixtures.submission(activityId, units));
        assertThat(tooMany.status()).as("%s units", units).isEqualTo(422);
        assertThat(tooMany.code()).isEqualTo("TOO_MANY_UNITS");
        assertThat(tooMany.json().getJsonArray("errors").getJsonObject(0).getString("field"))
            .isEqualTo("units");
      }
      assertThat(
              fixtures
                  .submit(resident, "units-2", CatalogFixtures.submission(activityId, 2))
                  .status())
          .isEqualTo(201);
    }

    @Test
    void a_twenty_minute_activity_still_takes_one_unit() {
      Instant now = Instant.now();
      String activityId =
          activity(
              "NONE", hours(now.minus(10, ChronoUnit.MINUTES), now.plus(10, ChronoUnit.MINUTES)));
      SignedIn resident = Sessions.inCommunity(client, EAST);

      assertThat(fixtures.submit(resident, "two", CatalogFixtures.submission(activityId, 2)).code())
          .isEqualTo("TOO_MANY_UNITS");
      assertThat(
              fixtures.submit(resident, "one", CatalogFixtures.submission(activityId, 1)).status())
          .isEqualTo(201);
    }
  }

  @Nested
  class CheckIn {

    @Test
    void check_in_with_the_current_code_days_before_the_activity_is_outside_its_hours() {
      Instant start = Instant.now().plus(3, ChronoUnit.DAYS);
      String activityId = activity("CODE", hours(start, start.plus(2, ChronoUnit.HOURS)));
      SignedIn resident = enrolled(activityId);

      Reply early =
          checkIn(resident, activityId, new JsonObject().put("code", currentCode(activityId)));

      assertThat(early.status()).isEqualTo(422);
      assertThat(early.code()).isEqualTo("OUTSIDE_ACTIVITY_HOURS");
    }

    @Test
    void check_in_opens_thirty_minutes_before_the_start_and_closes_thirty_minutes_after_the_end() {
      Instant now = Instant.now();
      String soon =
          activity("CODE", hours(now.plus(20, ChronoUnit.MINUTES), now.plus(2, ChronoUnit.HOURS)));
      String over =
          activity(
              "CODE", hours(now.minus(3, ChronoUnit.HOURS), now.minus(40, ChronoUnit.MINUTES)));
      String justOver =
          activity(
              "CODE", hours(now.minus(3, ChronoUnit.HOURS), now.minus(20, ChronoUnit.MINUTES)));

      SignedIn early = enrolled(soon);
      assertThat(checkIn(early, soon, new JsonObject().put("code", currentCode(soon))).status())
          .isEqualTo(200);
      SignedIn late = enrolled(over);
      Reply tooLate = checkIn(late, over, new JsonObject().put("code", currentCode(over)));
      assertThat(tooLate.status()).isEqualTo(422);
      assertThat(tooLate.code()).isEqualTo("OUTSIDE_ACTIVITY_HOURS");
      SignedIn lateButInTime = enrolled(justOver);
      assertThat(
              checkIn(lateButInTime, justOver, new JsonObject().put("code", currentCode(justOver)))
                  .status())
          .isEqualTo(200);
    }

    @Test
    void five_wrong_codes_then_every_attempt_waits_even_with_the_right_code() {
      String activityId = activity("CODE", new JsonObject());
      SignedIn guesser = enrolled(activityId);
      for (int i = 0; i < 5; i++) {
        Reply wrong =
            checkIn(guesser, activityId, new JsonObject().put("code", wrongCode(activityId)));
        assertThat(wrong.status()).as("wrong code %s", i + 1).isEqualTo(422);
        assertThat(wrong.code()).isEqualTo("WRONG_CHECK_IN_CODE");
      }

      Reply sixth =
          checkIn(guesser, activityId, new JsonObject().put("code", wrongCode(activityId)));
      assertThat(sixth.status()).isEqualTo(429);
      assertThat(sixth.code()).isEqualTo("RATE_LIMITED");
      assertThat(Long.parseLong(sixth.header("Retry-After"))).isBetween(1L, 600L);
      Reply right =
          checkIn(guesser, activityId, new JsonObject().put("code", currentCode(activityId)));
      assertThat(right.status()).isEqualTo(429);
      assertThat(right.code()).isEqualTo("RATE_LIMITED");

      SignedIn neighbour = enrolled(activityId);
      assertThat(
              checkIn(neighbour, activityId, new JsonObject().put("code", currentCode(activityId)))
                  .status())
          .isEqualTo(200);
    }

    @Test
    void many_members_guessing_together_are_limited_per_activity() {
      String activityId = activity("CODE", new JsonObject());
      int attempts = 0;
      Reply last = null;
      // 200 a minute from everyone, each member staying under their own limit of 5; the bucket
      // refills while the test runs, so a few more than 200 may pass before the first 429.
      while (attempts < 400) {
        SignedIn member = enrolled(activityId);
        for (int i = 0; i < 5 && attempts < 400; i++) {
          last = checkIn(member, activityId, new JsonObject().put("code", wrongCode(activityId)));
          attempts++;
          if (last.status() != 422) {
            break;
          }
        }
        if (last.status() != 422) {
          break;
        }
      }
      assertThat(attempts).isGreaterThan(200);
      assertThat(last.status()).isEqualTo(429);
      assertThat(last.code()).isEqualTo("RATE_LIMITED");
      assertThat(last.header("Retry-After")).isNotNull();
    }

    @Test
    void a_geofenced_activity_needs_a_location_inside_its_area() {
      JsonObject area =
          new JsonObject()
              .put(
                  "location",
                  new JsonObject()
                      .put("lat", 31.2304)
                      .put("lng", 121.4737)
                      .put("radiusMeters", 300));
      String activityId = activity("CODE", area);
      SignedIn resident = enrolled(activityId);

      Reply without =
          checkIn(resident, activityId, new JsonObject().put("code", currentCode(activityId)));
      assertThat(without.status()).isEqualTo(422);
      assertThat(without.code()).isEqualTo("LOCATION_REQUIRED");
      Reply far =
          checkIn(
              resident,
              activityId,
              new JsonObject()
                  .put("code", currentCode(activityId))
                  .put("location", new JsonObject().put("lat", 31.30).put("lng", 121.50)));
      assertThat(far.code()).isEqualTo("OUTSIDE_GEOFENCE");
      Reply inside =
          checkIn(
              resident,
              activityId,
              new JsonObject()
                  .put("code", currentCode(activityId))
                  .put("location", new JsonObject().put("lat", 31.2305).put("lng", 121.4738)));
      assertThat(inside.status()).isEqualTo(200);
      assertThat(inside.json().getString("attendance")).isEqualTo("VERIFIED");
    }
  }

  /** A six-digit code that is neither the current nor the previous one. */
  private static String wrongCode(String activityId) {
    String current = currentCode(activityId);
    return String.format("%06d", (Integer.parseInt(current) + 500_000) % 1_000_000);
  }

  @Nested
  class ApprovalRechecksTheActivity {

    @Test
    void a_code_activity_claim_needs_a_verified_check_in_or_an_audited_override() {
      String activityId = activity("CODE", new JsonObject());
      SignedIn absent = enrolled(activityId);
      String claim = fixtures.submitted(absent, activityId, 1);

      Reply plain = approve(eastStaff, claim, null);
      assertThat(plain.status()).isEqualTo(422);
      assertThat(plain.code()).isEqualTo("CHECK_IN_REQUIRED");
      assertThat(outcomeOf(batchApprove(eastStaff, List.of(claim)), claim))
          .isEqualTo("CHECK_IN_REQUIRED");
      Reply noReason = approve(eastStaff, claim, new JsonObject().put("overrideCheckIn", true));
      assertThat(noReason.status()).isEqualTo(400);
      assertThat(noReason.code()).isEqualTo("VALIDATION_FAILED");
      assertThat(status(claim)).isEqualTo("PENDING");

      Reply overridden =
          approve(
              eastStaff,
              claim,
              new JsonObject()
                  .put("overrideCheckIn", true)
                  .put("reason", "On the team leader's list"));
      assertThat(overridden.status()).isEqualTo(200);
      assertThat(overridden.json().getString("status")).isIn("APPROVED", "RECORDED");
      assertThat(audit(eastStaff, "SUBMISSION_APPROVE"))
          .filteredOn(record -> claim.equals(record.getString("target")))
          .singleElement()
          .satisfies(
              record ->
                  assertThat(record.getJsonObject("after").getString("checkInOverride"))
                      .isEqualTo("On the team leader's list"));
    }

    @Test
    void a_member_who_checked_in_with_the_code_is_approved_without_override() {
      String activityId = activity("CODE", new JsonObject());
      SignedIn present = enrolled(activityId);
      assertThat(
              checkIn(present, activityId, new JsonObject().put("code", currentCode(activityId)))
                  .status())
          .isEqualTo(200);
      String claim = fixtures.submitted(present, activityId, 1);

      assertThat(outcomeOf(batchApprove(eastStaff, List.of(claim)), claim)).isEqualTo("APPROVED");
    }

    @Test
    void claims_of_a_cancelled_activity_are_not_approved_alone_or_in_a_batch() {
      String activityId = activity("NONE", new JsonObject().put("claimsPerDay", 2));
      SignedIn resident = Sessions.inCommunity(client, EAST);
      String one = fixtures.submitted(resident, activityId, 1);
      String two = fixtures.submitted(resident, activityId, 1);
      assertThat(
              client
                  .post(
                      "cancelActivity",
                      "/v1/activities/" + activityId + "/cancel",
                      null,
                      eastStaff.accessToken())
                  .status())
          .isEqualTo(200);

      Reply alone = approve(eastStaff, one, null);
      assertThat(alone.status()).isEqualTo(409);
      assertThat(alone.code()).isEqualTo("ACTIVITY_CANCELLED");
      assertThat(outcomeOf(batchApprove(eastStaff, List.of(two)), two))
          .isEqualTo("ACTIVITY_CANCELLED");
      assertThat(status(one)).isEqualTo("PENDING");
      assertThat(status(two)).isEqualTo("PENDING");
    }
  }

  @Nested
  class IdempotencyKeysAsSent {

    @Test
    void keys_with_plus_slash_equals_and_percent_work_and_replay_byte_for_byte() {
      String activityId = activity("NONE", new JsonObject().put("claimsPerDay", 5));
      SignedIn resident = Sessions.inCommunity(client, EAST);
      JsonObject body = CatalogFixtures.submission(activityId, 1);

      Reply first = fixtures.submit(resident, "a+b/c=d%e", body);
      Reply replay = fixtures.submit(resident, "a+b/c=d%e", body.copy());

      assertThat(first.status()).as("%s", first.body()).isEqualTo(201);
      assertThat(replay.status()).isEqualTo(201);
      assertThat(replay.json()).isEqualTo(first.json());
    }

    @Test
    void an_encoded_key_is_another_key_than_the_decoded_one() {
      String activityId = activity("NONE", new JsonObject().put("claimsPerDay", 5));
      SignedIn resident = Sessions.inCommunity(client, EAST);
      JsonObject body = CatalogFixtures.submission(activityId, 1);

      Reply plus = fixtures.submit(resident, "a+b", body);
      Reply encoded = fixtures.submit(resident, "a%2Bb", body);

      assertThat(plus.status()).isEqualTo(201);
      assertThat(encoded.status()).isEqualTo(201);
      assertThat(encoded.json().getString("submissionId"))
          .isNotEqualTo(plus.json().getString("submissionId"));
      Reply spaced = fixtures.submit(resident, "a b", body);
      assertThat(spaced.status()).isEqualTo(400);
      assertThat(spaced.code()).isEqualTo("VALIDATION_FAILED");
    }
  }

  @Nested
  class PartyMembershipRevoked {

    @Test
    void revoking_party_member_ends_the_membership_and_the_branch_board_drops_the_member() {
      SignedIn member = Sessions.inCommunity(client, EAST);
      Reply verified =
          client.post(
              "verifyPartyMembership",
              "/v1/members/" + member.memberId() + "/party-membership",
              new JsonObject().put("branchId", "b-east-1"),
              eastStaff.accessToken());
      assertThat(verified.status()).as("verify: %s", verified.body()).isEqualTo(200);
      String activityId = activity("NONE", new JsonObject());
      String claim = fixtures.submitted(member, activityId, 2);
      assertThat(approve(eastStaff, claim, null).status()).isEqualTo(200);
      String board = "/v1/leaderboards?scope=branch:b-east-1&period=all";
      awaitUntil("the member on the branch board", () -> boardLists(board, member));
      assertThat(branchExport()).contains(member.memberId());

      Reply revoked =
          client.delete(
              "revokeRole",
              "/v1/members/" + member.memberId() + "/roles/PARTY_MEMBER",
              admin.accessToken());

      assertThat(revoked.status()).as("revoke: %s", revoked.body()).isEqualTo(200);
      assertThat(revoked.json().getJsonObject("partyMembership").getString("status"))
          .isEqualTo("NONE");
      assertThat(revoked.json().getJsonArray("roles").getList()).doesNotContain("PARTY_MEMBER");
      // A board reads whom it leaves out at most every 2 s (LeaderboardService.FRESH_FOR).
      awaitUntil("the member off the branch board", () -> !boardLists(board, member));
      assertThat(branchExport()).doesNotContain(member.memberId());
      assertThat(boardLists("/v1/leaderboards?scope=community:" + EAST + "&period=all", member))
          .isTrue();
    }

    private String branchExport() {
      Reply export =
          client.get(
              "exportLeaderboard",
              "/v1/leaderboards/export?format=csv&scope=branch:b-east-1&period=all",
              admin.accessToken());
      assertThat(export.status()).as("export: %s", export.body()).isEqualTo(200);
      return export.body().toString();
    }

    private boolean boardLists(String uri, SignedIn member) {
      Reply board = client.get("getLeaderboard", uri, admin.accessToken());
      assertThat(board.status()).as("board: %s", board.body()).isEqualTo(200);
      return board.json().getJsonArray("entries").stream()
          .map(JsonObject.class::cast)
          .anyMatch(entry -> member.memberId().equals(entry.getString("memberId")));
    }
  }

  @Nested
  class CommunityChangeRequests {

    @Test
    void a_pending_request_is_never_redirected_a_new_target_withdraws_it() {
      SignedIn westStaff = Sessions.withRoles(client, WEST, "STAFF");
      SignedIn eastBStaff = Sessions.withRoles(client, EAST_B, "STAFF");
      SignedIn member = Sessions.inCommunity(client, EAST);
      String toWest = requestMove(member, WEST);

      String toEastB = requestMove(member, EAST_B);

      assertThat(toEastB).isNotEqualTo(toWest);
      Reply lateDecision = decide(westStaff, toWest, "APPROVE");
      assertThat(lateDecision.status()).isEqualTo(409);
      assertThat(lateDecision.code()).isEqualTo("INVALID_STATE");
      Reply westQueue =
          client.get(
              "listCommunityChangeRequests",
              "/v1/community-change-requests?communityId=" + WEST,
              westStaff.accessToken());
      assertThat(westQueue.json().getJsonArray("items").stream().map(JsonObject.class::cast))
          .noneMatch(request -> toWest.equals(request.getString("requestId")));
      assertThat(
              client.get("getMe", "/v1/me", member.accessToken()).json().getString("communityId"))
          .isEqualTo(EAST);
      assertThat(audit(member, "COMMUNITY_CHANGE_WITHDRAW"))
          .singleElement()
          .satisfies(record -> assertThat(record.getString("target")).isEqualTo(toWest));

      Reply approved = decide(eastBStaff, toEastB, "APPROVE");
      assertThat(approved.status()).isEqualTo(200);
      assertThat(approved.json().getString("status")).isEqualTo("APPROVED");
      assertThat(
              client.get("getMe", "/v1/me", member.accessToken()).json().getString("communityId"))
          .isEqualTo(EAST_B);
      assertThat(audit(eastBStaff, "COMMUNITY_CHANGE_APPROVE"))
          .singleElement()
          .satisfies(record -> assertThat(record.getString("target")).isEqualTo(toEastB));
    }

    @Test
    void asking_again_for_the_same_community_keeps_the_pending_request() {
      SignedIn member = Sessions.inCommunity(client, EAST);
      String first = requestMove(member, WEST);
      assertThat(requestMove(member, WEST)).isEqualTo(first);
    }
  }
}
