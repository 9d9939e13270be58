package org.civicpoints.api.leaderboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.civicpoints.api.support.ApiClient.Reply;
import org.civicpoints.api.support.Sessions.SignedIn;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The organizer's reads around the boards, over HTTP: the communities of a street or district side
 * by side, and the history of leaderboard exports, each with its scope checks. Tests work in years
 * of their own, so they do not see each other's points.
 */
class CommunityComparisonApiTest {

  private static LeaderboardFixture fixture;

  @BeforeAll
  static void start() {
    fixture = LeaderboardFixture.start();
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  private static Reply compare(String query, SignedIn caller) {
    return fixture.client.get(
        "compareCommunities", "/v1/leaderboards/communities?" + query, caller.accessToken());
  }

  private static Reply exports(String query, SignedIn caller) {
    return fixture.client.get(
        "listLeaderboardExports", "/v1/leaderboards/exports?" + query, caller.accessToken());
  }

  private static Reply export(String query, SignedIn caller) {
    return fixture.client.get(
        "exportLeaderboard", "/v1/leaderboards/export?" + query, caller.accessToken());
  }

  /** communityId → [points, participants]. */
  private static Map<String, List<Long>> rows(JsonObject comparison) {
    return comparison.getJsonArray("communities").stream()
        .map(JsonObject.class::cast)
        .collect(
            Collectors.toMap(
                c -> c.getString("communityId"),
                c -> List.of(c.getLong("points"), c.getLong("participants"))));
  }

  @Nested
  class Comparison {
    @Test
    void each_community_of_the_street_sums_its_board_and_counts_who_earned() {
      SignedIn a1 = fixture.member("c-west-1a");
      SignedIn a2 = fixture.member("c-west-1a");
      SignedIn b1 = fixture.member("c-west-1b");
      fixture.award(a1, "c-west-1a", "VOLUNTEER", "2044-03-01", 10);
      fixture.award(a1, "c-west-1a", "STUDY", "2044-03-02", 4);
      fixture.award(a2, "c-west-1a", "STUDY", "2044-03-03", 5);
      fixture.award(b1, "c-west-1b", "VOLUNTEER", "2044-03-04", 7);
      SignedIn organizer = fixture.withRoles("c-west-1a", "ORGANIZER");

      Reply all = compare("scope=street:s-west-1&period=year:2044", organizer);
      Reply study = compare("scope=street:s-west-1&period=year:2044&category=STUDY", organizer);

      assertThat(all.status()).isEqualTo(200);
      assertThat(all.json().getString("scope")).isEqualTo("street:s-west-1");
      assertThat(all.json().getString("category")).isEqualTo("ALL");
      assertThat(rows(all.json()))
          .isEqualTo(Map.of("c-west-1a", List.of(19L, 2L), "c-west-1b", List.of(7L, 1L)));
      assertThat(rows(study.json()))
          .isEqualTo(Map.of("c-west-1a", List.of(9L, 2L), "c-west-1b", List.of(0L, 0L)));
      JsonArray names = all.json().getJsonArray("communities");
      assertThat(names.getJsonObject(0).getString("name")).isEqualTo("West 1 Community A");
    }

    @Test
    void hidden_members_are_left_out_as_on_the_boards_and_a_district_lists_all_its_communities() {
      SignedIn shown = fixture.member("c-east-2a");
      SignedIn hidden = fixture.member("c-east-2a", null, "HIDDEN");
      fixture.award(shown, "c-east-2a", "CIVIC", "2045-06-01", 6);
      fixture.award(hidden, "c-east-2a", "CIVIC", "2045-06-02", 50);

      Reply reply = compare("scope=district:d-east&period=year:2045", fixture.admin());

      assertThat(reply.status()).isEqualTo(200);
      Map<String, List<Long>> rows = rows(reply.json());
      assertThat(rows.keySet())
          .containsExactlyInAnyOrder("c-east-1a", "c-east-1b", "c-east-2a", "c-east-2b");
      assertThat(rows.get("c-east-2a")).containsExactly(6L, 1L);
      assertThat(rows.get("c-east-1a")).containsExactly(0L, 0L);
    }

    @Test
    void another_street_is_forbidden_an_unknown_one_not_found_and_other_scopes_are_bad_requests() {
      SignedIn organizer = fixture.withRoles("c-west-1a", "ORGANIZER");
      SignedIn staff = fixture.withRoles("c-west-1a", "STAFF");

      Reply other = compare("scope=street:s-west-2&period=all", organizer);
      assertThat(other.status()).isEqualTo(403);
      assertThat(other.code()).isEqualTo("FORBIDDEN");
      assertThat(compare("scope=district:d-west&period=all", organizer).status()).isEqualTo(403);
      assertThat(compare("scope=street:s-west-1&period=all", staff).status()).isEqualTo(403);
      assertThat(compare("scope=street:s-west-1&period=all", fixture.member("c-west-1a")).status())
          .isEqualTo(403);
      assertThat(compare("scope=street:s-nowhere&period=all", organizer).code())
          .isEqualTo("NOT_FOUND");
      Reply community = compare("scope=community:c-west-1a&period=all", organizer);
      assertThat(community.status()).isEqualTo(400);
      assertThat(community.json().getJsonArray("errors").getJsonObject(0).getString("field"))
          .isEqualTo("query.scope");
      assertThat(compare("scope=city&period=all", fixture.admin()).status()).isEqualTo(400);
      assertThat(compare("scope=street:s-west-1&period=nope", organizer).status()).isEqualTo(400);
      assertThat(
              fixture
                  .client
                  .get(
                      "compareCommunities",
                      "/v1/leaderboards/communities?scope=city&period=all",
                      null)
                  .status())
          .isEqualTo(401);
    }
  }

  @Nested
  class History {
    @Test
    void an_organizer_sees_the_exports_of_the_boards_their_street_covers_newest_first() {
      SignedIn organizer = fixture.withRoles("c-west-2a", "ORGANIZER");
      SignedIn colleague = fixture.withRoles("c-west-2b", "ORGANIZER");
      SignedIn elsewhere = fixture.withRoles("c-east-1a", "ORGANIZER");
      SignedIn admin = fixture.admin();
      export("format=csv&scope=street:s-west-2&period=year:2046", organizer);
      export("format=xlsx&scope=community:c-west-2b&period=year:2046&category=STUDY", colleague);
      export("format=csv&scope=community:c-east-1a&period=year:2046", elsewhere);
      export("format=csv&scope=district:d-west&period=year:2046", admin);

      Reply reply = exports("limit=100", organizer);

      assertThat(reply.status()).isEqualTo(200);
      List<JsonObject> items = items(reply.json());
      assertThat(items)
          .extracting(i -> i.getString("scope"))
          .containsExactly("community:c-west-2b", "street:s-west-2");
      JsonObject newest = items.get(0);
      assertThat(newest.getString("actor")).isEqualTo(colleague.memberId());
      assertThat(newest.getString("actorName")).isNotBlank();
      assertThat(newest.getString("period")).isEqualTo("year:2046");
      assertThat(newest.getString("category")).isEqualTo("STUDY");
      assertThat(newest.getLong("rows")).isZero();
      assertThat(items(exports("limit=100", admin).json()))
          .extracting(i -> i.getString("scope"))
          .contains("district:d-west", "community:c-east-1a", "street:s-west-2");
    }

    @Test
    void pages_follow_the_cursor() {
      SignedIn organizer = fixture.withRoles("c-east-2b", "ORGANIZER");
      for (int year = 2050; year < 2053; year++) {
        export("format=csv&scope=street:s-east-2&period=year:" + year, organizer);
      }
      SignedIn reader = fixture.withRoles("c-east-2a", "ORGANIZER");
      JsonObject first = exports("limit=2", reader).json();
      JsonObject second = exports("limit=2&cursor=" + first.getString("nextCursor"), reader).json();

      assertThat(items(first))
          .extracting(i -> i.getString("period"))
          .containsExactly("year:2052", "year:2051");
      assertThat(items(second)).extracting(i -> i.getString("period")).contains("year:2050");
      assertThat(exports("cursor=bm90LW91cnM", reader).status()).isEqualTo(400);
      assertThat(exports("limit=0", reader).status()).isEqualTo(400);
    }

    @Test
    void staff_and_residents_are_refused() {
      assertThat(exports("", fixture.withRoles("c-west-1a", "STAFF")).code())
          .isEqualTo("FORBIDDEN");
      assertThat(exports("", fixture.member("c-west-1a")).status()).isEqualTo(403);
      assertThat(
              fixture
                  .client
                  .get("listLeaderboardExports", "/v1/leaderboards/exports", null)
                  .status())
          .isEqualTo(401);
    }

    private static List<JsonObject> items(JsonObject page) {
      return page.getJsonArray("items").stream().map(JsonObject.class::cast).toList();
    }
  }
}
