package org.civicpoints.api.mall;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.bson.Document;
import org.civicpoints.api.domain.Ids;
import org.civicpoints.api.support.ApiClient.Reply;
import org.civicpoints.api.support.Eventually;
import org.civicpoints.api.support.LedgerRig;
import org.civicpoints.api.support.MongoProbe;
import org.civicpoints.api.support.Sessions;
import org.civicpoints.api.support.Sessions.SignedIn;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Redemptions made while the ledger is down, sent through injected submit failures and an API
 * restart in the middle: every one is redeemed exactly once, and the read model equals the chain.
 */
class RedemptionReliabilityTest {

  private static final int MEMBERS = 20;
  private static final int EACH = 2;
  private static LedgerRig rig;

  @BeforeAll
  static void start() {
    rig = LedgerRig.start();
  }

  @AfterAll
  static void stop() {
    rig.close();
  }

  @Test
  void a_ledger_outage_and_an_api_restart_lose_and_double_no_redemption() throws Exception {
    String rule = rig.seedRule("VOLUNTEER", 5, 1_000_000, 10_000_000, true);
    SignedIn staff = Sessions.withRoles(rig.client, LedgerRig.COMMUNITY, "STAFF");
    List<SignedIn> members = new ArrayList<>();
    List<String> awards = new ArrayList<>();
    for (int i = 0; i < MEMBERS; i++) {
      SignedIn member = Sessions.inCommunity(rig.client, LedgerRig.COMMUNITY);
      members.add(member);
      awards.addAll(
          rig.seedApproved(member.memberId(), rule, "VOLUNTEER", 10, 2, LocalDate.now(), 1));
    }
    awaitRecorded(awards);
    String rewardId = createReward(staff, new JsonObject());

    rig.chain().faults().stopServer();
    for (SignedIn member : members) {
      for (int i = 0; i < EACH; i++) {
        assertThat(redeem(rewardId, member).status()).isEqualTo(201);
      }
    }
    Eventually.until(
        "the relay meeting the outage",
        Duration.ofSeconds(20),
        () -> rig.mongo.count("redemptions", Filters.gte("ledger.attempts", 2)) > 0);
    rig.chain().faults().restartServer();
    rig.chain().faults().failNextSubmits(3);
    Eventually.until("some redeemed", Duration.ofSeconds(60), () -> redeemed(rewardId) > 0);
    rig.stopApi();
    rig.startApi();

    Eventually.until(
        "all redeemed", Duration.ofSeconds(90), () -> redeemed(rewardId) == MEMBERS * EACH);
    List<Document> all = rig.mongo.find("redemptions", Filters.eq("rewardId", rewardId));
    assertThat(all).hasSize(MEMBERS * EACH);
    assertThat(all.stream().map(d -> d.getString("pickupCode")).distinct()).hasSize(all.size());
    all.forEach(
        redemption -> {
          JsonObject entry = rig.chainEntry(redemption.getString("_id")).orElseThrow();
          assertThat(entry.getString("txId")).isEqualTo(redemption.getString("txId"));
        });
    for (SignedIn member : members) {
      long chain = rig.chainAccount(member.memberId()).orElseThrow().getLong("balance");
      assertThat(chain).as("nothing spent twice").isEqualTo(10 - EACH * 3);
      Eventually.until(
          "the read model at the chain's balance",
          Duration.ofSeconds(30),
          () -> readModelBalance(member.memberId()) == chain);
    }
  }

