package org.civicpoints.api.mall;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Map;
import java.util.UUID;
import org.civicpoints.api.support.ApiClient.Reply;
import org.civicpoints.api.support.Eventually;
import org.civicpoints.api.support.LedgerRig;
import org.civicpoints.api.support.MovableClock;
import org.civicpoints.api.support.Sessions;
import org.civicpoints.api.support.Sessions.SignedIn;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A redemption not picked up by its deadline is cancelled and refunded by the server's job, once,
 * also across an API restart; one picked up in time is left alone.
 */
class RedemptionExpiryApiTest {

  private static final Duration WITHIN = Duration.ofSeconds(40);
  private static final MovableClock clock = new MovableClock();
  private static LedgerRig rig;

  @BeforeAll
  static void start() {
    rig = LedgerRig.start(LedgerRig.Store.MEMORY, clock);
  }

  @AfterAll
  static void stop() {
    rig.close();
  }

  @Test
  void a_redemption_not_picked_up_in_time_is_cancelled_and_refunded_once() {
    String rule = rig.seedRule("VOLUNTEER", 5, 1_000_000, 10_000_000, true);
    SignedIn staff = Sessions.withRoles(rig.client, LedgerRig.COMMUNITY, "STAFF");
    SignedIn resident = Sessions.inCommunity(rig.client, LedgerRig.COMMUNITY);
    String award =
        rig.seedApproved(resident.memberId(), rule, "VOLUNTEER", 10, 2, LocalDate.now(), 1).get(0);
    Eventually.until(
        "the award recorded",
        WITHIN,
        () -> "RECORDED".equals(rig.submission(award).getString("status")));
    JsonObject body =
        new JsonObject()
            .put("scope", "community:" + LedgerRig.COMMUNITY)
            .put("title", "Umbrella")
            .put("category", "GOODS")
            .put("pointsCost", 3)
            .put("stock", 2)
            .put("pickupDeadlineDays", 7);
    String rewardId =
        rig.client
            .post("createReward", "/v1/rewards", body, staff.accessToken())
            .json()
            .getString("rewardId");
    String late = redeem(rewardId, resident);
    String early = redeem(rewardId, resident);
    awaitRedeemed(late);
    awaitRedeemed(early);
    String code = rig.mongo.findOne("redemptions", idIs(early)).getString("pickupCode");
    assertThat(fulfil(early, staff, code).status()).isEqualTo(200);

    rig.stopApi();
    clock.advance(Duration.ofDays(8));
    rig.startApi();

    Eventually.until(
        "the late one cancelled and refunded on the chain",
        WITHIN,
        () -> rig.chainEntry("rf_" + late.substring(3)).isPresent());
    var cancelled = rig.mongo.findOne("redemptions", idIs(late));
    assertThat(cancelled.getString("status")).isEqualTo("CANCELLED");
    assertThat(cancelled.getString("cancelledBy")).isEqualTo("system");
    assertThat(rig.mongo.findOne("redemptions", idIs(early)).getString("status"))
        .isEqualTo("FULFILLED");
    assertThat(rig.chainEntry("rf_" + early.substring(3))).isEmpty();
    assertThat(rig.chainAccount(resident.memberId()).orElseThrow().getLong("balance"))
        .isEqualTo(10 - 3);
    SignedIn staffNow = Sessions.signIn(rig.client, new JsonObject().put("phone", staff.phone()));
    assertThat(
            rig.client
                .get("getReward", "/v1/rewards/" + rewardId, staffNow.accessToken())
                .json()
                .getLong("stock"))
        .isEqualTo(1);
  }

  private static org.bson.conversions.Bson idIs(String id) {
    return com.mongodb.client.model.Filters.eq("_id", id);
  }

  private static String redeem(String rewardId, SignedIn member) {
    Reply reply =
        rig.client.send(
            "redeemReward",
            HttpMethod.POST,
            "/v1/rewards/" + rewardId + "/redemptions",
            null,
            member.accessToken(),
            Map.of("Idempotency-Key", UUID.randomUUID().toString()));
    assertThat(reply.status()).as(reply.body().toString()).isEqualTo(201);
    return reply.json().getString("redemptionId");
  }

  private static void awaitRedeemed(String redemptionId) {
    Eventually.until(
        "redeemed",
        WITHIN,
        () ->
            "REDEEMED"
                .equals(rig.mongo.findOne("redemptions", idIs(redemptionId)).getString("status")));
  }

  private static Reply fulfil(String redemptionId, SignedIn staff, String code) {
    return rig.client.post(
        "fulfilRedemption",
        "/v1/redemptions/" + redemptionId + "/fulfil",
        new JsonObject().put("pickupCode", code),
        staff.accessToken());
  }
}
