package org.civicpoints.api.ledger;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.model.Filters;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.bson.Document;
import org.civicpoints.api.domain.Ids;
import org.civicpoints.api.support.ApiClient.Reply;
import org.civicpoints.api.support.Eventually;
import org.civicpoints.api.support.LedgerRig;
import org.civicpoints.api.support.LegacyAccounts;
import org.civicpoints.api.support.MongoProbe;
import org.civicpoints.api.support.MovableClock;
import org.civicpoints.api.support.Sessions;
import org.civicpoints.api.support.Sessions.SignedIn;
import org.junit.jupiter.api.Test;

/**
 * Points expiry through HTTP, the real relay, projector and devnet, on a clock the test moves: a
 * year's points expire once after the end of the year after, the member is told 30 and 7 days ahead
 * once each, nothing expires under the policy NONE, and a restart in the middle of an expiry run
 * loses and doubles nothing.
 */
class PointsExpiryApiTest {

  private static final Duration WITHIN = Duration.ofSeconds(90);
  private static final ZoneId BEIJING = ZoneId.of("Asia/Shanghai");

  /**
   * The earning year of the points that expire: two years back, so every day the test uses is past
   * for the chain too (its transactions carry the real time, and it expires only ended years).
   */
  private static final int OLD = LocalDate.now(ZoneOffset.UTC).getYear() - 2;

  private static final int RECENT = OLD + 1;
  private static final LocalDate LAST_DAY_OF_OLD = LocalDate.of(RECENT, 12, 31);
  private static final Map<String, String> ONE_YEAR_AFTER =
      Map.of("CIVIC_EXPIRY_POLICY", "END_OF_YEAR_AFTER", "CIVIC_EXPIRY_YEARS", "1");

