package org.civicpoints.api.leaderboard;

import static com.mongodb.client.model.Filters.eq;
import static org.assertj.core.api.Assertions.assertThat;
import static org.civicpoints.api.leaderboard.LeaderboardFixture.entry;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.bson.Document;
import org.civicpoints.api.domain.Board;
import org.civicpoints.api.domain.MovedEntry;
import org.civicpoints.api.support.ApiClient.Reply;
import org.civicpoints.api.support.Eventually;
import org.civicpoints.api.support.Sessions.SignedIn;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Leaderboards end to end over HTTP, with standings seeded by feeding ledger entries to the
 * projection, or, for boards of many members, written straight into MongoDB in the projection's
 * shape. Each test works in a community and year of its own, so tests do not see each other's
 * points.
 */
class LeaderboardApiTest {

  private static LeaderboardFixture fixture;

  @BeforeAll
  static void start() {
    fixture = LeaderboardFixture.start();
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  private static Reply board(String query, SignedIn caller) {
    return fixture.client.get("getLeaderboard", "/v1/leaderboards?" + query, caller.accessToken());
  }

  private static Reply mine(String query, SignedIn caller) {
    return fixture.client.get(
        "getMyLeaderboardStanding", "/v1/leaderboards/me?" + query, caller.accessToken());
  }

  private static Reply export(String query, SignedIn caller) {
    return fixture.client.get(
        "exportLeaderboard", "/v1/leaderboards/export?" + query, caller.accessToken());
  }

  private static Reply trend(String query, SignedIn caller) {
    return fixture.client.get(
        "getLeaderboardTrend", "/v1/leaderboards/trend?" + query, caller.accessToken());
  }

  private static List<Long> ranks(JsonObject page) {
    return page.getJsonArray("entries").stream()
        .map(e -> ((JsonObject) e).getLong("rank"))
        .toList();
  }

  private static List<String> ids(JsonArray entries) {
    return entries.stream().map(e -> ((JsonObject) e).getString("memberId")).toList();
  }

  private static List<Long> points(JsonObject page) {
    return page.getJsonArray("entries").stream()
        .map(e -> ((JsonObject) e).getLong("points"))
        .toList();
  }

  private static String seededMember(long n) {
    return LeaderboardFixture.seededMemberId(n);
  }

  private static List<String> sorted(SignedIn... members) {
    return Stream.of(members).map(SignedIn::memberId).sorted().toList();
  }

  @Nested
  class Ranking {
    @Test
    void ties_share_a_rank_the_next_rank_skips_and_ties_are_listed_by_member_id() {
      SignedIn first = fixture.member("c-west-2a");
      SignedIn tieA = fixture.member("c-west-2a");
      SignedIn tieB = fixture.member("c-west-2a");
      SignedIn last = fixture.member("c-west-2a");
      fixture.award(first, "c-west-2a", "VOLUNTEER", "2031-05-05", 30);
      fixture.award(tieA, "c-west-2a", "VOLUNTEER", "2031-05-06", 20);
      fixture.award(tieB, "c-west-2a", "STUDY", "2031-05-07", 20);
      fixture.award(last, "c-west-2a", "STUDY", "2031-05-08", 10);

      Reply reply = board("scope=community:c-west-2a&period=year:2031", last);

      assertThat(reply.status()).isEqualTo(200);
      JsonObject page = reply.json();
      assertThat(page.getString("scope")).isEqualTo("community:c-west-2a");
      assertThat(page.getString("period")).isEqualTo("year:2031");
      assertThat(page.getString("category")).isEqualTo("ALL");
      assertThat(page.getLong("asOfBlock")).isZero();
      assertThat(ranks(page)).containsExactly(1L, 2L, 2L, 4L);
      assertThat(points(page)).containsExactly(30L, 20L, 20L, 10L);
      List<String> expected = new ArrayList<>(List.of(first.memberId()));
      expected.addAll(sorted(tieA, tieB));
      expected.add(last.memberId());
      assertThat(ids(page.getJsonArray("entries"))).containsExactlyElementsOf(expected);
      assertThat(page.getValue("nextCursor")).isNull();
      assertThat(page.getJsonArray("entries").getJsonObject(0).getString("communityName"))
          .isEqualTo("West 2 Community A");
    }

    @Test
    void pages_follow_the_cursor_and_ranks_continue_across_pages() {
      SignedIn[] members = new SignedIn[5];
      long[] earned = {50, 40, 40, 40, 10};
      for (int i = 0; i < members.length; i++) {
        members[i] = fixture.member("c-west-2b");
        fixture.award(members[i], "c-west-2b", "CIVIC", "2032-02-0" + (i + 1), earned[i]);
      }
      String query = "scope=community:c-west-2b&period=year:2032&category=CIVIC&limit=2";
      JsonObject first = board(query, members[0]).json();
      JsonObject second =
          board(query + "&cursor=" + first.getString("nextCursor"), members[0]).json();
      JsonObject third =
          board(query + "&cursor=" + second.getString("nextCursor"), members[0]).json();

      assertThat(ranks(first)).containsExactly(1L, 2L);
      assertThat(ranks(second)).containsExactly(2L, 2L);
      assertThat(ranks(third)).containsExactly(5L);
      assertThat(third.getValue("nextCursor")).isNull();
      List<String> all = new ArrayList<>();
      Stream.of(first, second, third)
          .forEach(page -> all.addAll(ids(page.getJsonArray("entries"))));
      List<String> expected = new ArrayList<>(List.of(members[0].memberId()));
      expected.addAll(sorted(members[1], members[2], members[3]));
      expected.add(members[4].memberId());
      assertThat(all).containsExactlyElementsOf(expected);
    }

    @Test
    void a_cursor_from_another_board_or_made_up_is_refused_by_name() {
      SignedIn member = fixture.member("c-west-2b");
      SignedIn other = fixture.member("c-west-2b");
      fixture.award(member, "c-west-2b", "PARTY", "2039-01-01", 5);
      fixture.award(other, "c-west-2b", "PARTY", "2039-01-01", 3);
      String cursor =
          board("scope=community:c-west-2b&period=year:2039&limit=1", member)
              .json()
              .getString("nextCursor");
      assertThat(cursor).isNotNull();

      Reply otherBoard = board("scope=city&period=year:2039&limit=1&cursor=" + cursor, member);
      Reply madeUp = board("scope=city&period=year:2039&cursor=bm90LWEtY3Vyc29y", member);

      assertThat(otherBoard.status()).isEqualTo(400);
      assertThat(otherBoard.json().getJsonArray("errors").getJsonObject(0).getString("field"))
          .isEqualTo("query.cursor");
      assertThat(madeUp.status()).isEqualTo(400);
      assertThat(madeUp.json().getJsonArray("errors").getJsonObject(0).getString("field"))
          .isEqualTo("query.cursor");
    }

    @Test
    void category_boards_count_only_their_category_and_all_counts_every_one() {
      SignedIn volunteer = fixture.member("c-east-2b");
      SignedIn student = fixture.member("c-east-2b");
      fixture.award(volunteer, "c-east-2b", "VOLUNTEER", "2035-06-01", 10);
      fixture.award(student, "c-east-2b", "STUDY", "2035-06-02", 20);
      fixture.award(volunteer, "c-east-2b", "STUDY", "2035-06-03", 1);

      JsonObject volunteering =
          board("scope=community:c-east-2b&period=year:2035&category=VOLUNTEER", student).json();
      JsonObject studying =
          board("scope=community:c-east-2b&period=year:2035&category=STUDY", student).json();
      JsonObject everything = board("scope=community:c-east-2b&period=year:2035", student).json();

      assertThat(ids(volunteering.getJsonArray("entries"))).containsExactly(volunteer.memberId());
      assertThat(points(volunteering)).containsExactly(10L);
      assertThat(ids(studying.getJsonArray("entries")))
          .containsExactly(student.memberId(), volunteer.memberId());
      assertThat(points(studying)).containsExactly(20L, 1L);
      assertThat(ids(everything.getJsonArray("entries")))
          .containsExactly(student.memberId(), volunteer.memberId());
      assertThat(points(everything)).containsExactly(20L, 11L);
    }
  }

  @Nested
  class Privacy {
    @Test
    void hidden_members_are_left_out_and_ranked_as_absent_names_follow_each_choice() {
      SignedIn hidden = fixture.member("c-west-1a", "Hidden Person", "HIDDEN");
      SignedIn named = fixture.member("c-west-1a", "Li Wei", "NAMED");
      SignedIn masked = fixture.member("c-west-1a", "王小明", "MASKED");
      SignedIn byDefault = fixture.member("c-west-1a");
      fixture.award(hidden, "c-west-1a", "VOLUNTEER", "2033-07-01", 40);
      fixture.award(named, "c-west-1a", "VOLUNTEER", "2033-07-01", 30);
      fixture.award(masked, "c-west-1a", "VOLUNTEER", "2033-07-01", 20);
      fixture.award(byDefault, "c-west-1a", "VOLUNTEER", "2033-07-01", 10);

      JsonObject page = board("scope=community:c-west-1a&period=year:2033", named).json();

      assertThat(ids(page.getJsonArray("entries")))
          .containsExactly(named.memberId(), masked.memberId(), byDefault.memberId());
      assertThat(ranks(page)).containsExactly(1L, 2L, 3L);
      List<String> names =
          page.getJsonArray("entries").stream()
              .map(e -> ((JsonObject) e).getString("displayName"))
              .toList();
      assertThat(names).containsExactly("Li Wei", "王**", "R**");
      assertThat(page.encode())
          .doesNotContain(hidden.memberId())
          .doesNotContain(hidden.phone())
          .doesNotContain(byDefault.phone());
      // Their own standing is theirs to see, ranked among the visible members.
      JsonObject own = mine("scope=community:c-west-1a&period=year:2033", hidden).json();
      assertThat(own.getLong("points")).isEqualTo(40);
      assertThat(own.getLong("rank")).isEqualTo(1);
    }

    @Test
    void hidden_members_between_the_shown_ones_take_no_place_on_pages_or_around_my_standing() {
      String board = "city|year:2043|ALL";
      SignedIn me = fixture.member("c-east-1a");
      String[] shown = {
        seededMember(2_000_000),
        seededMember(2_000_001),
        seededMember(2_000_002),
        seededMember(2_000_003)
      };
      List<Document> standings =
          new ArrayList<>(
              List.of(
                  LeaderboardFixture.standing(board, shown[0], 900, 1),
                  LeaderboardFixture.standing(board, shown[1], 600, 1),
                  LeaderboardFixture.standing(board, me.memberId(), 450, 1),
                  LeaderboardFixture.standing(board, shown[2], 300, 1),
                  LeaderboardFixture.standing(board, shown[3], 200, 1)));
      List<Document> profiles = new ArrayList<>();
      Stream.of(shown)
          .forEach(id -> profiles.add(LeaderboardFixture.profile(id, "Shown", "NAMED")));
      // Ten hidden members in each gap: above the first, between the first two, and just below me.
      long[] gapTops = {800, 590, 440};
      for (int gap = 0; gap < gapTops.length; gap++) {
        for (int i = 0; i < 10; i++) {
          String hidden = seededMember(2_000_100 + gap * 10 + i);
          standings.add(LeaderboardFixture.standing(board, hidden, gapTops[gap] - 10L * i, 1));
          profiles.add(LeaderboardFixture.profile(hidden, "Hidden", "HIDDEN"));
        }
      }
      LeaderboardFixture.insert(fixture.collection("standings"), standings);
      LeaderboardFixture.insert(fixture.collection("members"), profiles);
      String query = "scope=city&period=year:2043&limit=2";
      // The city board read whom it leaves out at most 2 s ago (LeaderboardService.FRESH_FOR):
      // the members hidden just now are left out within that.
      Eventually.until(
          "the new hidden members left out",
          Duration.ofSeconds(10),
          () ->
              ids(board(query, me).json().getJsonArray("entries"))
                  .equals(List.of(shown[0], shown[1])));

      JsonObject first = board(query, me).json();
      JsonObject second = board(query + "&cursor=" + first.getString("nextCursor"), me).json();
      JsonObject third = board(query + "&cursor=" + second.getString("nextCursor"), me).json();
      JsonObject mine = mine("scope=city&period=year:2043", me).json();

      assertThat(ids(first.getJsonArray("entries"))).containsExactly(shown[0], shown[1]);
      assertThat(ranks(first)).containsExactly(1L, 2L);
      assertThat(ids(second.getJsonArray("entries"))).containsExactly(me.memberId(), shown[2]);
      assertThat(ranks(second)).containsExactly(3L, 4L);
      assertThat(ids(third.getJsonArray("entries"))).containsExactly(shown[3]);
      assertThat(ranks(third)).containsExactly(5L);
      assertThat(third.getValue("nextCursor")).isNull();
      assertThat(mine.getLong("rank")).isEqualTo(3);
      assertThat(ids(mine.getJsonArray("above"))).containsExactly(shown[0], shown[1]);
      assertThat(ids(mine.getJsonArray("below"))).containsExactly(shown[2], shown[3]);
      assertThat(mine.getJsonArray("above").stream().map(e -> ((JsonObject) e).getLong("rank")))
          .containsExactly(1L, 2L);
      assertThat(mine.getJsonArray("below").stream().map(e -> ((JsonObject) e).getLong("rank")))
          .containsExactly(4L, 5L);
    }

    @Test
    void my_standing_shows_the_members_just_above_and_below() {
      SignedIn[] members = new SignedIn[6];
      for (int i = 0; i < members.length; i++) {
        members[i] = fixture.member("c-east-2a");
        fixture.award(members[i], "c-east-2a", "STUDY", "2034-09-09", 60 - 10L * i);
      }
      SignedIn nobody = fixture.member("c-east-2a");

      JsonObject third = mine("scope=community:c-east-2a&period=month:2034-09", members[2]).json();
      JsonObject none = mine("scope=community:c-east-2a&period=month:2034-09", nobody).json();

      assertThat(third.getLong("rank")).isEqualTo(3);
      assertThat(third.getLong("points")).isEqualTo(40);
      assertThat(ids(third.getJsonArray("above")))
          .containsExactly(members[0].memberId(), members[1].memberId());
      assertThat(ids(third.getJsonArray("below")))
          .containsExactly(members[3].memberId(), members[4].memberId());
      assertThat(third.getJsonArray("above").getJsonObject(1).getLong("rank")).isEqualTo(2);
      assertThat(third.getJsonArray("below").getJsonObject(1).getLong("rank")).isEqualTo(5);
      assertThat(none.getValue("rank")).isNull();
      assertThat(none.getLong("points")).isZero();
      assertThat(none.getJsonArray("above")).isEmpty();
    }
  }

  @Nested
  class Projection {
    @Test
    void every_period_boundary_lands_in_the_right_boards() {
      SignedIn member = fixture.member("c-west-1b");
      fixture.award(member, "c-west-1b", "CIVIC", "2026-12-31", 5);
      fixture.award(member, "c-west-1b", "CIVIC", "2027-01-01", 7);
      fixture.award(member, "c-west-1b", "CIVIC", "2025-12-29", 11);
      fixture.award(member, "c-west-1b", "CIVIC", "2026-09-30", 13);
      fixture.award(member, "c-west-1b", "CIVIC", "2026-10-01", 17);

      assertPoints(member, "week:2026-W53", 12);
      assertPoints(member, "week:2026-W01", 11);
      assertPoints(member, "week:2025-W52", 0);
      assertPoints(member, "year:2025", 11);
      assertPoints(member, "year:2026", 35);
      assertPoints(member, "year:2027", 7);
      assertPoints(member, "quarter:2026-Q3", 13);
      assertPoints(member, "quarter:2026-Q4", 22);
      assertPoints(member, "month:2026-09", 13);
      assertPoints(member, "month:2026-12", 5);
      assertPoints(member, "month:2027-01", 7);
      assertPoints(member, "all", 53);
    }

    private void assertPoints(SignedIn member, String period, long expected) {
      JsonObject page = board("scope=community:c-west-1b&period=" + period, member).json();
      assertThat(points(page)).as(period).isEqualTo(expected == 0 ? List.of() : List.of(expected));
    }

    @Test
    void a_reversal_subtracts_in_the_period_of_the_award() {
      SignedIn member = fixture.member("c-east-1b");
      SignedIn other = fixture.member("c-east-1b");
      MovedEntry award = fixture.award(member, "c-east-1b", "VOLUNTEER", "2036-03-31", 30);
      fixture.award(member, "c-east-1b", "VOLUNTEER", "2036-03-30", 5);
      fixture.award(other, "c-east-1b", "VOLUNTEER", "2036-04-01", 10);
      fixture.apply(
          List.of(
              entry(
                  fixture.block(),
                  0,
                  0,
                  member.memberId(),
                  "REVERSAL",
                  -30,
                  "VOLUNTEER",
                  "c-east-1b",
                  award.occurredOn().toString())));
      // Redemptions spend a balance; they carry no category or org unit and leave standings alone.
      fixture.apply(
          List.of(
              entry(
                  fixture.block(),
                  0,
                  0,
                  member.memberId(),
                  "REDEMPTION",
                  -5,
                  null,
                  null,
                  "2036-04-02")));

      JsonObject first = board("scope=community:c-east-1b&period=quarter:2036-Q1", member).json();
      JsonObject second = board("scope=community:c-east-1b&period=quarter:2036-Q2", member).json();

      assertThat(points(first)).containsExactly(5L);
      assertThat(ids(second.getJsonArray("entries"))).containsExactly(other.memberId());
      JsonObject dayTrend =
          trend(
                  "scope=community:c-east-1b&period=month:2036-03&category=VOLUNTEER",
                  fixture.admin())
              .json();
      assertThat(dayTrend.getJsonArray("days").getJsonObject(30).getLong("points")).isZero();
      assertThat(dayTrend.getJsonArray("days").getJsonObject(29).getLong("points")).isEqualTo(5);
    }

    @Test
    void replaying_an_event_range_changes_nothing() {
      SignedIn member = fixture.member("c-east-1a");
      SignedIn other = fixture.member("c-east-1a");
      long block = fixture.block();
      List<MovedEntry> transaction =
          List.of(
              entry(
                  block, 0, 0, member.memberId(), "AWARD", 10, "PARTY", "c-east-1a", "2037-05-05"),
              entry(block, 0, 1, member.memberId(), "AWARD", 4, "PARTY", "c-east-1a", "2037-05-05"),
              entry(block, 0, 2, other.memberId(), "AWARD", 6, "STUDY", "c-east-1a", "2037-05-06"));
      List<MovedEntry> later =
          List.of(
              entry(block, 1, 0, other.memberId(), "AWARD", 3, "STUDY", "c-east-1a", "2037-05-06"));
      fixture.apply(transaction);
      fixture.apply(later);
      SignedIn admin = fixture.admin();
      String query = "scope=community:c-east-1a&period=year:2037";
      String before = board(query, member).body().toString();
      String trendBefore = trend("scope=city&period=month:2037-05", admin).body().toString();
      String csvBefore = csvRows(export("format=csv&" + query, admin));

      fixture.apply(transaction);
      fixture.apply(later);
      fixture.apply(transaction.subList(1, 3));

      assertThat(board(query, member).body().toString()).isEqualTo(before);
      assertThat(trend("scope=city&period=month:2037-05", admin).body().toString())
          .isEqualTo(trendBefore);
      assertThat(csvRows(export("format=csv&" + query, admin))).isEqualTo(csvBefore);
      assertThat(before).contains("\"points\":14").contains("\"points\":9");
    }

    /** The rows without the exported_at column, which differs from one export to the next. */
    private String csvRows(Reply reply) {
      assertThat(reply.status()).isEqualTo(200);
      return Arrays.stream(reply.body().toString(StandardCharsets.UTF_8).split("\r\n"))
          .map(line -> line.replaceAll("\\d{4}-\\d{2}-\\d{2}T[^,]+", "T"))
          .reduce("", (a, b) -> a + b + "\n");
    }
  }

  @Nested
  class CategoryBoards {

    /** What one member's entries of one category add up to on a board. */
    private record Tally(long points, long entries, String lastTxId, long lastBlock) {
      Tally plus(MovedEntry entry) {
        return new Tally(
            points + entry.points(), entries + 1, entry.txId(), entry.position().blockNumber());
      }
    }

    @Test
    void a_category_board_answers_as_its_category_on_the_all_board_of_the_same_scope_and_period() {
      String community = "c-east-2b";
      SignedIn both = fixture.member(community, "Both", "NAMED");
      SignedIn twice = fixture.member(community, "Twice", "NAMED");
      SignedIn studyOnly = fixture.member(community, "Study Only", "NAMED");
      SignedIn reversed = fixture.member(community, "Reversed", "MASKED");
      SignedIn hidden = fixture.member(community, "Hidden", "HIDDEN");
      SignedIn last = fixture.member(community, "Last", "NAMED");
      List<SignedIn> everyone = List.of(both, twice, studyOnly, reversed, hidden, last);
      Set<String> hiddenIds = Set.of(hidden.memberId());
      List<List<MovedEntry>> transactions = new ArrayList<>();
      long block = fixture.block();
      // Two categories of one member and another member in one transaction.
      transactions.add(
          List.of(
              entry(
                  block, 0, 0, both.memberId(), "AWARD", 30, "VOLUNTEER", community, "2044-03-02"),
              entry(block, 0, 1, both.memberId(), "AWARD", 5, "STUDY", community, "2044-03-02"),
              entry(
                  block,
                  0,
                  2,
                  studyOnly.memberId(),
                  "AWARD",
                  40,
                  "STUDY",
                  community,
                  "2044-03-03")));
      transactions.add(
          List.of(
              entry(
                  block, 1, 0, twice.memberId(), "AWARD", 20, "VOLUNTEER", community, "2044-03-04"),
              entry(
                  block,
                  1,
                  1,
                  reversed.memberId(),
                  "AWARD",
                  15,
                  "VOLUNTEER",
                  community,
                  "2044-03-04")));
      block = fixture.block();
      transactions.add(
          List.of(
              entry(
                  block, 0, 0, twice.memberId(), "AWARD", 10, "VOLUNTEER", community, "2044-05-01"),
              entry(
                  block,
                  0,
                  1,
                  hidden.memberId(),
                  "AWARD",
                  25,
                  "VOLUNTEER",
                  community,
                  "2044-05-01"),
              entry(block, 0, 2, reversed.memberId(), "AWARD", 8, "CIVIC", community, "2044-05-02"),
              entry(
                  block,
                  0,
                  3,
                  last.memberId(),
                  "AWARD",
                  12,
                  "VOLUNTEER",
                  community,
                  "2044-05-03")));
      block = fixture.block();
      // Takes the member's VOLUNTEER to zero; their CIVIC stays.
      transactions.add(
          List.of(
              entry(
                  block,
                  0,
                  0,
                  reversed.memberId(),
                  "REVERSAL",
                  -15,
                  "VOLUNTEER",
                  community,
                  "2044-03-04")));
      Map<String, Map<String, Tally>> tallies = new HashMap<>();
      for (List<MovedEntry> transaction : transactions) {
        fixture.apply(transaction);
        transaction.forEach(
            e ->
                tallies
                    .computeIfAbsent(e.memberId(), id -> new HashMap<>())
                    .merge(
                        e.category(),
                        new Tally(0, 0, null, 0).plus(e),
                        (was, added) -> was.plus(e)));
      }
      SignedIn admin = fixture.admin();
      String allQuery = "scope=community:" + community + "&period=year:2044";
      Map<String, String[]> allRows = new HashMap<>();
      csvRows(export("format=csv&" + allQuery, admin)).forEach(row -> allRows.put(row[1], row));

      for (String category : List.of("VOLUNTEER", "STUDY", "PARTY", "CIVIC")) {
        String query = allQuery + "&category=" + category;
        Map<String, Tally> onBoard = new HashMap<>();
        tallies.forEach(
            (id, byCategory) -> {
              if (byCategory.containsKey(category) && byCategory.get(category).points() > 0) {
                onBoard.put(id, byCategory.get(category));
              }
            });
        List<String> boardOrder =
            onBoard.keySet().stream()
                .sorted(
                    Comparator.comparing((String id) -> -onBoard.get(id).points())
                        .thenComparing(id -> id))
                .toList();
        List<String> shown = boardOrder.stream().filter(id -> !hiddenIds.contains(id)).toList();

        // The public board, page by page, ranked without the hidden member.
        List<JsonObject> listed = new ArrayList<>();
        JsonObject page = board(query + "&limit=2", admin).json();
        listed.addAll(page.getJsonArray("entries").stream().map(e -> (JsonObject) e).toList());
        while (page.getString("nextCursor") != null) {
          page = board(query + "&limit=2&cursor=" + page.getString("nextCursor"), admin).json();
          listed.addAll(page.getJsonArray("entries").stream().map(e -> (JsonObject) e).toList());
        }
        assertThat(listed.stream().map(e -> e.getString("memberId")))
            .as(category)
            .containsExactlyElementsOf(shown);
        for (JsonObject ranked : listed) {
          String id = ranked.getString("memberId");
          assertThat(ranked.getLong("points"))
              .as("%s points of %s", category, id)
              .isEqualTo(onBoard.get(id).points());
          assertThat(ranked.getLong("rank"))
              .as("%s rank of %s", category, id)
              .isEqualTo(rank(onBoard, shown, id));
          // The ALL board's breakdown says the same.
          assertThat(allRows.get(id)[6 + Board.CATEGORIES.indexOf(category)])
              .isEqualTo(String.valueOf(onBoard.get(id).points()));
        }

        // The export: every member with points in the category, the hidden one flagged, entries of
        // the category only.
        List<String[]> rows = csvRows(export("format=csv&" + query, admin));
        assertThat(rows.stream().map(row -> row[1]))
            .as(category)
            .containsExactlyElementsOf(boardOrder);
        for (String[] row : rows) {
          Tally tally = onBoard.get(row[1]);
          boolean optedOut = hiddenIds.contains(row[1]);
          assertThat(row[0])
              .isEqualTo(optedOut ? "" : String.valueOf(rank(onBoard, shown, row[1])));
          assertThat(row[5]).isEqualTo(String.valueOf(tally.points()));
          for (String column : Board.CATEGORIES) {
            assertThat(row[6 + Board.CATEGORIES.indexOf(column)])
                .isEqualTo(column.equals(category) ? String.valueOf(tally.points()) : "");
          }
          assertThat(row[10])
              .as("%s entries of %s", category, row[1])
              .isEqualTo(String.valueOf(tally.entries()));
          assertThat(row[11]).isEqualTo(tally.lastTxId());
          assertThat(row[12]).isEqualTo(String.valueOf(tally.lastBlock()));
          assertThat(row[15]).isEqualTo(String.valueOf(optedOut));
        }

        // Each member's own standing and neighbours.
        for (SignedIn member : everyone) {
          String id = member.memberId();
          JsonObject own = mine(query, member).json();
          Tally tally = tallies.get(id).get(category);
          if (!onBoard.containsKey(id)) {
            assertThat(own.getValue("rank")).as("%s rank of %s", category, id).isNull();
            assertThat(own.getLong("points")).isEqualTo(tally == null ? 0 : tally.points());
            assertThat(own.getJsonArray("above")).isEmpty();
            continue;
          }
          List<String> around =
              boardOrder.stream()
                  .filter(other -> other.equals(id) || shown.contains(other))
                  .toList();
          int at = around.indexOf(id);
          assertThat(own.getLong("rank"))
              .as("%s rank of %s", category, id)
              .isEqualTo(rank(onBoard, shown, id));
          assertThat(own.getLong("points")).isEqualTo(tally.points());
          assertThat(ids(own.getJsonArray("above")))
              .containsExactlyElementsOf(around.subList(Math.max(0, at - 2), at));
          assertThat(ids(own.getJsonArray("below")))
              .containsExactlyElementsOf(around.subList(at + 1, Math.min(around.size(), at + 3)));
        }
      }

      // What the scenario is about, said plainly.
      JsonObject volunteering = board(allQuery + "&category=VOLUNTEER", admin).json();
      assertThat(ids(volunteering.getJsonArray("entries")))
          .containsExactlyElementsOf(
              Stream.concat(sorted(both, twice).stream(), Stream.of(last.memberId())).toList());
      assertThat(ranks(volunteering)).containsExactly(1L, 1L, 3L);
      assertThat(points(volunteering)).containsExactly(30L, 30L, 12L);
      JsonObject everything = board(allQuery, admin).json();
      assertThat(ids(everything.getJsonArray("entries")))
          .containsExactly(
              studyOnly.memberId(),
              both.memberId(),
              twice.memberId(),
              last.memberId(),
              reversed.memberId());
      assertThat(points(everything)).containsExactly(40L, 35L, 30L, 12L, 8L);
      assertThat(allRows.get(reversed.memberId())[6]).isEqualTo("0");
      assertThat(allRows.get(reversed.memberId())[10]).isEqualTo("3");
      assertThat(allRows.get(studyOnly.memberId())[6]).isEmpty();
    }

    /** Competition rank among the members shown: one more than those shown with more points. */
    private long rank(Map<String, Tally> onBoard, List<String> shown, String id) {
      return 1
          + shown.stream()
              .filter(other -> onBoard.get(other).points() > onBoard.get(id).points())
              .count();
    }

    /** The rows of a CSV export, split into cells, without the header. */
    private List<String[]> csvRows(Reply reply) {
      assertThat(reply.status()).isEqualTo(200);
      String[] lines = new String(reply.body().getBytes(), StandardCharsets.UTF_8).split("\r\n");
      return Arrays.stream(lines, 1, lines.length).map(line -> line.split(",", -1)).toList();
    }
  }

  @Nested
  class Access {
    @Test
    void residents_read_the_city_and_their_own_units_only() {
      SignedIn resident = fixture.member("c-east-1a");
      assertThat(board("scope=city&period=all", resident).status()).isEqualTo(200);
      assertThat(board("scope=community:c-east-1a&period=all", resident).status()).isEqualTo(200);
      assertThat(board("scope=street:s-east-1&period=all", resident).status()).isEqualTo(200);
      assertThat(board("scope=district:d-east&period=all", resident).status()).isEqualTo(200);
      assertThat(board("scope=community:c-west-1a&period=all", resident).code())
          .isEqualTo("FORBIDDEN");
      assertThat(board("scope=street:s-east-2&period=all", resident).status()).isEqualTo(403);
      assertThat(board("scope=district:d-west&period=all", resident).status()).isEqualTo(403);
      assertThat(board("scope=branch:b-east-1&period=all", resident).status()).isEqualTo(403);
      assertThat(mine("scope=community:c-west-1a&period=all", resident).status()).isEqualTo(403);
      assertThat(board("scope=community:c-nowhere&period=all", resident).code())
          .isEqualTo("NOT_FOUND");
      assertThat(export("format=csv&scope=community:c-east-1a&period=all", resident).status())
          .isEqualTo(403);
      assertThat(trend("scope=community:c-east-1a&period=year:2030", resident).status())
          .isEqualTo(403);
    }

    @Test
    void an_organizer_of_one_street_cannot_export_or_read_another() {
      SignedIn organizer = fixture.withRoles("c-east-1a", "ORGANIZER");
      assertThat(export("format=csv&scope=street:s-east-1&period=all", organizer).status())
          .isEqualTo(200);
      assertThat(export("format=csv&scope=community:c-east-1b&period=all", organizer).status())
          .isEqualTo(200);
      assertThat(board("scope=community:c-east-1b&period=all", organizer).status()).isEqualTo(200);
      assertThat(trend("scope=street:s-east-1&period=week:2030-W10", organizer).status())
          .isEqualTo(200);

      assertThat(export("format=csv&scope=street:s-east-2&period=all", organizer).code())
          .isEqualTo("FORBIDDEN");
      assertThat(export("format=xlsx&scope=community:c-east-2a&period=all", organizer).status())
          .isEqualTo(403);
      assertThat(export("format=csv&scope=district:d-east&period=all", organizer).status())
          .isEqualTo(403);
      assertThat(export("format=csv&scope=city&period=all", organizer).status()).isEqualTo(403);
      assertThat(board("scope=street:s-east-2&period=all", organizer).status()).isEqualTo(403);
      assertThat(trend("scope=street:s-east-2&period=week:2030-W10", organizer).status())
          .isEqualTo(403);
    }

    @Test
    void staff_read_trends_of_their_community_but_do_not_export() {
      SignedIn staff = fixture.withRoles("c-west-2a", "STAFF");
      assertThat(trend("scope=community:c-west-2a&period=year:2030", staff).status())
          .isEqualTo(200);
      assertThat(trend("scope=community:c-west-2b&period=year:2030", staff).status())
          .isEqualTo(403);
      assertThat(export("format=csv&scope=community:c-west-2a&period=all", staff).status())
          .isEqualTo(403);
    }

    @Test
    void admins_read_and_export_every_board() {
      SignedIn admin = fixture.admin();
      assertThat(board("scope=branch:b-west-1&period=all", admin).status()).isEqualTo(200);
      assertThat(export("format=xlsx&scope=district:d-west&period=all", admin).status())
          .isEqualTo(200);
      assertThat(trend("scope=city&period=quarter:2030-Q1", admin).status()).isEqualTo(200);
    }

    @Test
    void bad_parameters_are_named() {
      SignedIn resident = fixture.member("c-east-1a");
      assertThat(field(board("scope=city&period=week:2026-W54", resident)))
          .isEqualTo("query.period");
      assertThat(field(board("scope=city&period=month:2026-13", resident)))
          .isEqualTo("query.period");
      assertThat(field(board("scope=city&period=week:2025-W53", resident)))
          .isEqualTo("query.period");
      assertThat(field(board("scope=planet&period=all", resident))).isEqualTo("query.scope");
      assertThat(field(board("scope=city&period=all&category=FUN", resident)))
          .isEqualTo("query.category");
      assertThat(field(board("scope=city&period=all&limit=101", resident)))
          .isEqualTo("query.limit");
      assertThat(field(board("scope=city&period=all&limit=0", resident))).isEqualTo("query.limit");
      assertThat(field(board("scope=city", resident))).isEqualTo("query.period");
      assertThat(field(export("format=pdf&scope=city&period=all", fixture.admin())))
          .isEqualTo("query.format");
      assertThat(field(trend("scope=city&period=all", fixture.admin()))).isEqualTo("query.period");
      assertThat(
              fixture
                  .client
                  .get("getLeaderboard", "/v1/leaderboards?scope=city&period=all", null)
                  .status())
          .isEqualTo(401);
    }

    private String field(Reply reply) {
      assertThat(reply.status()).isEqualTo(400);
      assertThat(reply.code()).isEqualTo("VALIDATION_FAILED");
      return reply.json().getJsonArray("errors").getJsonObject(0).getString("field");
    }
  }

  @Nested
  class Exports {
    @Test
    void csv_has_a_bom_crlf_rfc4180_quoting_neutralised_formulas_and_flags_opted_out_members() {
      SignedIn formula = fixture.member("c-east-1b", "=HYPERLINK(\"http://x\")", "NAMED");
      SignedIn quoted = fixture.member("c-east-1b", "Smith, \"Jr\"", "MASKED");
      SignedIn plus = fixture.member("c-east-1b", "+1 caller", "MASKED");
      SignedIn at = fixture.member("c-east-1b", "@SUM(A1)", "MASKED");
      SignedIn hidden = fixture.member("c-east-1b", "-Hidden", "HIDDEN");
      fixture.award(formula, "c-east-1b", "VOLUNTEER", "2038-01-01", 50);
      fixture.award(hidden, "c-east-1b", "STUDY", "2038-01-02", 45);
      fixture.award(quoted, "c-east-1b", "PARTY", "2038-01-03", 40);
      fixture.award(plus, "c-east-1b", "CIVIC", "2038-01-04", 30);
      fixture.award(at, "c-east-1b", "VOLUNTEER", "2038-01-05", 15);
      fixture.award(at, "c-east-1b", "STUDY", "2038-01-06", 10);
      SignedIn organizer = fixture.withRoles("c-east-1a", "ORGANIZER");

      Reply reply = export("format=csv&scope=community:c-east-1b&period=year:2038", organizer);

      assertThat(reply.status()).isEqualTo(200);
      assertThat(reply.header("Content-Type")).startsWith("text/csv");
      assertThat(reply.header("Content-Disposition"))
          .isEqualTo("attachment; filename=\"leaderboard_community-c-east-1b_year-2038_ALL.csv\"");
      byte[] bytes = reply.body().getBytes();
      assertThat(Arrays.copyOf(bytes, 3)).containsExactly(0xEF, 0xBB, 0xBF);
      String text = new String(bytes, 3, bytes.length - 3, StandardCharsets.UTF_8);
      assertThat(text).endsWith("\r\n");
      assertThat(text.replace("\r\n", "")).doesNotContain("\n");
      String[] lines = text.split("\r\n");
      assertThat(lines).hasSize(6);
      assertThat(lines[0])
          .isEqualTo(
              "rank,member_id,display_name,community,party_branch,points,points_volunteer,"
                  + "points_study,points_party,points_civic,entries,last_tx_id,last_block,exported_at,exported_by,opted_out");
      assertThat(lines[1])
          .startsWith(
              "1,"
                  + formula.memberId()
                  + ",\"'=HYPERLINK(\"\"http://x\"\")\",East 1 Community B,,50,50,,,,1,tx");
      assertThat(lines[1]).endsWith("," + organizer.memberId() + ",false");
      assertThat(lines[2])
          .startsWith("," + hidden.memberId() + ",'-Hidden,East 1 Community B,,45,,45,,,1,")
          .endsWith(",true");
      assertThat(lines[3]).startsWith("2," + quoted.memberId() + ",\"Smith, \"\"Jr\"\"\",");
      assertThat(lines[4]).startsWith("3," + plus.memberId() + ",'+1 caller,");
      assertThat(lines[5])
          .startsWith("4," + at.memberId() + ",'@SUM(A1),East 1 Community B,,25,15,10,,,2,");

      List<Document> audit = fixture.find("audit", eq("actor", organizer.memberId()));
      assertThat(audit).hasSize(1);
      assertThat(audit.get(0).getString("action")).isEqualTo("LEADERBOARD_EXPORT");
      assertThat(audit.get(0).getString("target")).isEqualTo("community:c-east-1b|year:2038|ALL");
      assertThat(audit.get(0).get("rows", Number.class).longValue()).isEqualTo(5);
    }

    @Test
    void
        an_export_of_many_batches_lists_every_standing_once_in_board_order_with_names_ranks_and_flags() {
      String board = "city|year:2042|ALL";
      int size = 1_234;
      Map<String, Long> pointsOf = new HashMap<>();
      Map<String, String> nameOf = new HashMap<>();
      Set<String> hidden = new HashSet<>();
      List<Document> standings = new ArrayList<>();
      List<Document> profiles = new ArrayList<>();
      for (int i = 0; i < size; i++) {
        String id = seededMember(1_000_000 + i);
        pointsOf.put(id, 1 + (i * 37L) % 200);
        nameOf.put(id, "Resident " + i);
        if (i % 7 == 0) {
          hidden.add(id);
        }
        standings.add(LeaderboardFixture.standing(board, id, pointsOf.get(id), i));
        profiles.add(
            LeaderboardFixture.profile(
                id, nameOf.get(id), hidden.contains(id) ? "HIDDEN" : "MASKED"));
      }
      LeaderboardFixture.insert(fixture.collection("standings"), standings);
      LeaderboardFixture.insert(fixture.collection("members"), profiles);
      List<String> boardOrder =
          pointsOf.keySet().stream()
              .sorted(
                  Comparator.comparing((String id) -> -pointsOf.get(id)).thenComparing(id -> id))
              .toList();

      Reply reply = export("format=csv&scope=city&period=year:2042", fixture.admin());

      assertThat(reply.status()).isEqualTo(200);
      String[] lines = new String(reply.body().getBytes(), StandardCharsets.UTF_8).split("\r\n");
      List<String[]> rows =
          Arrays.stream(lines, 1, lines.length).map(line -> line.split(",", -1)).toList();
      assertThat(rows.stream().map(row -> row[1])).containsExactlyElementsOf(boardOrder);
      for (String[] row : rows) {
        String id = row[1];
        long shownAbove =
            boardOrder.stream()
                .filter(other -> !hidden.contains(other) && pointsOf.get(other) > pointsOf.get(id))
                .count();
        assertThat(row[0])
            .as("rank of %s", id)
            .isEqualTo(hidden.contains(id) ? "" : String.valueOf(shownAbove + 1));
        assertThat(row[2]).isEqualTo(nameOf.get(id));
        assertThat(row[5]).isEqualTo(String.valueOf(pointsOf.get(id)));
        assertThat(row[15]).isEqualTo(String.valueOf(hidden.contains(id)));
      }
      List<Document> audit = fixture.find("audit", eq("target", board));
      assertThat(audit).hasSize(1);
      assertThat(audit.get(0).get("rows", Number.class).longValue()).isEqualTo(size);
    }

    @Test
    void xlsx_opens_in_poi_with_typed_cells_and_the_party_branch() throws IOException {
      SignedIn member = fixture.member("c-west-1a", "Zhang San", "NAMED");
      SignedIn admin = fixture.admin();
      Reply verified =
          fixture.client.post(
              "verifyPartyMembership",
              "/v1/members/" + member.memberId() + "/party-membership",
              new JsonObject().put("branchId", "b-west-1"),
              admin.accessToken());
      assertThat(verified.status()).isEqualTo(200);
      fixture.award(member, "c-west-1a", "PARTY", "2040-02-02", 12);

      Reply reply = export("format=xlsx&scope=branch:b-west-1&period=year:2040", admin);

      assertThat(reply.status()).isEqualTo(200);
      assertThat(reply.header("Content-Type"))
          .isEqualTo("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
      assertThat(reply.header("Content-Disposition"))
          .contains("leaderboard_branch-b-west-1_year-2040_ALL.xlsx");
      try (XSSFWorkbook workbook =
          new XSSFWorkbook(new ByteArrayInputStream(reply.body().getBytes()))) {
        Sheet sheet = workbook.getSheetAt(0);
        assertThat(sheet.getLastRowNum()).isEqualTo(1);
        assertThat(sheet.getRow(0).getCell(0).getStringCellValue()).isEqualTo("rank");
        Row row = sheet.getRow(1);
        assertThat(row.getCell(0).getNumericCellValue()).isEqualTo(1.0);
        assertThat(row.getCell(1).getStringCellValue()).isEqualTo(member.memberId());
        assertThat(row.getCell(2).getStringCellValue()).isEqualTo("Zhang San");
        assertThat(row.getCell(3).getStringCellValue()).isEqualTo("West 1 Community A");
        assertThat(row.getCell(4).getStringCellValue()).isEqualTo("West Branch 1");
        assertThat(row.getCell(5).getNumericCellValue()).isEqualTo(12.0);
        assertThat(row.getCell(8).getNumericCellValue()).isEqualTo(12.0);
        assertThat(row.getCell(15).getStringCellValue()).isEqualTo("false");
      }
    }

    @Test
    void a_trend_lists_every_day_of_the_period_with_zeros() {
      SignedIn member = fixture.member("c-west-2a");
      fixture.award(member, "c-west-2a", "STUDY", "2041-03-03", 8);
      fixture.award(member, "c-west-2a", "VOLUNTEER", "2041-03-05", 2);
      SignedIn organizer = fixture.withRoles("c-west-2a", "ORGANIZER");

      JsonObject week = trend("scope=street:s-west-2&period=week:2041-W10", organizer).json();
      JsonObject study =
          trend("scope=street:s-west-2&period=week:2041-W10&category=STUDY", organizer).json();

      JsonArray days = week.getJsonArray("days");
      assertThat(days).hasSize(7);
      assertThat(days.getJsonObject(0).getString("date")).isEqualTo("2041-03-04");
      assertThat(days.stream().map(d -> ((JsonObject) d).getLong("points")).toList())
          .containsExactly(0L, 2L, 0L, 0L, 0L, 0L, 0L);
      assertThat(
              study.getJsonArray("days").stream()
                  .mapToLong(d -> ((JsonObject) d).getLong("points"))
                  .sum())
          .isZero();
      JsonObject month =
          trend("scope=street:s-west-2&period=month:2041-03&category=STUDY", organizer).json();
      assertThat(month.getJsonArray("days")).hasSize(31);
      assertThat(month.getJsonArray("days").getJsonObject(2).getLong("points")).isEqualTo(8);
    }
  }
}
