package org.civicpoints.api.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import org.civicpoints.api.port.Ledger;
import org.civicpoints.api.support.Eventually;
import org.civicpoints.api.support.LedgerRig;
import org.civicpoints.api.support.Sessions;
import org.civicpoints.api.support.Sessions.SignedIn;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A redemption, the expiry of last year's lot and the redemption's refund on the devnet, read back
 * through HTTP: the member's totals and entries project REFUND and EXPIRY as the chain has them.
 */
class PointsLifecycleApiTest {

  private static final Duration WITHIN = Duration.ofSeconds(30);
  private static LedgerRig rig;
  private static String rule;

  @BeforeAll
  static void start() {
    rig = LedgerRig.start();
    rule = rig.seedRule("VOLUNTEER", 5, 1_000_000, 10_000_000, true);
  }

  @AfterAll
  static void stop() {
    rig.close();
  }

  @Test
  void a_refund_into_an_expired_lot_shows_as_refunded_and_expired_the_way_the_chain_counts_it() {
    SignedIn resident = Sessions.resident(rig.client);
    String member = resident.memberId();
    LocalDate today = LocalDate.now();
    int lastYear = today.getYear() - 1;
    rig.seedApproved(member, rule, "VOLUNTEER", 10, 2, LocalDate.of(lastYear, 6, 1), 1);
    rig.seedApproved(member, rule, "VOLUNTEER", 10, 2, today.minusDays(1), 1);
    awaitPoints(resident, "earned", 20);
    Ledger chain = rig.chainWriter();

    // 15 spent: 10 from last year's lot (the oldest), 5 from this year's.
    chain.redeem(new Ledger.Redemption("rd-" + member, member, 15, "reward-1", "system")).await();
    chain
        .expire(new Ledger.Expiry("expiry-" + member + "-" + lastYear, member, lastYear, "system"))
        .await();
    chain
        .refundRedemption(
            new Ledger.Refund("rf-" + member, "rd-" + member, "cancelled before pickup", "staff-1"))
        .await();
    JsonObject points = awaitPoints(resident, "refunded", 15);

    assertThat(points.getLong("spent")).isEqualTo(15);
    assertThat(points.getLong("expired")).as("the refunded 10 of the expired lot").isEqualTo(10);
    assertThat(points.getLong("balance")).isEqualTo(10);
    JsonObject account = rig.chainAccount(member).orElseThrow();
    for (String total : List.of("balance", "earned", "spent", "reversed", "refunded", "expired")) {
      assertThat(points.getLong(total)).as(total).isEqualTo(account.getLong(total));
    }
    JsonArray entries =
        rig.client
            .get("listMyPointEntries", "/v1/me/points/entries", resident.accessToken())
            .json()
            .getJsonArray("items");
    assertThat(entries.stream().map(e -> ((JsonObject) e).getString("kind")).toList())
        .containsExactlyInAnyOrder("AWARD", "AWARD", "REDEMPTION", "EXPIRY", "REFUND", "EXPIRY");
    JsonObject refund = entry(entries, "rf-" + member);
    assertThat(refund.getLong("points")).isEqualTo(15);
    assertThat(refund.getString("category")).isNull();
    assertThat(entry(entries, "rf-" + member + "#expired").getLong("points")).isEqualTo(-10);
  }

  private static JsonObject entry(JsonArray entries, String entryId) {
    return entries.stream()
        .map(JsonObject.class::cast)
        .filter(e -> e.getString("entryId").equals(entryId))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no entry " + entryId + " in " + entries));
  }

  private static JsonObject awaitPoints(SignedIn resident, String total, long expected) {
    Eventually.until(
        total + " " + expected, WITHIN, () -> myPoints(resident).getLong(total) == expected);
    return myPoints(resident);
  }

  private static JsonObject myPoints(SignedIn resident) {
    return rig.client.get("getMyPoints", "/v1/me/points", resident.accessToken()).json();
  }
}