  @Test
  void
      a_years_points_expire_once_after_the_end_of_the_next_year_with_notices_30_and_7_days_before() {
    MovableClock clock = clockAt(LAST_DAY_OF_OLD.minusDays(40), 12);
    try (LedgerRig rig = LedgerRig.start(LedgerRig.Store.MEMORY, clock, ONE_YEAR_AFTER)) {
      String rule = volunteerRule(rig);
      SignedIn resident = Sessions.inCommunity(rig.client, LedgerRig.COMMUNITY);
      recordAward(rig, resident.memberId(), rule, LocalDate.of(OLD, 6, 1));
      recordAward(rig, resident.memberId(), rule, LocalDate.of(RECENT, 6, 1));
      spendInTheMall(rig, resident, 3);

      JsonObject before = myPoints(rig, resident);
      assertThat(before.getLong("balance")).isEqualTo(17);
      assertThat(before.getJsonArray("expiring"))
          .isEqualTo(
              new JsonArray()
                  .add(expiring(OLD, 7, LAST_DAY_OF_OLD))
                  .add(expiring(RECENT, 10, LocalDate.of(RECENT + 1, 12, 31))));
      assertExpiringAsOnChain(rig, resident.memberId(), before);
      assertThat(expiryNotices(rig, resident)).isEmpty();

      moveTo(clock, LAST_DAY_OF_OLD.minusDays(26), 12);
      SignedIn month = signInAgain(rig, resident);
      Eventually.until("the 30-day notice", WITHIN, () -> expiryNotices(rig, month).size() == 1);
      assertThat(expiryNotices(rig, month).get(0).getJsonObject("data").getMap())
          .containsEntry("year", OLD)
          .containsEntry("points", 7)
          .containsEntry("expiresOn", LAST_DAY_OF_OLD.toString())
          .containsEntry("days", 30);

      // A lot that appears after the 30-day round ran (an award for that year recorded late) gets
      // its 30-day notice the next day, once.
      SignedIn late = Sessions.inCommunity(rig.client, LedgerRig.COMMUNITY);
      recordAward(rig, late.memberId(), rule, LocalDate.of(OLD, 7, 1));
      moveTo(clock, LAST_DAY_OF_OLD.minusDays(25), 12);
      SignedIn lateNextDay = signInAgain(rig, late);
      Eventually.until(
          "the late lot's 30-day notice",
          WITHIN,
          () -> expiryNotices(rig, lateNextDay).size() == 1);
      moveTo(clock, LAST_DAY_OF_OLD.minusDays(24), 12);
      SignedIn lateDayAfter = signInAgain(rig, late);
      Eventually.until(
          "the next day's round ran",
          WITHIN,
          () ->
              rig.mongo.count(
                      "expiry_runs",
                      Filters.eq("_id", "notices-" + OLD + "-30-" + LAST_DAY_OF_OLD.minusDays(24)))
                  == 1);
      assertThat(expiryNotices(rig, lateDayAfter)).as("told once").hasSize(1);
      assertThat(expiryNotices(rig, signInAgain(rig, resident))).as("told once").hasSize(1);

      moveTo(clock, LAST_DAY_OF_OLD.minusDays(5), 12);
      SignedIn later = signInAgain(rig, resident);
      Eventually.until("the 7-day notice", WITHIN, () -> expiryNotices(rig, later).size() == 2);
      assertThat(
              expiryNotices(rig, later).stream()
                  .map(notice -> notice.getJsonObject("data").getInteger("days")))
          .containsExactlyInAnyOrder(30, 7);

      moveTo(clock, LAST_DAY_OF_OLD.plusDays(1), 0);
      SignedIn nextYear = signInAgain(rig, resident);
      SignedIn admin = Sessions.withRoles(rig.client, LedgerRig.COMMUNITY, "ADMIN");
      Eventually.until(
          "the old points expired and projected",
          WITHIN,
          () -> myPoints(rig, nextYear).getLong("expired") == 7);
      JsonObject after = myPoints(rig, nextYear);
      assertThat(after.getLong("balance")).isEqualTo(10);
      assertThat(after.getJsonArray("expiring"))
          .isEqualTo(new JsonArray().add(expiring(RECENT, 10, LocalDate.of(RECENT + 1, 12, 31))));
      assertExpiringAsOnChain(rig, nextYear.memberId(), after);
      JsonObject expiry = expiryEntry(rig, nextYear);
      assertThat(expiry.getLong("points")).isEqualTo(-7);
      assertThat(rig.chainEntry(expiry.getString("entryId")).orElseThrow().getLong("points"))
          .isEqualTo(-7);
      Eventually.until(
          "the run found nothing left and nothing is pending",
          WITHIN,
          () -> {
            JsonObject run = expiryStatus(rig, admin);
            return run.getLong("commandsPending") == 0
                && run.containsKey("lastRun")
                && run.getJsonObject("lastRun").getLong("lotsFound") == 0;
          });
      JsonObject status = expiryStatus(rig, admin);
      assertThat(status.getString("policy")).isEqualTo("END_OF_YEAR_AFTER");
      assertThat(status.getJsonObject("lastRun").getInteger("throughYear")).isEqualTo(OLD);
      assertThat(status.getJsonObject("next"))
          .isEqualTo(
              new JsonObject()
                  .put("year", RECENT)
                  .put("expiresOn", LocalDate.of(RECENT + 1, 12, 31).toString()));
      assertThat(expiryNotices(rig, nextYear)).hasSize(2);
      assertThat(rig.mongo.count("point_expiries", new Document()))
          .as("one Expire per lot: the resident's and the late member's")
          .isEqualTo(2);

      // Another command for the same lot: the chain answers ALREADY_EXPIRED, which counts as done.
      String again = "expiry-again-" + nextYear.memberId();
      queueExpiry(rig, again, nextYear.memberId(), OLD);
      Eventually.until(
          "the second command settled",
          WITHIN,
          () ->
              !"QUEUED"
                  .equals(
                      rig.mongo
                          .findOne("point_expiries", eq("_id", again))
                          .get("ledger", Document.class)
                          .getString("state")));
      assertThat(
              rig.mongo
                  .findOne("point_expiries", eq("_id", again))
                  .get("ledger", Document.class)
                  .getString("state"))
          .isEqualTo("SUBMITTED");
      assertThat(rig.chainEntry(again)).isEmpty();
      assertThat(rig.chainAccount(nextYear.memberId()).orElseThrow().getLong("expired"))
          .isEqualTo(7);
    }
  }

