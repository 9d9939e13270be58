package org.civicpoints.api.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import org.civicpoints.api.mongo.GridFsEvidenceStore;
import org.civicpoints.api.mongo.MongoEvidences;
import org.civicpoints.api.mongo.MongoStore;
import org.civicpoints.api.service.EvidenceSweeper;
import org.civicpoints.api.support.ApiClient;
import org.civicpoints.api.support.ApiClient.Reply;
import org.civicpoints.api.support.MovableClock;
import org.civicpoints.api.support.Sessions;
import org.civicpoints.api.support.Sessions.SignedIn;
import org.civicpoints.api.support.TestApi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Finding activities through HTTP: details and covers, the listing's filters, paging and distance,
 * the caller's enrollments, and the waitlist under concurrent leaves.
 */
class FindingActivitiesApiTest {

  private static final String BOOTSTRAP_ADMIN = "+8613700000061";
  private static final String EAST = "c-east-1a";
  private static final String EAST_B = "c-east-1b";
  private static final String WEST = "c-west-2b";
  private static final ZoneId BEIJING = ZoneId.of("Asia/Shanghai");
  private static final MovableClock clock = new MovableClock();
  private static TestApi api;
  private static ApiClient client;
  private static CatalogFixtures fixtures;
  private static String ruleId;
  private static String partyRuleId;