  /**
   * What a request that died between writing its redemption and queueing it leaves behind (a
   * RESERVING redemption holding a unit and a limit slot), and a chain refusal whose release died
   * (FAILED, still holding both): the server gives both back once, the dead request never reaches
   * the chain, and the members can redeem again.
   */
  @Test
  void a_request_that_died_midway_gives_its_stock_and_limit_slot_back() {
    SignedIn staff = Sessions.withRoles(rig.client, LedgerRig.COMMUNITY, "STAFF");
    String rewardId = createReward(staff, new JsonObject().put("stock", 2).put("limitPerMonth", 1));
    SignedIn died = Sessions.inCommunity(rig.client, LedgerRig.COMMUNITY);
    SignedIn unreleased = Sessions.inCommunity(rig.client, LedgerRig.COMMUNITY);
    String dead = leftHolding(rewardId, died, "PENDING", "RESERVING");
    String failed = leftHolding(rewardId, unreleased, "FAILED", "DONE");
    SignedIn other = Sessions.inCommunity(rig.client, LedgerRig.COMMUNITY);
    assertThat(redeem(rewardId, other).code()).as("both units held").isEqualTo("OUT_OF_STOCK");

    Eventually.until(
        "the dead request's reservation failed and both given back",
        Duration.ofSeconds(30),
        () -> stock(rewardId, staff) == 2);
    Reply seen = rig.client.get("getRedemption", "/v1/redemptions/" + dead, died.accessToken());
    assertThat(seen.json().getString("status")).isEqualTo("FAILED");
    assertThat(seen.json().getString("reason")).isEqualTo("INTERRUPTED");
    assertThat(rig.mongo.findOne("redemptions", Filters.eq("_id", failed)).getBoolean("released"))
        .isTrue();
    assertThat(redeem(rewardId, died).status()).as("the slot came back").isEqualTo(201);
    assertThat(redeem(rewardId, unreleased).status()).as("the slot came back").isEqualTo(201);
    assertThat(redeem(rewardId, other).code()).isEqualTo("OUT_OF_STOCK");
    assertThat(stock(rewardId, staff)).as("given back once, never twice").isZero();
    assertThat(rig.chainEntry(dead)).as("never relayed").isEmpty();
  }

  /**
   * Requests whose process died between writing their redemption and queueing it, retried with
   * their keys after the restart (as the app does): one that held all it needs is queued at once
   * and redeemed once; one that died before taking its unit of the stock fails as INTERRUPTED at
   * once, with its slot of the month back. Neither waits for the repair.
   */
  @Test
  void a_retry_after_a_crash_takes_up_what_its_request_left() {
    String rule = rig.seedRule("VOLUNTEER", 5, 1_000_000, 10_000_000, true);
    SignedIn staff = Sessions.withRoles(rig.client, LedgerRig.COMMUNITY, "STAFF");
    String rewardId = createReward(staff, new JsonObject().put("stock", 5).put("limitPerMonth", 1));
    SignedIn held = Sessions.inCommunity(rig.client, LedgerRig.COMMUNITY);
    List<String> awards =
        rig.seedApproved(held.memberId(), rule, "VOLUNTEER", 10, 2, LocalDate.now(), 1);
    awaitRecorded(awards);
    SignedIn halfway = Sessions.inCommunity(rig.client, LedgerRig.COMMUNITY);
    Duration crashedAgo = Duration.ofSeconds(30);
    String whole = leftHolding(rewardId, held, "PENDING", "RESERVING", crashedAgo, true);
    String half = leftHolding(rewardId, halfway, "PENDING", "RESERVING", crashedAgo, false);
    assertThat(stock(rewardId, staff)).isEqualTo(4);

    Reply retried = redeem(rewardId, held, keyOf(whole));
    assertThat(retried.json().getString("redemptionId")).isEqualTo(whole);
    assertThat(retried.json().getString("status")).isEqualTo("PENDING");
    Eventually.until(
        "the retried redemption redeemed",
        Duration.ofSeconds(60),
        () -> "REDEEMED".equals(status(whole, held)));
    assertThat(rig.chainEntry(whole)).as("on the chain").isPresent();
    assertThat(rig.chainAccount(held.memberId()).orElseThrow().getLong("balance"))
        .as("spent once")
        .isEqualTo(10 - 3);

    Reply failed = redeem(rewardId, halfway, keyOf(half));
    assertThat(failed.json().getString("redemptionId")).isEqualTo(half);
    assertThat(failed.json().getString("status")).isEqualTo("FAILED");
    assertThat(
            rig.client
                .get("getRedemption", "/v1/redemptions/" + half, halfway.accessToken())
                .json()
                .getString("reason"))
        .isEqualTo("INTERRUPTED");
    assertThat(stock(rewardId, staff)).as("one unit taken, by the redeemed one").isEqualTo(4);
    assertThat(rig.chainEntry(half)).as("never relayed").isEmpty();
    assertThat(redeem(rewardId, halfway).status()).as("the slot came back").isEqualTo(201);
  }

  /**
   * The documents a request (or a release) that died leaves: a redemption holding a unit of the
   * stock and the member's slot of the month, written ten minutes ago.
   */
  private static String leftHolding(
      String rewardId, SignedIn member, String status, String ledgerState) {
    return leftHolding(rewardId, member, status, ledgerState, Duration.ofMinutes(10), true);
  }