  /**
   * The read model's lots are the chain's after a migration and after a reversal whose lot has
   * expired: an account from before lots gets its migrated lot shown and expired, and the debt the
   * chain moves to the youngest lot is there in {@code point_lots} too.
   */
  @Test
  void
      a_migrated_lot_is_shown_and_expires_and_a_late_reversals_debt_lands_where_the_chain_puts_it() {
    MovableClock clock = clockAt(LAST_DAY_OF_OLD.minusDays(40), 12);
    try (LedgerRig rig = LedgerRig.start(LedgerRig.Store.MEMORY, clock, ONE_YEAR_AFTER)) {
      String rule = volunteerRule(rig);
      SignedIn legacy = Sessions.inCommunity(rig.client, LedgerRig.COMMUNITY);
      LegacyAccounts.seed(rig.chain(), legacy.memberId(), 25, OLD + "-06-01T08:00:00Z");
      recordAward(rig, legacy.memberId(), rule, LocalDate.of(RECENT, 6, 1));
      SignedIn reversed = Sessions.inCommunity(rig.client, LedgerRig.COMMUNITY);
      String oldAward = award(rig, reversed.memberId(), rule, LocalDate.of(OLD, 6, 1));
      awaitRecorded(rig, oldAward);
      recordAward(rig, reversed.memberId(), rule, LocalDate.of(RECENT, 6, 1));

      JsonObject migrated = myPoints(rig, legacy);
      assertThat(migrated.getLong("balance")).isEqualTo(35);
      assertThat(migrated.getJsonArray("expiring"))
          .isEqualTo(
              new JsonArray()
                  .add(expiring(OLD, 25, LAST_DAY_OF_OLD))
                  .add(expiring(RECENT, 10, LocalDate.of(RECENT + 1, 12, 31))));
      assertExpiringAsOnChain(rig, legacy.memberId(), migrated);

      moveTo(clock, LAST_DAY_OF_OLD.plusDays(1), 0);
      SignedIn legacyNextYear = signInAgain(rig, legacy);
      Eventually.until(
          "the migrated lot expired and projected",
          WITHIN,
          () -> myPoints(rig, legacyNextYear).getLong("expired") == 25);
      JsonObject afterExpiry = myPoints(rig, legacyNextYear);
      assertThat(afterExpiry.getLong("balance")).isEqualTo(10);
      assertExpiringAsOnChain(rig, legacy.memberId(), afterExpiry);
      assertThat(rig.chainAccount(legacy.memberId()).orElseThrow().getLong("expired"))
          .isEqualTo(25);

      SignedIn reversedNextYear = signInAgain(rig, reversed);
      Eventually.until(
          "the old award's lot expired",
          WITHIN,
          () -> myPoints(rig, reversedNextYear).getLong("expired") == 10);
      rig.requestReversal(oldAward, "found to be a duplicate after the year's end");
      Eventually.until(
          "the reversal on the chain and projected",
          WITHIN,
          () -> "REVERSED".equals(rig.submission(oldAward).getString("status")));
      JsonObject afterReversal = myPoints(rig, reversedNextYear);
      assertThat(afterReversal.getLong("balance")).isZero();
      assertThat(afterReversal.getJsonArray("expiring"))
          .as("the debt emptied the youngest lot, as on the chain")
          .isEmpty();
      assertExpiringAsOnChain(rig, reversed.memberId(), afterReversal);
      Document expiredLot =
          rig.mongo.findOne(
              "point_lots", and(eq("memberId", reversed.memberId()), eq("year", OLD)));
      assertThat(expiredLot.get("points", Number.class).longValue()).isZero();
      assertThat(expiredLot.getBoolean("closed")).isTrue();
    }
  }

