package org.civicpoints.api.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.civicpoints.api.support.ApiClient;
import org.civicpoints.api.support.ApiClient.Reply;
import org.civicpoints.api.support.Sessions;
import org.civicpoints.api.support.Sessions.SignedIn;
import org.civicpoints.api.support.TestApi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Point rules, activities, enrollment, check-in and the audit trail, through HTTP against the real
 * server.
 */
class CatalogApiTest {

  private static final String BOOTSTRAP_ADMIN = "+8613700000011";
  private static final String EAST = "c-east-1a";
  private static final String WEST = "c-west-2b";
  private static TestApi api;
  private static ApiClient client;
  private static CatalogFixtures fixtures;

  @BeforeAll
  static void start() {
    api = TestApi.start(Map.of("BOOTSTRAP_ADMIN_PHONE", BOOTSTRAP_ADMIN));
    client = api.client;
    fixtures = new CatalogFixtures(client);
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  static SignedIn admin() {
    return Sessions.signIn(client, new JsonObject().put("phone", BOOTSTRAP_ADMIN));
  }

  @Nested
  class PointRules {
    @Test
    void an_admin_creates_a_rule_queued_for_the_ledger_and_changes_it_as_a_new_version() {
      SignedIn admin = admin();
      String ruleId = fixtures.rule(admin, "STUDY", 5);
      Reply read = client.get("getPointRule", "/v1/point-rules/" + ruleId, admin.accessToken());
      assertThat(read.json().getLong("version")).isEqualTo(1);
      assertThat(read.json().getString("ledgerState")).isIn("QUEUED", "SUBMITTED", "DONE");
      fixtures.awaitRuleOnChain(admin, ruleId);

      Reply changed =
          client.patch(
              "changePointRule",
              "/v1/point-rules/" + ruleId,
              new JsonObject().put("points", 7).put("active", false),
              admin.accessToken());
      assertThat(changed.status()).isEqualTo(200);
      assertThat(changed.json().getLong("version")).isEqualTo(2);
      assertThat(changed.json().getLong("points")).isEqualTo(7);
      assertThat(changed.json().getBoolean("active")).isFalse();
      assertThat(
              client
                  .get("listPointRules", "/v1/point-rules", Sessions.resident(client).accessToken())
                  .json()
                  .getJsonArray("items")
                  .stream()
                  .map(i -> ((JsonObject) i).getString("ruleId")))
          .contains(ruleId);
      Reply audit = client.get("listAudit", "/v1/audit?action=RULE_CHANGE", admin.accessToken());
      assertThat(
              audit.json().getJsonArray("items").stream()
                  .map(i -> ((JsonObject) i).getString("target")))
          .contains(ruleId);
    }

    @Test
    void residents_and_staff_cannot_create_or_change_rules() {
      SignedIn staff = Sessions.withRoles(client, EAST, "STAFF");
      Reply created =
          client.post(
              "createPointRule",
              "/v1/point-rules",
              new JsonObject()
                  .put("category", "CIVIC")
                  .put("points", 1)
                  .put("dailyCap", 0)
                  .put("yearlyCap", 0)
                  .put("title", "x"),
              staff.accessToken());
      assertThat(created.status()).isEqualTo(403);
      String ruleId = fixtures.rule(admin(), "CIVIC", 3);
      assertThat(
              client
                  .patch(
                      "changePointRule",
                      "/v1/point-rules/" + ruleId,
                      new JsonObject().put("points", 99),
                      Sessions.resident(client).accessToken())
                  .status())
          .isEqualTo(403);
    }

    @Test
    void caps_below_the_points_of_one_unit_and_unknown_fields_are_refused() {
      Reply capped =
          client.post(
              "createPointRule",
              "/v1/point-rules",
              new JsonObject()
                  .put("category", "CIVIC")
                  .put("points", 10)
                  .put("dailyCap", 5)
                  .put("yearlyCap", 0)
                  .put("title", "x"),
              admin().accessToken());
      assertThat(capped.status()).isEqualTo(400);
      assertThat(capped.json().getJsonArray("errors").getJsonObject(0).getString("field"))
          .isEqualTo("dailyCap");
      Reply mass =
          client.post(
              "createPointRule",
              "/v1/point-rules",
              new JsonObject()
                  .put("category", "CIVIC")
                  .put("points", 10)
                  .put("dailyCap", 0)
                  .put("yearlyCap", 0)
                  .put("title", "x")
                  .put("version", 9)
                  .put("ledgerState", "DONE"),
              admin().accessToken());
      assertThat(mass.status()).isEqualTo(400);
      assertThat(mass.json().encode()).contains("version").contains("ledgerState");
    }

    @Test
    void an_unknown_rule_is_not_found() {
      assertThat(
              client
                  .get(
                      "getPointRule",
                      "/v1/point-rules/r_aaaaaaaaaaaaaaaaaaaa",
                      admin().accessToken())
                  .status())
          .isEqualTo(404);
    }
  }

  @Nested
  class Activities {
    @Test
    void staff_create_an_activity_residents_read_it_and_staff_edit_and_cancel_it() {
      SignedIn staff = Sessions.withRoles(client, EAST, "STAFF");
      String ruleId = fixtures.rule(admin(), "VOLUNTEER", 10);
      String activityId =
          fixtures.activity(
              staff, fixtures.activityBody(EAST, "VOLUNTEER", ruleId, "CODE").put("capacity", 5));
      SignedIn resident = Sessions.inCommunity(client, EAST);
      Reply read =
          client.get("getActivity", "/v1/activities/" + activityId, resident.accessToken());
      assertThat(read.json().getString("status")).isEqualTo("OPEN");
      assertThat(read.json().containsKey("checkInSecret")).isFalse();
      assertThat(
              client
                  .get(
                      "listActivities",
                      "/v1/activities?communityId=" + EAST,
                      resident.accessToken())
                  .json()
                  .getJsonArray("items")
                  .stream()
                  .map(i -> ((JsonObject) i).getString("activityId")))
          .contains(activityId);

      Reply edited =
          client.patch(
              "changeActivity",
              "/v1/activities/" + activityId,
              new JsonObject().put("title", "Bigger clean-up").put("capacity", 8),
              staff.accessToken());
      assertThat(edited.json().getString("title")).isEqualTo("Bigger clean-up");
      assertThat(edited.json().getInteger("capacity")).isEqualTo(8);
      Reply cancelled =
          client.post(
              "cancelActivity",
              "/v1/activities/" + activityId + "/cancel",
              null,
              staff.accessToken());
      assertThat(cancelled.json().getString("status")).isEqualTo("CANCELLED");
      assertThat(
              client
                  .post(
                      "cancelActivity",
                      "/v1/activities/" + activityId + "/cancel",
                      null,
                      staff.accessToken())
                  .json()
                  .getString("status"))
          .isEqualTo("CANCELLED");
      assertThat(fixtures.enroll(resident, activityId).code()).isEqualTo("INVALID_STATE");
      Reply audit =
          client.get(
              "listAudit",
              "/v1/audit?communityId=" + EAST + "&action=ACTIVITY_CANCEL",
              staff.accessToken());
      assertThat(
              audit.json().getJsonArray("items").stream()
                  .map(i -> ((JsonObject) i).getString("target")))
          .contains(activityId);
    }

    @Test
    void the_type_must_be_the_rules_category_and_the_end_after_the_start() {
      SignedIn staff = Sessions.withRoles(client, EAST, "STAFF");
      String ruleId = fixtures.rule(admin(), "STUDY", 2);
      Reply wrongType =
          client.post(
              "createActivity",
              "/v1/activities",
              fixtures.activityBody(EAST, "VOLUNTEER", ruleId, "NONE"),
              staff.accessToken());
      assertThat(wrongType.status()).isEqualTo(400);
      assertThat(wrongType.json().encode()).contains("\"field\":\"type\"");
      JsonObject backwards = fixtures.activityBody(EAST, "STUDY", ruleId, "NONE");
      backwards.put("endsAt", backwards.getString("startsAt"));
      assertThat(
              client
                  .post("createActivity", "/v1/activities", backwards, staff.accessToken())
                  .json()
                  .encode())
          .contains("\"field\":\"endsAt\"");
    }

    @Test
    void staff_of_another_community_and_residents_cannot_create_edit_cancel_or_see_codes() {
      String ruleId = fixtures.rule(admin(), "VOLUNTEER", 10);
      SignedIn westStaff = Sessions.withRoles(client, WEST, "STAFF");
      SignedIn eastStaff = Sessions.withRoles(client, EAST, "STAFF");
      assertThat(
              client
                  .post(
                      "createActivity",
                      "/v1/activities",
                      fixtures.activityBody(EAST, "VOLUNTEER", ruleId, "CODE"),
                      westStaff.accessToken())
                  .status())
          .isEqualTo(404);
      assertThat(
              client
                  .post(
                      "createActivity",
                      "/v1/activities",
                      fixtures.activityBody(EAST, "VOLUNTEER", ruleId, "CODE"),
                      Sessions.inCommunity(client, EAST).accessToken())
                  .status())
          .isEqualTo(403);
      String activityId =
          fixtures.activity(eastStaff, fixtures.activityBody(EAST, "VOLUNTEER", ruleId, "CODE"));
      String path = "/v1/activities/" + activityId;
      assertThat(
              client
                  .patch(
                      "changeActivity",
                      path,
                      new JsonObject().put("title", "mine now"),
                      westStaff.accessToken())
                  .status())
          .isEqualTo(404);
      assertThat(
              client
                  .post("cancelActivity", path + "/cancel", null, westStaff.accessToken())
                  .status())
          .isEqualTo(404);
      assertThat(
              client
                  .get("getCheckInCode", path + "/check-in-code", westStaff.accessToken())
                  .status())
          .isEqualTo(404);
      assertThat(
              client
                  .get(
                      "getCheckInCode",
                      path + "/check-in-code",
                      Sessions.inCommunity(client, EAST).accessToken())
                  .status())
          .isEqualTo(403);
      assertThat(
              client.get("listAttendance", path + "/attendance", westStaff.accessToken()).status())
          .isEqualTo(404);
    }

    @Test
    void party_activities_exist_only_for_verified_party_members() {
      SignedIn staff = Sessions.withRoles(client, EAST, "STAFF");
      String ruleId = fixtures.rule(admin(), "PARTY", 4);
      String activityId =
          fixtures.activity(staff, fixtures.activityBody(EAST, "PARTY", ruleId, "NONE"));
      SignedIn resident = Sessions.inCommunity(client, EAST);
      assertThat(
              client
                  .get("getActivity", "/v1/activities/" + activityId, resident.accessToken())
                  .status())
          .isEqualTo(404);
      assertThat(fixtures.enroll(resident, activityId).status()).isEqualTo(404);
      assertThat(
              client
                  .get(
                      "listActivities",
                      "/v1/activities?communityId=" + EAST,
                      resident.accessToken())
                  .json()
                  .getJsonArray("items")
                  .stream()
                  .map(i -> ((JsonObject) i).getString("activityId")))
          .doesNotContain(activityId);
      SignedIn partyMember = Sessions.withRoles(client, EAST, "PARTY_MEMBER");
      assertThat(
              client
                  .get("getActivity", "/v1/activities/" + activityId, partyMember.accessToken())
                  .status())
          .isEqualTo(200);
      assertThat(fixtures.enroll(partyMember, activityId).status()).isEqualTo(200);
    }
  }

  @Nested
  class EnrollmentAndCheckIn {
    @Test
    void concurrent_enrollments_never_exceed_the_capacity_and_enrolling_twice_is_a_no_op()
        throws Exception {
      SignedIn staff = Sessions.withRoles(client, EAST, "STAFF");
      String ruleId = fixtures.rule(admin(), "VOLUNTEER", 10);
      String activityId =
          fixtures.activity(
              staff, fixtures.activityBody(EAST, "VOLUNTEER", ruleId, "CODE").put("capacity", 3));
      List<SignedIn> residents = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        residents.add(Sessions.inCommunity(client, EAST));
      }
      ExecutorService pool = Executors.newFixedThreadPool(10);
      try {
        List<Future<Reply>> replies = new ArrayList<>();
        residents.forEach(
            resident -> replies.add(pool.submit(() -> fixtures.enroll(resident, activityId))));
        int enrolled = 0;
        int full = 0;
        for (Future<Reply> reply : replies) {
          Reply answered = reply.get();
          enrolled += answered.status() == 200 ? 1 : 0;
          full += "ACTIVITY_FULL".equals(answered.code()) ? 1 : 0;
        }
        assertThat(enrolled).isEqualTo(3);
        assertThat(full).isEqualTo(7);
      } finally {
        pool.shutdownNow();
      }
      SignedIn first =
          residents.stream()
              .filter(r -> fixtures.enroll(r, activityId).status() == 200)
              .findFirst()
              .orElseThrow();
      assertThat(fixtures.enroll(first, activityId).status()).isEqualTo(200);
      assertThat(
              client
                  .get("getActivity", "/v1/activities/" + activityId, first.accessToken())
                  .json()
                  .getInteger("enrolled"))
          .isEqualTo(3);
      assertThat(
              client
                  .delete(
                      "leaveActivity",
                      "/v1/activities/" + activityId + "/enrollments",
                      first.accessToken())
                  .status())
          .isEqualTo(204);
      assertThat(
              client
                  .get("getActivity", "/v1/activities/" + activityId, first.accessToken())
                  .json()
                  .getInteger("enrolled"))
          .isEqualTo(2);
      assertThat(
              client
                  .get(
                      "listAttendance",
                      "/v1/activities/" + activityId + "/attendance",
                      staff.accessToken())
                  .json()
                  .getJsonArray("items"))
          .hasSize(2);
    }

    @Test
    void the_rotating_code_verifies_attendance_and_a_wrong_code_or_place_is_refused() {
      SignedIn staff = Sessions.withRoles(client, EAST, "STAFF");
      String ruleId = fixtures.rule(admin(), "VOLUNTEER", 10);
      JsonObject body =
          fixtures
              .activityBody(EAST, "VOLUNTEER", ruleId, "CODE")
              .put(
                  "location",
                  new JsonObject()
                      .put("lat", 31.2304)
                      .put("lng", 121.4737)
                      .put("radiusMeters", 200));
      String activityId = fixtures.activity(staff, body);
      String path = "/v1/activities/" + activityId;
      SignedIn resident = Sessions.inCommunity(client, EAST);
      Reply notEnrolled =
          client.post(
              "checkInToActivity",
              path + "/check-in",
              new JsonObject().put("code", "123456"),
              resident.accessToken());
      assertThat(notEnrolled.status()).isEqualTo(422);
      fixtures.enroll(resident, activityId);

      JsonObject code =
          client.get("getCheckInCode", path + "/check-in-code", staff.accessToken()).json();
      assertThat(code.getString("code")).matches("[0-9]{6}");
      String wrong =
          String.format("%06d", (Integer.parseInt(code.getString("code")) + 1) % 1_000_000);
      assertThat(
              client
                  .post(
                      "checkInToActivity",
                      path + "/check-in",
                      new JsonObject().put("code", wrong),
                      resident.accessToken())
                  .code())
          .isEqualTo("WRONG_CHECK_IN_CODE");
      JsonObject farAway = new JsonObject().put("lat", 39.9042).put("lng", 116.4074);
      assertThat(
              client
                  .post(
                      "checkInToActivity",
                      path + "/check-in",
                      new JsonObject().put("code", code.getString("code")).put("location", farAway),
                      resident.accessToken())
                  .code())
          .isEqualTo("OUTSIDE_GEOFENCE");
      JsonObject nearby = new JsonObject().put("lat", 31.2310).put("lng", 121.4740);
      Reply checkedIn =
          client.post(
              "checkInToActivity",
              path + "/check-in",
              new JsonObject().put("code", code.getString("code")).put("location", nearby),
              resident.accessToken());
      assertThat(checkedIn.status()).isEqualTo(200);
      assertThat(checkedIn.json().getString("attendance")).isEqualTo("VERIFIED");
      Reply checkedOut =
          client.post(
              "checkOutOfActivity",
              path + "/check-out",
              new JsonObject().put("code", code.getString("code")).put("location", nearby),
              resident.accessToken());
      assertThat(checkedOut.json().containsKey("checkedOutAt")).isTrue();
      JsonObject seen =
          client
              .get("listAttendance", path + "/attendance", staff.accessToken())
              .json()
              .getJsonArray("items")
              .getJsonObject(0);
      assertThat(seen.getString("memberId")).isEqualTo(resident.memberId());
      assertThat(seen.getString("attendance")).isEqualTo("VERIFIED");
    }

    @Test
    void without_a_code_presence_is_self_reported() {
      SignedIn staff = Sessions.withRoles(client, EAST, "STAFF");
      String ruleId = fixtures.rule(admin(), "CIVIC", 1);
      String activityId =
          fixtures.activity(staff, fixtures.activityBody(EAST, "CIVIC", ruleId, "NONE"));
      SignedIn resident = Sessions.inCommunity(client, EAST);
      fixtures.enroll(resident, activityId);
      Reply checkedIn =
          client.post(
              "checkInToActivity",
              "/v1/activities/" + activityId + "/check-in",
              new JsonObject(),
              resident.accessToken());
      assertThat(checkedIn.json().getString("attendance")).isEqualTo("SELF_REPORTED");
      assertThat(
              client
                  .get(
                      "getCheckInCode",
                      "/v1/activities/" + activityId + "/check-in-code",
                      staff.accessToken())
                  .code())
          .isEqualTo("INVALID_STATE");
    }
  }