  /** As that, written {@code ago}, holding a unit of the stock only if {@code tookStock}. */
  private static String leftHolding(
      String rewardId,
      SignedIn member,
      String status,
      String ledgerState,
      Duration ago,
      boolean tookStock) {
    String id = Ids.redemptionId();
    Date then = Date.from(Instant.now().minus(ago));
    String month = LocalDate.now(java.time.ZoneId.of("Asia/Shanghai")).toString().substring(0, 7);
    Document redeem =
        new Document("entryId", id)
            .append("memberId", member.memberId())
            .append("points", 3L)
            .append("rewardId", rewardId)
            .append("actor", member.memberId());
    MongoProbe.await(
        rig.mongo
            .collection("redemptions")
            .insertOne(
                new Document("_id", id)
                    .append("memberId", member.memberId())
                    .append("rewardId", rewardId)
                    .append("scope", "community:" + LedgerRig.COMMUNITY)
                    .append("title", "Towel")
                    .append("pointsCost", 3L)
                    .append("pickupDeadlineDays", 30)
                    .append("status", status)
                    .append("idempotencyKey", UUID.randomUUID().toString())
                    .append("month", month)
                    .append("stockReserved", true)
                    .append("createdAt", then)
                    .append("updatedAt", then)
                    .append(
                        "ledger",
                        new Document("state", ledgerState)
                            .append("entryId", id)
                            .append("queuedAt", then)
                            .append("attempts", 0)
                            .append("leaseUntil", new Date(0))
                            .append("redeem", redeem))));
    if (tookStock) {
      MongoProbe.await(
          rig.mongo
              .collection("rewards")
              .updateOne(
                  Filters.eq("_id", rewardId),
                  Updates.combine(Updates.inc("stock", -1L), Updates.push("holders", id))));
    }
    MongoProbe.await(
        rig.mongo
            .collection("redemption_counters")
            .updateOne(
                Filters.eq("_id", member.memberId() + "|" + rewardId + "|" + month),
                Updates.combine(Updates.inc("taken", 1), Updates.push("holders", id)),
                new UpdateOptions().upsert(true)));
    return id;
  }

  private static long stock(String rewardId, SignedIn staff) {
    return rig.client
        .get("getReward", "/v1/rewards/" + rewardId, staff.accessToken())
        .json()
        .getLong("stock");
  }

  private static long redeemed(String rewardId) {
    return rig.mongo.count(
        "redemptions",
        Filters.and(Filters.eq("rewardId", rewardId), Filters.eq("status", "REDEEMED")));
  }

  private static long readModelBalance(String memberId) {
    Document balance = rig.mongo.findOne("balances", Filters.eq("_id", memberId));
    return balance == null ? -1 : balance.get("balance", Number.class).longValue();
  }

  /** A reward of 3 points with {@code limits} (stock, limits per month or year). */
  private static String createReward(SignedIn staff, JsonObject limits) {
    JsonObject body =
        new JsonObject()
            .put("scope", "community:" + LedgerRig.COMMUNITY)
            .put("title", "Towel")
            .put("category", "GOODS")
            .put("pointsCost", 3)
            .mergeIn(limits);
    return rig.client
        .post("createReward", "/v1/rewards", body, staff.accessToken())
        .json()
        .getString("rewardId");
  }

  private static void awaitRecorded(List<String> awards) {
    Eventually.until(
        "the awards recorded",
        Duration.ofSeconds(60),
        () ->
            awards.stream()
                .allMatch(id -> "RECORDED".equals(rig.submission(id).getString("status"))));
  }

  private static String keyOf(String redemptionId) {
    return rig.mongo
        .findOne("redemptions", Filters.eq("_id", redemptionId))
        .getString("idempotencyKey");
  }

  private static String status(String redemptionId, SignedIn member) {
    return rig.client
        .get("getRedemption", "/v1/redemptions/" + redemptionId, member.accessToken())
        .json()
        .getString("status");
  }

  private static Reply redeem(String rewardId, SignedIn member) {
    return redeem(rewardId, member, UUID.randomUUID().toString());
  }

  private static Reply redeem(String rewardId, SignedIn member, String key) {
    return rig.client.send(
        "redeemReward",
        HttpMethod.POST,
        "/v1/rewards/" + rewardId + "/redemptions",
        null,
        member.accessToken(),
        Map.of("Idempotency-Key", key));
  }
}