  /** An Expire command as the expiry job queues it. */
  private static void queueExpiry(LedgerRig rig, String entryId, String memberId, int year) {
    Document expire =
        new Document("entryId", entryId)
            .append("memberId", memberId)
            .append("year", year)
            .append("actor", "system");
    MongoProbe.await(
        rig.mongo
            .collection("point_expiries")
            .insertOne(
                new Document("_id", entryId)
                    .append("memberId", memberId)
                    .append("year", year)
                    .append(
                        "ledger",
                        new Document("state", "QUEUED")
                            .append("entryId", entryId)
                            .append("queuedAt", new java.util.Date())
                            .append("attempts", 0)
                            .append("leaseUntil", new java.util.Date(0))
                            .append("expire", expire))));
  }

  @Test
  void under_the_policy_none_nothing_expires_and_nobody_is_told() {
    MovableClock clock = clockAt(LAST_DAY_OF_OLD.minusDays(6), 12);
    try (LedgerRig rig = LedgerRig.start(LedgerRig.Store.MEMORY, clock)) {
      String rule = volunteerRule(rig);
      SignedIn resident = Sessions.inCommunity(rig.client, LedgerRig.COMMUNITY);
      recordAward(rig, resident.memberId(), rule, LocalDate.of(OLD, 6, 1));
      assertThat(myPoints(rig, resident).getJsonArray("expiring")).isEmpty();

      moveTo(clock, LAST_DAY_OF_OLD.plusDays(1), 0);
      // A later award on the chain, recorded after the year's end: the relay and projector ran.
      recordAward(rig, resident.memberId(), rule, LocalDate.of(RECENT, 6, 1));
      SignedIn admin = Sessions.withRoles(rig.client, LedgerRig.COMMUNITY, "ADMIN");
      JsonObject status = expiryStatus(rig, admin);
      assertThat(status.getMap())
          .containsEntry("policy", "NONE")
          .containsEntry("commandsPending", 0)
          .doesNotContainKeys("next", "lastRun");
      SignedIn later = signInAgain(rig, resident);
      JsonObject mine = myPoints(rig, later);
      assertThat(mine.getLong("balance")).isEqualTo(20);
      assertThat(mine.getLong("expired")).isZero();
      assertThat(mine.getJsonArray("expiring")).isEmpty();
      assertThat(rig.chainAccount(later.memberId()).orElseThrow().getLong("expired")).isZero();
      assertThat(expiryNotices(rig, later)).isEmpty();
      assertThat(rig.mongo.count("point_expiries", new Document())).isZero();
    }
  }

  /** The ledger goes down in the middle of the run, and the API restarts while it is down. */
  @Test
  void a_ledger_outage_and_a_restart_in_the_middle_of_an_expiry_run_lose_and_double_nothing()
      throws Exception {
    MovableClock clock = clockAt(LAST_DAY_OF_OLD, 12);
    try (LedgerRig rig = LedgerRig.start(LedgerRig.Store.MEMORY, clock, ONE_YEAR_AFTER)) {
      String rule = volunteerRule(rig);
      List<String> members = new ArrayList<>();
      List<String> awards = new ArrayList<>();
      for (int i = 0; i < 60; i++) {
        String memberId = Ids.memberId();
        members.add(memberId);
        awards.add(award(rig, memberId, rule, LocalDate.of(OLD, 3 + i % 9, 1)));
        awards.add(award(rig, memberId, rule, LocalDate.of(RECENT, 5, 1)));
      }
      awards.forEach(award -> awaitRecorded(rig, award));

      moveTo(clock, LAST_DAY_OF_OLD.plusDays(1), 0);
      Eventually.until(
          "the first expiries on the chain",
          WITHIN,
          () -> rig.mongo.count("point_expiries", eq("ledger.state", "SUBMITTED")) > 0);
      rig.chain().faults().stopServer();
      rig.stopApi();
      long doneAtRestart = rig.mongo.count("point_expiries", eq("ledger.state", "SUBMITTED"));
      rig.startApi();
      Eventually.until(
          "the relay meeting the outage",
          WITHIN,
          () -> rig.mongo.count("point_expiries", Filters.gte("ledger.attempts", 2)) > 0);
      rig.chain().faults().restartServer();
      rig.chain().faults().failNextSubmits(3);

      Eventually.until(
          "every old lot expired and projected",
          WITHIN,
          () -> rig.mongo.count("point_lots", and(eq("year", OLD), eq("closed", true))) == 60);
      assertThat(doneAtRestart).as("expiries done before the restart").isLessThan(60);
      assertThat(rig.mongo.count("point_expiries", new Document())).isEqualTo(60);
      assertThat(rig.mongo.count("point_expiries", eq("ledger.state", "SUBMITTED"))).isEqualTo(60);
      for (String memberId : members) {
        JsonObject account = rig.chainAccount(memberId).orElseThrow();
        Document balance = rig.mongo.findOne("balances", eq("_id", memberId));
        assertThat(account.getLong("expired")).as(memberId).isEqualTo(10);
        assertThat(account.getLong("balance")).as(memberId).isEqualTo(10);
        assertThat(balance.getLong("balance")).as(memberId).isEqualTo(10);
        assertThat(balance.getLong("expired")).as(memberId).isEqualTo(10);
        assertThat(
                rig.mongo.count(
                    "ledger_entries", and(eq("memberId", memberId), eq("kind", "EXPIRY"))))
            .as(memberId)
            .isEqualTo(1);
      }
    }
  }

