package org.civicpoints.api.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.civicpoints.api.http.SessionApiTest.fields;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.civicpoints.api.support.ApiClient;
import org.civicpoints.api.support.ApiClient.Reply;
import org.civicpoints.api.support.Sessions;
import org.civicpoints.api.support.Sessions.SignedIn;
import org.civicpoints.api.support.TestApi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class MemberApiTest {

  private static final String BOOTSTRAP_ADMIN = "+8613700000001";
  private static TestApi api;
  private static ApiClient client;

  @BeforeAll
  static void start() {
    api = TestApi.start(Map.of("BOOTSTRAP_ADMIN_PHONE", BOOTSTRAP_ADMIN));
    client = api.client;
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  private static SignedIn admin() {
    return Sessions.signIn(client, new JsonObject().put("phone", BOOTSTRAP_ADMIN));
  }

  @Nested
  class Me {
    @Test
    void the_caller_sees_their_own_record_with_their_phone() {
      SignedIn resident = Sessions.inCommunity(client, "c-east-1a");
      JsonObject me = client.get("getMe", "/v1/me", resident.accessToken()).json();
      assertThat(me.getString("memberId")).isEqualTo(resident.memberId());
      assertThat(me.getString("phone")).isEqualTo(resident.phone());
      assertThat(me.getString("communityId")).isEqualTo("c-east-1a");
      assertThat(me.getString("leaderboardVisibility")).isEqualTo("MASKED");
    }

    @Test
    void profile_fields_can_be_changed() {
      SignedIn resident = Sessions.resident(client);
      Reply reply =
          client.patch(
              "updateMe",
              "/v1/me",
              new JsonObject()
                  .put("displayName", "  Li Wei ")
                  .put("avatarUrl", "https://example.org/li.png")
                  .put("leaderboardVisibility", "HIDDEN"),
              resident.accessToken());
      assertThat(reply.status()).isEqualTo(200);
      assertThat(reply.json().getString("displayName")).isEqualTo("Li Wei");
      assertThat(reply.json().getString("avatarUrl")).isEqualTo("https://example.org/li.png");
      assertThat(
              client
                  .get("getMe", "/v1/me", resident.accessToken())
                  .json()
                  .getString("leaderboardVisibility"))
          .isEqualTo("HIDDEN");
    }

    @Test
    void roles_points_status_and_ids_cannot_be_set_and_are_named() {
      SignedIn resident = Sessions.resident(client);
      Reply reply =
          client.patch(
              "updateMe",
              "/v1/me",
              new JsonObject()
                  .put("roles", List.of("ADMIN"))
                  .put("points", 1000)
                  .put("status", "VERIFIED")
                  .put("memberId", "m_aaaaaaaaaaaaaaaaaaaa")
                  .put("scopes", List.of("city")),
              resident.accessToken());
      assertThat(reply.status()).isEqualTo(400);
      assertThat(fields(reply))
          .containsExactlyInAnyOrder("roles", "points", "status", "memberId", "scopes");
      assertThat(client.get("getMe", "/v1/me", resident.accessToken()).json().getJsonArray("roles"))
          .containsExactly("RESIDENT");
    }

    @Test
    void invalid_values_are_named_with_a_reason() {
      SignedIn resident = Sessions.resident(client);
      Reply reply =
          client.patch(
              "updateMe",
              "/v1/me",
              new JsonObject()
                  .put("displayName", "")
                  .put("avatarUrl", "javascript:alert(1)")
                  .put("leaderboardVisibility", 3),
              resident.accessToken());
      assertThat(reply.status()).isEqualTo(400);
      assertThat(fields(reply))
          .containsExactlyInAnyOrder("displayName", "avatarUrl", "leaderboardVisibility");
    }

    @Test
    void an_empty_patch_is_refused() {
      SignedIn resident = Sessions.resident(client);
      assertThat(
              client.patch("updateMe", "/v1/me", new JsonObject(), resident.accessToken()).status())
          .isEqualTo(400);
    }

    @Test
    void a_community_change_waits_for_staff_of_the_new_community() {
      SignedIn resident = Sessions.inCommunity(client, "c-east-1a");
      Reply reply =
          client.patch(
              "updateMe",
              "/v1/me",
              new JsonObject().put("communityId", "c-west-2b"),
              resident.accessToken());
      assertThat(reply.status()).isEqualTo(200);
      assertThat(reply.json().getString("communityId")).isEqualTo("c-east-1a");
      JsonObject pending = reply.json().getJsonObject("pendingCommunityChange");
      assertThat(pending.getString("toCommunityId")).isEqualTo("c-west-2b");
      assertThat(pending.getString("status")).isEqualTo("PENDING");

      SignedIn otherStaff = Sessions.withRoles(client, "c-east-1a", "STAFF");
      String requestId = pending.getString("requestId");
      Reply refused =
          client.post(
              "decideCommunityChange",
              "/v1/community-change-requests/" + requestId + "/decision",
              new JsonObject().put("decision", "APPROVE"),
              otherStaff.accessToken());
      assertThat(refused.status()).isEqualTo(404);

      SignedIn staff = Sessions.withRoles(client, "c-west-2b", "STAFF");
      Reply queue =
          client.get(
              "listCommunityChangeRequests",
              "/v1/community-change-requests?communityId=c-west-2b",
              staff.accessToken());
      assertThat(
              queue.json().getJsonArray("items").stream()
                  .map(i -> ((JsonObject) i).getString("requestId")))
          .contains(requestId);
      Reply approved =
          client.post(
              "decideCommunityChange",
              "/v1/community-change-requests/" + requestId + "/decision",
              new JsonObject().put("decision", "APPROVE"),
              staff.accessToken());
      assertThat(approved.json().getString("status")).isEqualTo("APPROVED");
      JsonObject me = client.get("getMe", "/v1/me", resident.accessToken()).json();
      assertThat(me.getString("communityId")).isEqualTo("c-west-2b");
      assertThat(me.containsKey("pendingCommunityChange")).isFalse();
    }

    @Test
    void an_unknown_community_is_refused() {
      SignedIn resident = Sessions.resident(client);
      Reply reply =
          client.patch(
              "updateMe",
              "/v1/me",
              new JsonObject().put("communityId", "c-atlantis"),
              resident.accessToken());
      assertThat(reply.status()).isEqualTo(400);
      assertThat(fields(reply)).containsExactly("communityId");
    }
  }

  @Nested
  class StaffListings {
    @Test
    void staff_list_their_community_with_phones_masked() {
      SignedIn resident = Sessions.inCommunity(client, "c-east-2a");
      SignedIn staff = Sessions.withRoles(client, "c-east-2a", "STAFF");
      Reply reply =
          client.get("listMembers", "/v1/members?communityId=c-east-2a", staff.accessToken());
      assertThat(reply.status()).isEqualTo(200);
      JsonObject listed =
          reply.json().getJsonArray("items").stream()
              .map(JsonObject.class::cast)
              .filter(m -> m.getString("memberId").equals(resident.memberId()))
              .findFirst()
              .orElseThrow();
      assertThat(listed.getString("phoneMasked"))
          .startsWith("+86")
          .endsWith(resident.phone().substring(10))
          .contains("*");
      assertThat(reply.body().toString()).doesNotContain(resident.phone());
    }

    @Test
    void staff_of_another_community_get_a_404() {
      SignedIn staff = Sessions.withRoles(client, "c-east-2a", "STAFF");
      Reply reply =
          client.get("listMembers", "/v1/members?communityId=c-west-1a", staff.accessToken());
      assertThat(reply.status()).isEqualTo(404);
      assertThat(reply.code()).isEqualTo("NOT_FOUND");
    }

    @Test
    void residents_are_forbidden() {
      SignedIn resident = Sessions.inCommunity(client, "c-east-2a");
      Reply reply =
          client.get("listMembers", "/v1/members?communityId=c-east-2a", resident.accessToken());
      assertThat(reply.status()).isEqualTo(403);
      assertThat(reply.code()).isEqualTo("FORBIDDEN");
    }

    @Test
    void a_malformed_community_id_is_a_validation_error() {
      SignedIn staff = Sessions.withRoles(client, "c-east-2a", "STAFF");
      Reply reply =
          client.get("listMembers", "/v1/members?communityId=%7B%24ne%3A1%7D", staff.accessToken());
      assertThat(reply.status()).isEqualTo(400);
      assertThat(fields(reply)).containsExactly("query.communityId");
    }

    @Test
    void staff_of_another_community_cannot_see_its_change_requests() {
      SignedIn staff = Sessions.withRoles(client, "c-east-2a", "STAFF");
      Reply reply =
          client.get(
              "listCommunityChangeRequests",
              "/v1/community-change-requests?communityId=c-west-2b",
              staff.accessToken());
      assertThat(reply.status()).isEqualTo(404);
    }

    @Test
    void residents_cannot_see_change_requests() {
      SignedIn resident = Sessions.inCommunity(client, "c-west-2b");
      Reply reply =
          client.get(
              "listCommunityChangeRequests",
              "/v1/community-change-requests?communityId=c-west-2b",
              resident.accessToken());
      assertThat(reply.status()).isEqualTo(403);
    }

    @Test
    void deciding_an_unknown_request_is_not_found() {
      SignedIn staff = Sessions.withRoles(client, "c-east-2a", "STAFF");
      Reply reply =
          client.post(
              "decideCommunityChange",
              "/v1/community-change-requests/ccr_aaaaaaaaaaaaaaaaaaaa/decision",
              new JsonObject().put("decision", "REJECT"),
              staff.accessToken());
      assertThat(reply.status()).isEqualTo(404);
    }

    @Test
    void admins_list_any_community() {
      Reply reply =
          client.get("listMembers", "/v1/members?communityId=c-west-1a", admin().accessToken());
      assertThat(reply.status()).isEqualTo(200);
    }
  }

  @Nested
  class PartyVerification {
    @Test
    void staff_verify_a_member_of_their_community() {
      SignedIn resident = Sessions.inCommunity(client, "c-west-1b");
      SignedIn staff = Sessions.withRoles(client, "c-west-1b", "STAFF");
      Reply reply =
          client.post(
              "verifyPartyMembership",
              "/v1/members/" + resident.memberId() + "/party-membership",
              new JsonObject().put("branchId", "b-west-1"),
              staff.accessToken());
      assertThat(reply.status()).isEqualTo(200);
      assertThat(reply.json().getJsonArray("roles")).contains("PARTY_MEMBER");
      assertThat(reply.json().getJsonObject("partyMembership").getString("status"))
          .isEqualTo("VERIFIED");
      Reply refreshed =
          client.post(
              "refreshSession",
              "/v1/auth/refresh",
              new JsonObject().put("refreshToken", resident.refreshToken()),
              null);
      assertThat(refreshed.json().getJsonObject("member").getJsonArray("roles"))
          .contains("PARTY_MEMBER");
    }

    @Test
    void a_member_of_another_community_is_not_found() {
      SignedIn resident = Sessions.inCommunity(client, "c-west-2a");
      SignedIn staff = Sessions.withRoles(client, "c-west-1b", "STAFF");
      Reply reply =
          client.post(
              "verifyPartyMembership",
              "/v1/members/" + resident.memberId() + "/party-membership",
              new JsonObject().put("branchId", "b-west-1"),
              staff.accessToken());
      assertThat(reply.status()).isEqualTo(404);
    }

    @Test
    void an_unknown_member_id_is_not_found() {
      SignedIn staff = Sessions.withRoles(client, "c-west-1b", "STAFF");
      Reply reply =
          client.post(
              "verifyPartyMembership",
              "/v1/members/m_aaaaaaaaaaaaaaaaaaaa/party-membership",
              new JsonObject().put("branchId", "b-west-1"),
              staff.accessToken());
      assertThat(reply.status()).isEqualTo(404);
    }

    @Test
    void a_malformed_member_id_is_a_validation_error() {
      SignedIn staff = Sessions.withRoles(client, "c-west-1b", "STAFF");
      Reply reply =
          client.post(
              "verifyPartyMembership",
              "/v1/members/%2B8613800000000/party-membership",
              new JsonObject().put("branchId", "b-west-1"),
              staff.accessToken());
      assertThat(reply.status()).isEqualTo(400);
      assertThat(fields(reply)).containsExactly("path.memberId");
    }

    @Test
    void an_unknown_branch_is_refused() {
      SignedIn resident = Sessions.inCommunity(client, "c-west-1b");
      SignedIn staff = Sessions.withRoles(client, "c-west-1b", "STAFF");
      Reply reply =
          client.post(
              "verifyPartyMembership",
              "/v1/members/" + resident.memberId() + "/party-membership",
              new JsonObject().put("branchId", "c-west-1b"),
              staff.accessToken());
      assertThat(reply.status()).isEqualTo(400);
      assertThat(fields(reply)).containsExactly("branchId");
    }

    @Test
    void residents_cannot_verify_anyone() {
      SignedIn resident = Sessions.inCommunity(client, "c-west-1b");
      Reply reply =
          client.post(
              "verifyPartyMembership",
              "/v1/members/" + resident.memberId() + "/party-membership",
              new JsonObject().put("branchId", "b-west-1"),
              resident.accessToken());
      assertThat(reply.status()).isEqualTo(403);
    }
  }

  @Nested
  class AdminGrants {
    @Test
    void the_bootstrap_phone_becomes_admin() {
      assertThat(admin().member().getJsonArray("roles")).contains("ADMIN");
    }

    @Test
    void admins_grant_and_revoke_roles_with_scopes() {
      SignedIn member = Sessions.inCommunity(client, "c-east-1b");
      String memberUri = "/v1/members/" + member.memberId();
      SignedIn admin = admin();
      Reply granted =
          client.post(
              "grantRole",
              memberUri + "/roles",
              new JsonObject().put("role", "STAFF").put("scopes", List.of("community:c-east-1b")),
              admin.accessToken());
      assertThat(granted.status()).isEqualTo(200);
      assertThat(granted.json().getJsonArray("roles")).contains("STAFF");
      assertThat(granted.json().getJsonArray("scopes")).containsExactly("community:c-east-1b");

      Reply organizer =
          client.post(
              "grantRole",
              memberUri + "/roles",
              new JsonObject()
                  .put("role", "ORGANIZER")
                  .put("scopes", List.of("street:s-east-1", "district:d-east")),
              admin.accessToken());
      assertThat(organizer.json().getJsonArray("scopes")).hasSize(3);

      Reply scopeRevoked =
          client.delete("revokeScope", memberUri + "/scopes/district:d-east", admin.accessToken());
      assertThat(scopeRevoked.json().getJsonArray("scopes")).doesNotContain("district:d-east");

      Reply revoked = client.delete("revokeRole", memberUri + "/roles/STAFF", admin.accessToken());
      assertThat(revoked.json().getJsonArray("roles"))
          .doesNotContain("STAFF")
          .contains("ORGANIZER");
      assertThat(revoked.json().getJsonArray("scopes")).containsExactly("street:s-east-1");
    }

    @Test
    void a_scope_that_does_not_fit_the_role_is_refused() {
      SignedIn member = Sessions.resident(client);
      // Staff work in communities, streets, districts and branches, organizers not in a branch.
      Map<String, String> misfits = Map.of("STAFF", "city", "ORGANIZER", "branch:b-east-1");
      misfits.forEach(
          (role, scope) -> {
            Reply reply =
                client.post(
                    "grantRole",
                    "/v1/members/" + member.memberId() + "/roles",
                    new JsonObject().put("role", role).put("scopes", List.of(scope)),
                    admin().accessToken());
            assertThat(reply.status()).as("%s %s", role, scope).isEqualTo(400);
            assertThat(fields(reply)).containsExactly("scopes");
          });
    }

    @Test
    void resident_cannot_be_revoked() {
      SignedIn member = Sessions.resident(client);
      Reply reply =
          client.delete(
              "revokeRole",
              "/v1/members/" + member.memberId() + "/roles/RESIDENT",
              admin().accessToken());
      assertThat(reply.status()).isEqualTo(400);
    }

    @Test
    void staff_cannot_grant_roles() {
      SignedIn staff = Sessions.withRoles(client, "c-east-1b", "STAFF");
      SignedIn member = Sessions.inCommunity(client, "c-east-1b");
      Reply reply =
          client.post(
              "grantRole",
              "/v1/members/" + member.memberId() + "/roles",
              new JsonObject().put("role", "ADMIN"),
              staff.accessToken());
      assertThat(reply.status()).isEqualTo(403);
    }

    @Test
    void staff_cannot_revoke_roles_or_scopes_of_anyone() {
      SignedIn staff = Sessions.withRoles(client, "c-east-1b", "STAFF");
      SignedIn colleague = Sessions.withRoles(client, "c-east-1b", "STAFF");
      String uri = "/v1/members/" + colleague.memberId();
      assertThat(client.delete("revokeRole", uri + "/roles/STAFF", staff.accessToken()).status())
          .isEqualTo(403);
      assertThat(
              client
                  .delete("revokeScope", uri + "/scopes/community:c-east-1b", staff.accessToken())
                  .status())
          .isEqualTo(403);
    }

    @Test
    void an_admin_cannot_revoke_their_own_admin_role() {
      SignedIn admin = admin();
      Reply reply =
          client.delete(
              "revokeRole",
              "/v1/members/" + admin.memberId() + "/roles/ADMIN",
              admin.accessToken());
      assertThat(reply.status()).isEqualTo(403);
    }

    @Test
    void a_grant_cannot_smuggle_other_fields() {
      SignedIn member = Sessions.resident(client);
      Reply reply =
          client.post(
              "grantRole",
              "/v1/members/" + member.memberId() + "/roles",
              new JsonObject().put("role", "PARTY_MEMBER").put("points", 500),
              admin().accessToken());
      assertThat(reply.status()).isEqualTo(400);
      assertThat(fields(reply)).containsExactly("points");
    }

    @Test
    void granting_to_an_unknown_member_is_not_found() {
      Reply reply =
          client.post(
              "grantRole",
              "/v1/members/m_aaaaaaaaaaaaaaaaaaaa/roles",
              new JsonObject().put("role", "PARTY_MEMBER"),
              admin().accessToken());
      assertThat(reply.status()).isEqualTo(404);
    }
  }

  @Nested
  class Organisation {
    @Test
    void communities_list_the_demo_city() {
      Reply reply = client.get("listCommunities", "/v1/communities", null);
      assertThat(reply.status()).isEqualTo(200);
      List<JsonObject> communities =
          reply.json().getJsonArray("items").stream().map(JsonObject.class::cast).toList();
      assertThat(communities).hasSize(8);
      assertThat(communities.stream().map(c -> c.getString("districtId")).distinct()).hasSize(2);
      assertThat(communities.stream().map(c -> c.getString("streetId")).distinct()).hasSize(4);
    }

    @Test
    void party_branches_belong_to_the_committee() {
      Reply reply = client.get("listPartyBranches", "/v1/party-branches", null);
      assertThat(reply.json().getJsonArray("items")).hasSizeGreaterThanOrEqualTo(2);
      assertThat(reply.json().getJsonArray("items").getJsonObject(0).getString("committeeId"))
          .isEqualTo("pc-city");
    }
  }
}