  @Nested
  class Audit {
    @Test
    void staff_read_only_their_communities_and_records_hold_no_personal_data() {
      SignedIn staff = Sessions.withRoles(client, EAST, "STAFF");
      String ruleId = fixtures.rule(admin(), "VOLUNTEER", 10);
      fixtures.activity(staff, fixtures.activityBody(EAST, "VOLUNTEER", ruleId, "NONE"));
      Reply own =
          client.get(
              "listAudit",
              "/v1/audit?communityId=" + EAST + "&actor=" + staff.memberId(),
              staff.accessToken());
      assertThat(own.json().getJsonArray("items")).isNotEmpty();
      assertThat(own.json().encode()).doesNotContain(staff.phone());
      assertThat(
              client
                  .get("listAudit", "/v1/audit?communityId=" + WEST, staff.accessToken())
                  .status())
          .isEqualTo(404);
      assertThat(client.get("listAudit", "/v1/audit", staff.accessToken()).status()).isEqualTo(400);
      assertThat(
              client
                  .get("listAudit", "/v1/audit", Sessions.resident(client).accessToken())
                  .status())
          .isEqualTo(403);
    }

    @Test
    void role_grants_and_revocations_are_audited_without_personal_data() {
      SignedIn admin = admin();
      SignedIn member = Sessions.inCommunity(client, EAST);
      client.post(
          "grantRole",
          "/v1/members/" + member.memberId() + "/roles",
          new JsonObject().put("role", "STAFF").put("scopes", List.of("community:" + EAST)),
          admin.accessToken());
      client.delete(
          "revokeRole", "/v1/members/" + member.memberId() + "/roles/STAFF", admin.accessToken());
      JsonObject trail =
          client
              .get("listAudit", "/v1/audit?actor=" + admin.memberId(), admin.accessToken())
              .json();
      List<String> actions =
          trail.getJsonArray("items").stream()
              .map(i -> (JsonObject) i)
              .filter(record -> member.memberId().equals(record.getString("target")))
              .map(record -> record.getString("action"))
              .toList();
      assertThat(actions).containsExactly("ROLE_REVOKE", "ROLE_GRANT");
      assertThat(trail.encode()).doesNotContain(member.phone());
    }

    @Test
    void pages_continue_from_the_cursor_without_repeats() {
      SignedIn admin = admin();
      for (int i = 0; i < 3; i++) {
        fixtures.rule(admin, "CIVIC", 1);
      }
      Reply first =
          client.get(
              "listAudit", "/v1/audit?actor=" + admin.memberId() + "&limit=2", admin.accessToken());
      assertThat(first.json().getJsonArray("items")).hasSize(2);
      String cursor = first.json().getString("nextCursor");
      Reply second =
          client.get(
              "listAudit",
              "/v1/audit?actor=" + admin.memberId() + "&limit=2&cursor=" + cursor,
              admin.accessToken());
      assertThat(second.json().getJsonArray("items")).isNotEmpty();
      assertThat(second.json().getJsonArray("items").getJsonObject(0).getString("auditId"))
          .isNotIn(
              first.json().getJsonArray("items").getJsonObject(0).getString("auditId"),
              first.json().getJsonArray("items").getJsonObject(1).getString("auditId"));
      assertThat(
              client
                  .get("listAudit", "/v1/audit?cursor=bm90LWEtY3Vyc29y", admin.accessToken())
                  .status())
          .isEqualTo(400);
    }
  }
}