  // --- helpers

  /** A clock the test moves, set to {@code hour} o'clock of {@code day} in Beijing. */
  private static MovableClock clockAt(LocalDate day, int hour) {
    MovableClock clock = new MovableClock();
    moveTo(clock, day, hour);
    return clock;
  }

  /** Volunteering at 5 points a unit, no cap in reach. */
  private static String volunteerRule(LedgerRig rig) {
    return rig.seedRule("VOLUNTEER", 5, 1_000_000, 10_000_000, true);
  }

  /** Sets the clock to {@code hour} o'clock of {@code day} in Beijing. */
  private static void moveTo(MovableClock clock, LocalDate day, int hour) {
    clock.advance(
        Duration.between(
            clock.instant(),
            LocalDateTime.of(day, java.time.LocalTime.of(hour, 30)).atZone(BEIJING).toInstant()));
  }

  /** One approved award of 10 points (2 units of 5) for {@code day}, queued as an approval does. */
  private static String award(LedgerRig rig, String memberId, String rule, LocalDate day) {
    return rig.seedApproved(memberId, rule, "VOLUNTEER", 10, 2, day, 1).get(0);
  }

  /** An award of 10 points for {@code day}, recorded on the chain and projected. */
  private static void recordAward(LedgerRig rig, String memberId, String rule, LocalDate day) {
    awaitRecorded(rig, award(rig, memberId, rule, day));
  }

  private static void awaitRecorded(LedgerRig rig, String submissionId) {
    Eventually.until(
        "the award recorded",
        WITHIN,
        () -> "RECORDED".equals(rig.submission(submissionId).getString("status")));
  }

  /** A reward of {@code cost} points redeemed and on the chain: it spends the oldest points. */
  private static void spendInTheMall(LedgerRig rig, SignedIn resident, long cost) {
    SignedIn staff = Sessions.withRoles(rig.client, LedgerRig.COMMUNITY, "STAFF");
    JsonObject reward =
        new JsonObject()
            .put("scope", "community:" + LedgerRig.COMMUNITY)
            .put("title", "Umbrella")
            .put("category", "GOODS")
            .put("pointsCost", cost)
            .put("stock", 5)
            .put("pickupDeadlineDays", 30);
    String rewardId =
        rig.client
            .post("createReward", "/v1/rewards", reward, staff.accessToken())
            .json()
            .getString("rewardId");
    Reply redeemed =
        rig.client.send(
            "redeemReward",
            HttpMethod.POST,
            "/v1/rewards/" + rewardId + "/redemptions",
            null,
            resident.accessToken(),
            Map.of("Idempotency-Key", UUID.randomUUID().toString()));
    assertThat(redeemed.status()).as(redeemed.body().toString()).isEqualTo(201);
    String redemptionId = redeemed.json().getString("redemptionId");
    Eventually.until(
        "the redemption on the chain and projected",
        WITHIN,
        () ->
            "REDEEMED"
                .equals(
                    rig.mongo.findOne("redemptions", eq("_id", redemptionId)).getString("status")));
    // Picked up, so the mall's own deadline does not cancel and refund it as the clock moves.
    String code = rig.mongo.findOne("redemptions", eq("_id", redemptionId)).getString("pickupCode");
    Reply fulfilled =
        rig.client.post(
            "fulfilRedemption",
            "/v1/redemptions/" + redemptionId + "/fulfil",
            new JsonObject().put("pickupCode", code),
            staff.accessToken());
    assertThat(fulfilled.status()).as(fulfilled.body().toString()).isEqualTo(200);
  }