  @BeforeAll
  static void start() {
    api = TestApi.start(Map.of("BOOTSTRAP_ADMIN_PHONE", BOOTSTRAP_ADMIN), clock);
    client = api.client;
    fixtures = new CatalogFixtures(client);
    SignedIn admin = Sessions.signIn(client, new JsonObject().put("phone", BOOTSTRAP_ADMIN));
    ruleId = fixtures.rule(admin, "VOLUNTEER", 10);
    partyRuleId = fixtures.rule(admin, "PARTY", 10);
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  /** A unique word, so each test finds only its own activities on the shared server. */
  private static String marker() {
    return "m" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static JsonObject body(String communityId, String title, Instant startsAt) {
    return new JsonObject()
        .put("communityId", communityId)
        .put("type", "VOLUNTEER")
        .put("title", title)
        .put("ruleId", ruleId)
        .put("startsAt", startsAt.toString())
        .put("endsAt", startsAt.plus(2, ChronoUnit.HOURS).toString())
        .put("checkIn", "NONE");
  }

  private static Instant inDays(int days) {
    return clock.instant().plus(days, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
  }

  private static Reply create(SignedIn staff, JsonObject body) {
    return client.post("createActivity", "/v1/activities", body, staff.accessToken());
  }

  private static Reply list(SignedIn member, String query) {
    return client.get("listActivities", "/v1/activities?" + query, member.accessToken());
  }

  private static List<JsonObject> items(Reply reply) {
    assertThat(reply.status()).as("listing: %s", reply.body()).isEqualTo(200);
    return reply.json().getJsonArray("items").stream().map(JsonObject.class::cast).toList();
  }

  private static List<String> titles(Reply reply) {
    return items(reply).stream().map(item -> item.getString("title")).toList();
  }

  private static String q(String text) {
    return "q=" + URLEncoder.encode(text, StandardCharsets.UTF_8);
  }

  private static void assertProblem(Reply reply, int status, String code) {
    assertThat(reply.status()).as("%s", reply.body()).isEqualTo(status);
    assertThat(reply.header("Content-Type")).startsWith("application/problem+json");
    assertThat(reply.code()).isEqualTo(code);
  }

  @Nested
  class Details {

    @Test
    void description_address_tags_and_cover_are_stored_and_the_cover_is_seen_by_residents() {
      SignedIn staff = Sessions.withRoles(client, EAST, "STAFF");
      String cover = EvidenceApiTest.uploadedWith(client, staff, TestPhotos.png(64, 48));
      JsonObject body =
          body(EAST, "河道清洁", inDays(3))
              .put("description", "Bring gloves")
              .put("address", "East gate, Riverside Park")
              .put("coverImage", cover)
              .put("tags", new JsonArray().add(" River ").add("river").add("环保"));
      String activityId = fixtures.activity(staff, body);

      SignedIn resident = Sessions.inCommunity(client, WEST);
      Reply read =
          client.get("getActivity", "/v1/activities/" + activityId, resident.accessToken());
      assertThat(read.status()).isEqualTo(200);
      assertThat(read.json().getString("description")).isEqualTo("Bring gloves");
      assertThat(read.json().getString("address")).isEqualTo("East gate, Riverside Park");
      assertThat(read.json().getString("coverImage")).isEqualTo(cover);
      assertThat(read.json().getJsonArray("tags")).containsExactly("River", "环保");
      assertThat(EvidenceApiTest.photoWith(client, resident, cover).status()).isEqualTo(200);

      Reply cleared =
          client.patch(
              "changeActivity",
              "/v1/activities/" + activityId,
              new JsonObject().put("description", "").put("tags", new JsonArray()),
              staff.accessToken());
      assertThat(cleared.status()).as("%s", cleared.body()).isEqualTo(200);
      assertThat(cleared.json().containsKey("description")).isFalse();
      assertThat(cleared.json().getJsonArray("tags")).isEmpty();
      assertThat(cleared.json().getString("address")).isEqualTo("East gate, Riverside Park");
    }

    @Test
    void a_party_activity_cover_is_hidden_like_the_activity() {
      SignedIn staff = Sessions.withRoles(client, EAST, "STAFF");
      String cover = EvidenceApiTest.uploadedWith(client, staff, TestPhotos.png(32, 32));
      JsonObject body =
          body(EAST, "Branch study", inDays(3))
              .put("type", "PARTY")
              .put("ruleId", partyRuleId)
              .put("coverImage", cover);
      fixtures.activity(staff, body);
      SignedIn resident = Sessions.inCommunity(client, EAST);
      assertProblem(EvidenceApiTest.photoWith(client, resident, cover), 404, "NOT_FOUND");
      SignedIn partyMember = Sessions.withRoles(client, EAST, "PARTY_MEMBER");
      assertThat(EvidenceApiTest.photoWith(client, partyMember, cover).status()).isEqualTo(200);
    }

    @Test
    void bad_details_are_refused_with_problems() {
      SignedIn staff = Sessions.withRoles(client, EAST, "STAFF");
      JsonArray eleven = new JsonArray();
      for (int i = 0; i < 11; i++) {
        eleven.add("t" + i);
      }
      List<JsonObject> bad =
          List.of(
              body(EAST, "x", inDays(1)).put("tags", eleven),
              body(EAST, "x", inDays(1)).put("tags", new JsonArray().add("a".repeat(21))),
              body(EAST, "x", inDays(1)).put("tags", new JsonArray().add("  ")),
              body(EAST, "x", inDays(1)).put("tags", "river"),
              body(EAST, "x", inDays(1)).put("description", "d".repeat(2001)),
              body(EAST, "x", inDays(1)).put("address", 12),
              body(EAST, "x", inDays(1)).put("coverImage", "https://example.org/a.jpg"),
              body(EAST, "x", inDays(1)).put("seatsLeft", 5),
              body(EAST, "x", inDays(1)).put("myEnrollment", "ENROLLED"));
      for (JsonObject request : bad) {
        assertProblem(create(staff, request), 400, "VALIDATION_FAILED");
      }
    }

    @Test
    void a_cover_must_be_the_callers_own_unused_upload() {
      SignedIn staff = Sessions.withRoles(client, EAST, "STAFF");
      SignedIn otherStaff = Sessions.withRoles(client, EAST, "STAFF");
      String theirs = EvidenceApiTest.uploadedWith(client, otherStaff, TestPhotos.png(32, 32));
      assertProblem(
          create(staff, body(EAST, "x", inDays(1)).put("coverImage", theirs)), 404, "NOT_FOUND");
      assertProblem(
          create(staff, body(EAST, "x", inDays(1)).put("coverImage", "ev_aaaaaaaaaaaaaaaaaaaa")),
          404,
          "NOT_FOUND");

      String mine = EvidenceApiTest.uploadedWith(client, staff, TestPhotos.png(32, 32));
      Instant startsAt = clock.instant().minus(30, ChronoUnit.MINUTES);
      String activityId =
          fixtures.activity(staff, body(EAST, "x", startsAt).put("coverImage", mine));
      assertProblem(
          create(staff, body(EAST, "y", inDays(1)).put("coverImage", mine)), 409, "INVALID_STATE");
      // Nor can the cover back a claim of its uploader.
      assertThat(fixtures.enroll(staff, activityId).status()).isEqualTo(200);
      JsonObject claim =
          CatalogFixtures.submission(activityId, 1)
              .put("occurredOn", LocalDate.ofInstant(startsAt, BEIJING).toString());
      claim.put("evidence", new JsonObject().put("photos", new JsonArray().add(mine)));
      assertProblem(
          fixtures.submit(staff, UUID.randomUUID().toString(), claim), 409, "INVALID_STATE");
    }

    @Test
    void the_sweep_keeps_a_cover_and_takes_the_cover_it_replaced() {
      SignedIn staff = Sessions.withRoles(client, EAST, "STAFF");
      String first = EvidenceApiTest.uploadedWith(client, staff, TestPhotos.png(32, 32));
      String second = EvidenceApiTest.uploadedWith(client, staff, TestPhotos.png(40, 30));
      String activityId =
          fixtures.activity(staff, body(EAST, "Covered", inDays(9)).put("coverImage", first));
      clock.advance(Duration.ofHours(25));
      staff = Sessions.signIn(client, new JsonObject().put("phone", staff.phone()));
      MongoStore store = api.openStore();
      try {
        EvidenceSweeper sweeper =
            new EvidenceSweeper(
                api.vertx, new MongoEvidences(store), new GridFsEvidenceStore(store), clock);
        sweeper.sweep().await();
        SignedIn resident = Sessions.inCommunity(client, EAST);
        assertThat(EvidenceApiTest.photoWith(client, resident, first).status()).isEqualTo(200);
        assertProblem(EvidenceApiTest.photoWith(client, staff, second), 404, "NOT_FOUND");

        String third = EvidenceApiTest.uploadedWith(client, staff, TestPhotos.png(40, 30));
        Reply replaced =
            client.patch(
                "changeActivity",
                "/v1/activities/" + activityId,
                new JsonObject().put("coverImage", third),
                staff.accessToken());
        assertThat(replaced.status()).as("%s", replaced.body()).isEqualTo(200);
        assertThat(replaced.json().getString("coverImage")).isEqualTo(third);
        clock.advance(Duration.ofHours(25));
        sweeper.sweep().await();
        staff = Sessions.signIn(client, new JsonObject().put("phone", staff.phone()));
        resident = Sessions.signIn(client, new JsonObject().put("phone", resident.phone()));
        assertProblem(EvidenceApiTest.photoWith(client, staff, first), 404, "NOT_FOUND");
        assertThat(EvidenceApiTest.photoWith(client, resident, third).status()).isEqualTo(200);
      } finally {
        store.close();
      }
    }
  }

  @Nested
  class Listing {

    @Test
    void the_default_is_my_community_and_the_current_parameter_still_works() {
      String word = marker();
      SignedIn eastStaff = Sessions.withRoles(client, EAST, "STAFF");
      SignedIn westStaff = Sessions.withRoles(client, WEST, "STAFF");
      fixtures.activity(eastStaff, body(EAST, "Mine " + word, inDays(2)));
      fixtures.activity(westStaff, body(WEST, "Theirs " + word, inDays(2)));
      fixtures.activity(
          eastStaff,
          body(EAST, "Party " + word, inDays(2)).put("type", "PARTY").put("ruleId", partyRuleId));

      SignedIn resident = Sessions.inCommunity(client, EAST);
      assertThat(titles(list(resident, q(word)))).containsExactly("Mine " + word);
      assertThat(titles(list(resident, "communityId=" + WEST + "&" + q(word))))
          .containsExactly("Theirs " + word);
      SignedIn partyMember = Sessions.withRoles(client, EAST, "PARTY_MEMBER");
      assertThat(titles(list(partyMember, q(word))))
          .containsExactlyInAnyOrder("Mine " + word, "Party " + word);
      assertThat(titles(list(eastStaff, q(word))))
          .as("staff see their community's party activities")
          .containsExactlyInAnyOrder("Mine " + word, "Party " + word);
      assertProblem(list(resident, "communityId=c-nowhere"), 404, "NOT_FOUND");
    }

    @Test
    void type_dates_and_words_filter_ignoring_case_in_any_script() {
      String word = marker();
      SignedIn staff = Sessions.withRoles(client, EAST_B, "STAFF");
      fixtures.activity(
          staff,
          body(EAST_B, "River CLEAN-UP " + word, inDays(2)).put("tags", new JsonArray().add("环保")));
      fixtures.activity(
          staff, body(EAST_B, "读书会 " + word, inDays(5)).put("description", "Bring a BOOK"));
      fixtures.activity(staff, body(EAST_B, "Later " + word, inDays(20)));
      SignedIn resident = Sessions.inCommunity(client, EAST_B);

      assertThat(titles(list(resident, q(word)))).hasSize(3);
      assertThat(titles(list(resident, q(word.toUpperCase())))).as("case-insensitive").hasSize(3);
      assertThat(titles(list(resident, q("clean-up")))).contains("River CLEAN-UP " + word);
      assertThat(titles(list(resident, q("环保")))).contains("River CLEAN-UP " + word);
      assertThat(titles(list(resident, q("读书")))).contains("读书会 " + word);
      assertThat(titles(list(resident, q("book")))).contains("读书会 " + word);
      assertThat(titles(list(resident, q("(.*")))).as("words, not patterns").isEmpty();
      String window = "from=" + inDays(4) + "&to=" + inDays(10) + "&" + q(word);
      assertThat(titles(list(resident, window))).containsExactly("读书会 " + word);
      assertThat(titles(list(resident, "type=PARTY&" + q(word)))).isEmpty();
      assertThat(titles(list(resident, "type=VOLUNTEER&" + q(word)))).hasSize(3);
    }

    @Test
    void pages_follow_the_cursor_earliest_first_without_gaps_or_repeats() {
      String word = marker();
      SignedIn staff = Sessions.withRoles(client, EAST, "STAFF");
      Instant same = inDays(4);
      List<String> expected = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        // Two share a start: the id breaks the tie.
        Instant startsAt = i < 2 ? same : inDays(4 + i);
        fixtures.activity(staff, body(EAST, word + " " + i, startsAt));
      }
      List<String> seen = new ArrayList<>();
      String cursor = null;
      do {
        Reply page =
            list(staff, q(word) + "&limit=2" + (cursor == null ? "" : "&cursor=" + cursor));
        items(page).forEach(item -> seen.add(item.getString("title")));
        assertThat(items(page).size()).isLessThanOrEqualTo(2);
        cursor = page.json().getString("nextCursor");
      } while (cursor != null);
      for (int i = 0; i < 5; i++) {
        expected.add(word + " " + i);
      }
      assertThat(seen).hasSize(5).containsExactlyInAnyOrderElementsOf(expected);
      assertThat(seen.subList(2, 5)).containsExactly(word + " 2", word + " 3", word + " 4");
    }

    @Test
    void near_lists_what_is_within_the_radius_nearest_first_and_pages() {
      String word = marker();
      SignedIn staff = Sessions.withRoles(client, WEST, "STAFF");
      double lat = 31.2304;
      double lng = 121.4737;
      // About 0.5, 2 and 8 km north of the point (0.009° of latitude ≈ 1 km), and one without a
      // place.
      placed(staff, word + " far", lat + 0.072, lng);
      placed(staff, word + " near", lat + 0.0045, lng);
      placed(staff, word + " middle", lat + 0.018, lng);
      fixtures.activity(staff, body(WEST, word + " nowhere", inDays(3)));
      SignedIn resident = Sessions.inCommunity(client, WEST);

      String near = "near=" + lat + "," + lng + "&" + q(word);
      List<JsonObject> within5 = items(list(resident, near));
      assertThat(within5.stream().map(i -> i.getString("title")))
          .containsExactly(word + " near", word + " middle");
      assertThat(within5.get(0).getLong("distanceMeters")).isBetween(450L, 550L);
      assertThat(within5.get(1).getLong("distanceMeters")).isBetween(1900L, 2100L);
      assertThat(titles(list(resident, near + "&radiusKm=10")))
          .containsExactly(word + " near", word + " middle", word + " far");

      Reply first = list(resident, near + "&radiusKm=10&limit=2");
      assertThat(titles(first)).containsExactly(word + " near", word + " middle");
      Reply second =
          list(
              resident,
              near + "&radiusKm=10&limit=2&cursor=" + first.json().getString("nextCursor"));
      assertThat(titles(second)).containsExactly(word + " far");
      assertThat(second.json().containsKey("nextCursor")).isFalse();
    }

    private void placed(SignedIn staff, String title, double lat, double lng) {
      fixtures.activity(
          staff,
          body(WEST, title, inDays(3))
              .put(
                  "location",
                  new JsonObject().put("lat", lat).put("lng", lng).put("radiusMeters", 200)));
    }

    @Test
    void each_item_says_whether_i_am_enrolled_and_the_seats_left() {
      String word = marker();
      SignedIn staff = Sessions.withRoles(client, EAST, "STAFF");
      String small =
          fixtures.activity(staff, body(EAST, word + " small", inDays(2)).put("capacity", 2));
      fixtures.activity(staff, body(EAST, word + " open", inDays(3)));
      SignedIn resident = Sessions.inCommunity(client, EAST);
      assertThat(fixtures.enroll(resident, small).status()).isEqualTo(200);

      List<JsonObject> mine = items(list(resident, q(word)));
      assertThat(mine.get(0).getString("myEnrollment")).isEqualTo("ENROLLED");
      assertThat(mine.get(0).getInteger("seatsLeft")).isEqualTo(1);
      assertThat(mine.get(1).getString("myEnrollment")).isEqualTo("NONE");
      assertThat(mine.get(1).containsKey("seatsLeft")).as("no capacity").isFalse();
      SignedIn neighbour = Sessions.inCommunity(client, EAST);
      assertThat(items(list(neighbour, q(word))).get(0).getString("myEnrollment"))
          .isEqualTo("NONE");
    }

    @Test
    void bad_parameters_are_refused_with_problems() {
      SignedIn resident = Sessions.inCommunity(client, EAST);
      for (String query :
          List.of(
              "near=31.2,121.4&radiusKm=0",
              "near=31.2,121.4&radiusKm=51",
              "near=31.2,121.4&radiusKm=far",
              "radiusKm=3",
              "near=abc",
              "near=91,121.4",
              "near=31.2,181",
              "cursor=!!",
              "cursor=bm90LWEtY3Vyc29y",
              "type=PICNIC",
              "limit=0",
              "limit=101",
              "limit=ten",
              "from=yesterday",
              "from=2026-12-10T00:00:00Z&to=2026-12-01T00:00:00Z",
              "q=" + "x".repeat(51))) {
        Reply reply = list(resident, query);
        assertThat(reply.status()).as(query + ": " + reply.body()).isEqualTo(400);
        assertThat(reply.code()).as(query).isEqualTo("VALIDATION_FAILED");
      }
    }
  }

  @Nested
  class MyEnrollments {

    @Test
    void upcoming_earliest_first_and_past_latest_first_in_pages_with_waitlist_places() {
      SignedIn staff = Sessions.withRoles(client, EAST, "STAFF");
      SignedIn resident = Sessions.inCommunity(client, EAST);
      String past1 = fixtures.activity(staff, body(EAST, "past 1", inDays(-10)));
      String past2 = fixtures.activity(staff, body(EAST, "past 2", inDays(-5)));
      String soon = fixtures.activity(staff, body(EAST, "soon", inDays(1)));
      String later = fixtures.activity(staff, body(EAST, "later", inDays(6)));
      String full = fixtures.activity(staff, body(EAST, "full", inDays(3)).put("capacity", 1));
      for (String id : List.of(past1, past2, soon, later)) {
        assertThat(fixtures.enroll(resident, id).status()).isEqualTo(200);
      }
      assertThat(fixtures.enroll(Sessions.inCommunity(client, EAST), full).status()).isEqualTo(200);
      assertThat(joinWaitlist(resident, full).status()).isEqualTo(200);

      Reply first = mine(resident, "limit=2");
      assertThat(activityIds(first)).containsExactly(soon, full);
      assertThat(items(first).get(1).getString("status")).isEqualTo("WAITLISTED");
      assertThat(items(first).get(0).getString("status")).isEqualTo("ENROLLED");
      assertThat(items(first).get(0).getString("attendance")).isEqualTo("SELF_REPORTED");
      Reply rest = mine(resident, "limit=2&cursor=" + first.json().getString("nextCursor"));
      assertThat(activityIds(rest)).containsExactly(later);
      assertThat(activityIds(mine(resident, "when=past"))).containsExactly(past2, past1);
      assertThat(activityIds(mine(Sessions.inCommunity(client, EAST), ""))).isEmpty();

      assertProblem(mine(resident, "when=soon"), 400, "VALIDATION_FAILED");
      assertProblem(mine(resident, "cursor=bm90LWEtY3Vyc29y"), 400, "VALIDATION_FAILED");
    }

    private Reply mine(SignedIn member, String query) {
      return client.get("listMyEnrollments", "/v1/me/enrollments?" + query, member.accessToken());
    }

    private List<String> activityIds(Reply reply) {
      return items(reply).stream()
          .map(item -> item.getJsonObject("activity").getString("activityId"))
          .toList();
    }
  }

  private static Reply joinWaitlist(SignedIn member, String activityId) {
    return client.post(
        "joinWaitlist", "/v1/activities/" + activityId + "/waitlist", null, member.accessToken());
  }

  private static Reply leave(SignedIn member, String activityId) {
    return client.delete(
        "leaveActivity", "/v1/activities/" + activityId + "/enrollments", member.accessToken());
  }

  private static JsonObject activity(SignedIn reader, String activityId) {
    return client.get("getActivity", "/v1/activities/" + activityId, reader.accessToken()).json();
  }

  private static long admittedNotices(SignedIn member) {
    Reply inbox =
        client.get("listNotifications", "/v1/me/notifications?limit=100", member.accessToken());
    assertThat(inbox.status()).isEqualTo(200);
    return inbox.json().getJsonArray("items").stream()
        .map(JsonObject.class::cast)
        .filter(n -> "WAITLIST_ADMITTED".equals(n.getString("kind")))
        .count();
  }

  @Nested
  class Waitlist {

    @Test
    void a_full_activity_offers_the_waitlist_and_a_leave_admits_the_first_who_is_told() {
      SignedIn staff = Sessions.withRoles(client, EAST, "STAFF");
      String activityId =
          fixtures.activity(staff, body(EAST, "Tea with elders", inDays(2)).put("capacity", 1));
      SignedIn seated = Sessions.inCommunity(client, EAST);
      SignedIn first = Sessions.inCommunity(client, EAST);
      SignedIn second = Sessions.inCommunity(client, WEST);
      assertProblem(joinWaitlist(first, activityId), 409, "INVALID_STATE");
      assertThat(fixtures.enroll(seated, activityId).status()).isEqualTo(200);
      assertProblem(joinWaitlist(seated, activityId), 409, "INVALID_STATE");
      Reply full = fixtures.enroll(first, activityId);
      assertProblem(full, 409, "ACTIVITY_FULL");
      assertThat(full.json().getString("detail")).contains("候补");

      Reply joined = joinWaitlist(first, activityId);
      assertThat(joined.status()).as("%s", joined.body()).isEqualTo(200);
      assertThat(joined.json().getString("status")).isEqualTo("WAITLISTED");
      assertThat(joined.json().getInteger("position")).isEqualTo(1);
      assertThat(joinWaitlist(second, activityId).json().getInteger("position")).isEqualTo(2);
      assertThat(joinWaitlist(first, activityId).json().getInteger("position"))
          .as("joining twice keeps the place")
          .isEqualTo(1);
      assertThat(items(list(first, "communityId=" + EAST + "&" + q("Tea with elders"))))
          .first()
          .satisfies(item -> assertThat(item.getString("myEnrollment")).isEqualTo("WAITLISTED"));

      assertThat(leave(seated, activityId).status()).isEqualTo(204);
      JsonObject after = activity(staff, activityId);
      assertThat(after.getInteger("enrolled")).isEqualTo(1);
      assertThat(after.getInteger("seatsLeft")).isZero();
      assertThat(admittedNotices(first)).isEqualTo(1);
      assertThat(admittedNotices(second)).isZero();
      Reply inbox =
          client.send(
              "listNotifications",
              io.vertx.core.http.HttpMethod.GET,
              "/v1/me/notifications",
              null,
              first.accessToken(),
              Map.of("Accept-Language", "en"));
      assertThat(inbox.json().getJsonArray("items").getJsonObject(0).getString("title"))
          .isEqualTo("You got a seat");
      assertThat(
              client
                  .get(
                      "listAttendance",
                      "/v1/activities/" + activityId + "/attendance",
                      staff.accessToken())
                  .json()
                  .getJsonArray("items")
                  .getJsonObject(0)
                  .getString("memberId"))
          .isEqualTo(first.member().getString("memberId"));

      // The second leaves the waitlist; a seat freed then is free for anyone.
      assertThat(
              client
                  .delete(
                      "leaveWaitlist",
                      "/v1/activities/" + activityId + "/waitlist",
                      second.accessToken())
                  .status())
          .isEqualTo(204);
      assertThat(leave(first, activityId).status()).isEqualTo(204);
      assertThat(activity(staff, activityId).getInteger("seatsLeft")).isEqualTo(1);
      assertThat(admittedNotices(second)).isZero();
    }

    @Test
    void other_peoples_and_hidden_activities_are_not_found() {
      SignedIn staff = Sessions.withRoles(client, EAST, "STAFF");
      String party =
          fixtures.activity(
              staff,
              body(EAST, "Party", inDays(2))
                  .put("type", "PARTY")
                  .put("ruleId", partyRuleId)
                  .put("capacity", 1));
      SignedIn resident = Sessions.inCommunity(client, EAST);
      assertProblem(joinWaitlist(resident, party), 404, "NOT_FOUND");
      assertProblem(joinWaitlist(resident, "act_aaaaaaaaaaaaaaaaaaaa"), 404, "NOT_FOUND");
      assertProblem(joinWaitlist(resident, "not-an-id"), 400, "VALIDATION_FAILED");
    }

    @Test
    void concurrent_leaves_admit_each_waiting_member_once_in_order_never_above_capacity()
        throws Exception {
      int capacity = 10;
      SignedIn staff = Sessions.withRoles(client, EAST, "STAFF");
      String activityId =
          fixtures.activity(staff, body(EAST, "Crowded", inDays(2)).put("capacity", capacity));
      List<SignedIn> seated = new ArrayList<>();
      List<SignedIn> waiting = new ArrayList<>();
      for (int i = 0; i < capacity; i++) {
        SignedIn member = Sessions.inCommunity(client, EAST);
        assertThat(fixtures.enroll(member, activityId).status()).isEqualTo(200);
        seated.add(member);
      }
      for (int i = 0; i < 15; i++) {
        SignedIn member = Sessions.inCommunity(client, EAST);
        assertThat(joinWaitlist(member, activityId).json().getInteger("position")).isEqualTo(i + 1);
        waiting.add(member);
      }

      ExecutorService pool = Executors.newFixedThreadPool(capacity);
      try {
        leaveAtOnce(pool, seated.subList(0, 5), activityId);
        assertStates(waiting, activityId, capacity, i -> i < 5 ? "ENROLLED" : "WAITLISTED");
        List<SignedIn> rest = new ArrayList<>(seated.subList(5, capacity));
        rest.addAll(waiting.subList(0, 5));
        leaveAtOnce(pool, rest, activityId);
        assertStates(waiting, activityId, capacity, i -> i < 5 ? "NONE" : "ENROLLED");
      } finally {
        pool.shutdownNow();
      }
    }

    private void leaveAtOnce(ExecutorService pool, List<SignedIn> members, String activityId)
        throws Exception {
      List<Callable<Integer>> leaves =
          members.stream()
              .map(member -> (Callable<Integer>) () -> leave(member, activityId).status())
              .toList();
      for (Future<Integer> status : pool.invokeAll(leaves)) {
        assertThat(status.get()).isEqualTo(204);
      }
    }

    /**
     * The activity is full, with exactly its capacity in attendance; each waiting member is in the
     * state expected, and each who ever got a seat was told once.
     */
    private void assertStates(
        List<SignedIn> waiting, String activityId, int capacity, IntFunction<String> expected) {
      SignedIn staff = Sessions.withRoles(client, EAST, "STAFF");
      JsonObject activity = activity(staff, activityId);
      assertThat(activity.getInteger("enrolled")).isEqualTo(capacity);
      assertThat(activity.getInteger("seatsLeft")).isZero();
      assertThat(
              client
                  .get(
                      "listAttendance",
                      "/v1/activities/" + activityId + "/attendance",
                      staff.accessToken())
                  .json()
                  .getJsonArray("items"))
          .hasSize(capacity);
      for (int i = 0; i < waiting.size(); i++) {
        SignedIn member = waiting.get(i);
        String mine =
            items(list(member, "communityId=" + EAST + "&" + q("Crowded"))).stream()
                .filter(item -> activityId.equals(item.getString("activityId")))
                .findFirst()
                .orElseThrow()
                .getString("myEnrollment");
        assertThat(mine).as("member %d", i).isEqualTo(expected.apply(i));
        long told = expected.apply(i).equals("WAITLISTED") ? 0 : 1;
        assertThat(admittedNotices(member)).as("notices of member %d", i).isEqualTo(told);
      }
    }
  }
}
