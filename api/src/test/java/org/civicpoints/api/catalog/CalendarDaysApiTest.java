package org.civicpoints.api.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.civicpoints.api.support.LedgerRig.awaitUntil;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.civicpoints.api.support.ApiClient;
import org.civicpoints.api.support.ApiClient.Reply;
import org.civicpoints.api.support.Sessions;
import org.civicpoints.api.support.Sessions.SignedIn;
import org.civicpoints.api.support.SettableClock;
import org.civicpoints.api.support.TestApi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Days are Beijing days (CIVIC_TIME_ZONE's default, Asia/Shanghai, UTC+8): a claim's "today", the
 * activity's dates, and so the month, week and trend day an award counts in. The server runs on a
 * clock the test sets; every award goes through the relay and the real ledger to the boards.
 */
class CalendarDaysApiTest {

  private static final String ADMIN_PHONE = "+8613700000077";
  private static final String EAST = "c-east-1a";
  private static final Duration WITHIN = Duration.ofSeconds(30);
  private static final SettableClock CLOCK =
      new SettableClock(Instant.parse("2026-11-29T15:00:00Z"));
  private static TestApi api;
  private static ApiClient client;
  private static CatalogFixtures fixtures;
  private static String activityId;

  /** Signed in after the clock's last move: access tokens live 15 minutes. */
  private SignedIn admin;

  @BeforeAll
  static void start() {
    api = TestApi.start(Map.of("BOOTSTRAP_ADMIN_PHONE", ADMIN_PHONE), CLOCK);
    client = api.client;
    fixtures = new CatalogFixtures(client);
    SignedIn admin = Sessions.signIn(client, new JsonObject().put("phone", ADMIN_PHONE));
    String ruleId = fixtures.rule(admin, "VOLUNTEER", 10);
    fixtures.awaitRuleOnChain(admin, ruleId);
    // Monday 30 November 00:00 to Tuesday 1 December 01:00 in Beijing: Sunday 16:00 to Monday
    // 17:00 in UTC.
    activityId =
        fixtures.activity(
            Sessions.withRoles(client, EAST, "STAFF"),
            fixtures
                .activityBody(EAST, "VOLUNTEER", ruleId, "NONE")
                .put("startsAt", "2026-11-29T16:00:00Z")
                .put("endsAt", "2026-11-30T17:00:00Z"));
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  /** The clock only moves forward: sign-in limits and leases, like real ones, expect that. */
  @Test
  void a_day_runs_from_midnight_to_midnight_beijing_time() {
    CLOCK.set(Instant.parse("2026-11-29T15:30:00Z")); // Sunday 29 November, 23:30 in Beijing
    String sunday = Sessions.freshPhone();
    assertInTheFuture(claim(resident(sunday), "2026-11-30"));

    CLOCK.set(Instant.parse("2026-11-29T16:30:00Z")); // Monday 30 November, 00:30 in Beijing
    String monday = created(claim(resident(sunday), "2026-11-30"));

    CLOCK.set(Instant.parse("2026-11-30T15:30:00Z")); // Monday 30 November, 23:30 in Beijing
    String late = Sessions.freshPhone();
    assertInTheFuture(claim(resident(late), "2026-12-01"));
    String november = created(claim(resident(late), "2026-11-30"));

    CLOCK.set(Instant.parse("2026-11-30T16:30:00Z")); // Tuesday 1 December, 00:30 in Beijing
    String early = Sessions.freshPhone();
    String december = created(claim(resident(early), "2026-12-01"));

    admin = Sessions.signIn(client, new JsonObject().put("phone", ADMIN_PHONE));
    long block = Math.max(recorded(monday), Math.max(recorded(november), recorded(december)));
    assertThat(membersOn("month:2026-12", block)).containsExactly(memberId(early));
    assertThat(membersOn("month:2026-11", block))
        .containsExactlyInAnyOrder(memberId(sunday), memberId(late));
    assertThat(membersOn("week:2026-W49", block))
        .containsExactlyInAnyOrder(memberId(sunday), memberId(late), memberId(early));
    assertThat(membersOn("week:2026-W48", block)).isEmpty();
    assertThat(pointsOn("month:2026-12", "2026-12-01")).isEqualTo(10);
    assertThat(pointsOn("month:2026-11", "2026-11-30")).isEqualTo(20);
    assertThat(pointsOn("month:2026-11", "2026-11-29")).isZero();
  }

  /** Signs the resident with this phone in again: access tokens live 15 minutes of the clock. */
  private static SignedIn resident(String phone) {
    return Sessions.signIn(client, new JsonObject().put("phone", phone).put("communityId", EAST));
  }

  private static String memberId(String phone) {
    return resident(phone).memberId();
  }

  private static void assertInTheFuture(Reply claim) {
    assertThat(claim.status()).as("claim: %s", claim.body()).isEqualTo(400);
    assertThat(claim.code()).isEqualTo("VALIDATION_FAILED");
    assertThat(claim.json().getJsonArray("errors").getJsonObject(0).getString("message"))
        .isEqualTo("cannot be in the future");
  }

  private static Reply claim(SignedIn resident, String occurredOn) {
    return fixtures.submit(
        resident,
        UUID.randomUUID().toString(),
        CatalogFixtures.submission(activityId, 1).put("occurredOn", occurredOn));
  }

  private static String created(Reply reply) {
    assertThat(reply.status()).as("claim: %s", reply.body()).isEqualTo(201);
    return reply.json().getString("submissionId");
  }

  /** Approves the claim and waits until the chain recorded it; answers its block. */
  private long recorded(String submissionId) {
    Reply approved =
        client.post(
            "approveSubmission",
            "/v1/submissions/" + submissionId + "/approve",
            new JsonObject(),
            admin.accessToken());
    assertThat(approved.status()).as("approval: %s", approved.body()).isEqualTo(200);
    awaitUntil(
        "submission " + submissionId + " recorded",
        WITHIN,
        () -> "RECORDED".equals(submission(submissionId).getString("status")));
    return submission(submissionId).getJsonObject("ledger").getLong("blockNumber");
  }

  private JsonObject submission(String submissionId) {
    return client
        .get("getSubmission", "/v1/submissions/" + submissionId, admin.accessToken())
        .json();
  }

  /** The members on the community's board of a period, once the board has seen {@code block}. */
  private List<String> membersOn(String period, long block) {
    String path = "/v1/leaderboards?scope=community:" + EAST + "&period=" + period;
    awaitUntil(
        "the " + period + " board at block " + block,
        WITHIN,
        () ->
            client.get("getLeaderboard", path, admin.accessToken()).json().getLong("asOfBlock")
                >= block);
    JsonArray entries =
        client.get("getLeaderboard", path, admin.accessToken()).json().getJsonArray("entries");
    return entries.stream().map(entry -> ((JsonObject) entry).getString("memberId")).toList();
  }

  private long pointsOn(String period, String date) {
    JsonArray days =
        client
            .get(
                "getLeaderboardTrend",
                "/v1/leaderboards/trend?scope=community:" + EAST + "&period=" + period,
                admin.accessToken())
            .json()
            .getJsonArray("days");
    return days.stream()
        .map(JsonObject.class::cast)
        .filter(day -> day.getString("date").equals(date))
        .findFirst()
        .orElseThrow()
        .getLong("points");
  }
}