  private static JsonObject expiring(int year, long points, LocalDate expiresOn) {
    return new JsonObject()
        .put("year", year)
        .put("points", points)
        .put("expiresOn", expiresOn.toString());
  }

  private static JsonObject myPoints(LedgerRig rig, SignedIn member) {
    Reply reply = rig.client.get("getMyPoints", "/v1/me/points", member.accessToken());
    assertThat(reply.status()).as(reply.body().toString()).isEqualTo(200);
    return reply.json();
  }

  /** The read model's balance, expired total and lots are the chain's account. */
  private static void assertExpiringAsOnChain(LedgerRig rig, String memberId, JsonObject mine) {
    JsonObject account = rig.chainAccount(memberId).orElseThrow();
    assertThat(mine.getLong("balance")).isEqualTo(account.getLong("balance"));
    assertThat(mine.getLong("expired")).isEqualTo(account.getLong("expired"));
    JsonObject lots = account.getJsonObject("lots").getJsonObject("live");
    Map<String, Long> live = new HashMap<>();
    lots.fieldNames().forEach(year -> live.put(year, lots.getLong(year)));
    Map<String, Long> shown = new HashMap<>();
    mine.getJsonArray("expiring").stream()
        .map(JsonObject.class::cast)
        .forEach(lot -> shown.put(String.valueOf(lot.getInteger("year")), lot.getLong("points")));
    assertThat(shown).isEqualTo(live);
  }

  private static List<JsonObject> expiryNotices(LedgerRig rig, SignedIn member) {
    Reply reply = rig.client.get("listNotifications", "/v1/me/notifications", member.accessToken());
    assertThat(reply.status()).as(reply.body().toString()).isEqualTo(200);
    List<JsonObject> notices = new ArrayList<>();
    reply.json().getJsonArray("items").stream()
        .map(JsonObject.class::cast)
        .filter(notice -> "POINTS_EXPIRING".equals(notice.getString("kind")))
        .forEach(notices::add);
    return notices;
  }

  /** The member's one EXPIRY entry, as the read model lists it. */
  private static JsonObject expiryEntry(LedgerRig rig, SignedIn member) {
    Reply reply =
        rig.client.get("listMyPointEntries", "/v1/me/points/entries", member.accessToken());
    assertThat(reply.status()).as(reply.body().toString()).isEqualTo(200);
    List<JsonObject> expiries =
        reply.json().getJsonArray("items").stream()
            .map(JsonObject.class::cast)
            .filter(entry -> "EXPIRY".equals(entry.getString("kind")))
            .toList();
    assertThat(expiries).hasSize(1);
    return expiries.get(0);
  }

  private static JsonObject expiryStatus(LedgerRig rig, SignedIn admin) {
    Reply reply = rig.client.get("getLedgerStatus", "/v1/ledger/status", admin.accessToken());
    assertThat(reply.status()).as(reply.body().toString()).isEqualTo(200);
    return reply.json().getJsonObject("expiry");
  }

  /** A new session on the moved clock (the old access token has expired meanwhile). */
  private static SignedIn signInAgain(LedgerRig rig, SignedIn member) {
    return Sessions.signIn(rig.client, new JsonObject().put("phone", member.phone()));
  }
}
