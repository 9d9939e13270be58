package org.civicpoints.api.mall;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.model.Filters;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.bson.Document;
import org.civicpoints.api.support.ApiClient.Reply;
import org.civicpoints.api.support.Eventually;
import org.civicpoints.api.support.LedgerRig;
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
    Eventually.until(
        "the awards recorded",
        Duration.ofSeconds(60),
        () ->
            awards.stream()
                .allMatch(id -> "RECORDED".equals(rig.submission(id).getString("status"))));
    JsonObject body =
        new JsonObject()
            .put("scope", "community:" + LedgerRig.COMMUNITY)
            .put("title", "Soap")
            .put("category", "GOODS")
            .put("pointsCost", 3);
    String rewardId =
        rig.client
            .post("createReward", "/v1/rewards", body, staff.accessToken())
            .json()
            .getString("rewardId");

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

  private static long redeemed(String rewardId) {
    return rig.mongo.count(
        "redemptions",
        Filters.and(Filters.eq("rewardId", rewardId), Filters.eq("status", "REDEEMED")));
  }

  private static long readModelBalance(String memberId) {
    Document balance = rig.mongo.findOne("balances", Filters.eq("_id", memberId));
    return balance == null ? -1 : balance.get("balance", Number.class).longValue();
  }

  private static Reply redeem(String rewardId, SignedIn member) {
    return rig.client.send(
        "redeemReward",
        HttpMethod.POST,
        "/v1/rewards/" + rewardId + "/redemptions",
        null,
        member.accessToken(),
        Map.of("Idempotency-Key", UUID.randomUUID().toString()));
  }
}
