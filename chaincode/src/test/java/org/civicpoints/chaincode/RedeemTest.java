package org.civicpoints.chaincode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.civicpoints.chaincode.LedgerStubFixture.award;
import static org.civicpoints.chaincode.LedgerStubFixture.redemption;
import static org.civicpoints.chaincode.LedgerStubFixture.reversal;
import static org.civicpoints.chaincode.LedgerStubFixture.rule;

import java.util.Map;
import org.json.JSONObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RedeemTest {
  private final LedgerStubFixture fx = new LedgerStubFixture();

  @BeforeEach
  void memberWithFiftyPoints() {
    fx.putRule(rule("clean-park", 1, 10, 0, 0).toString());
    fx.recordAward(award("a1", "m1", "clean-park", 5));
  }

  @Nested
  class whenBalanceSuffices {

    @Test
    void spends_the_points_with_one_event() {
      final JSONObject result = fx.redeem(redemption("r1", "m1", 20));

      assertThat(
              result.similar(
                  new JSONObject(
                      "{\"entryId\":\"r1\",\"status\":\"RECORDED\",\"points\":-20,\"balanceAfter\":30}")))
          .isTrue();
      assertThat(fx.lastTx().events())
          .containsExactly(
              new InMemoryStub.Event(
                  "PointsMoved",
                  "{\"entries\":[{\"entryId\":\"r1\",\"memberId\":\"m1\",\"kind\":\"REDEMPTION\",\"points\":-20,"
                      + "\"category\":null,\"orgUnitId\":null,\"occurredOn\":\"2026-03-10\",\"balanceAfter\":30,\"lots\":{\"2026\":20},\"lotsAfter\":{\"2026\":30}}]}"));
      assertThat(fx.lastTx().rangeReads()).isZero();
      final JSONObject account = fx.account("m1");
      assertThat(account.toMap())
          .containsEntry("balance", 30)
          .containsEntry("earned", 50)
          .containsEntry("spent", 20)
          .containsEntry("reversed", 0);
      assertThat(fx.entry("r1").toMap())
          .containsEntry("kind", "REDEMPTION")
          .containsEntry("rewardId", "reward-1")
          .containsEntry("requestedPoints", 20);
    }

    @Test
    void the_whole_balance_can_be_spent() {
      assertThat(fx.redeem(redemption("r1", "m1", 50)).getLong("balanceAfter")).isZero();
    }

    @Test
    void a_replay_is_duplicate_and_changes_nothing() {
      fx.redeem(redemption("r1", "m1", 20));
      final Map<String, String> before = fx.ledger.snapshot();

      final JSONObject replay = fx.redeem(redemption("r1", "m1", 20).put("actor", "staff-7"));

      assertThat(replay.toMap())
          .containsEntry("status", "DUPLICATE")
          .containsEntry("points", -20)
          .containsEntry("balanceAfter", 30);
      assertThat(fx.lastTx().writes()).isEmpty();
      assertThat(fx.lastTx().events()).isEmpty();
      assertThat(fx.ledger.snapshot()).isEqualTo(before);
    }

    @Test
    void the_same_entry_id_with_different_content_is_conflict() {
      fx.redeem(redemption("r1", "m1", 20));

      fx.assertFails(() -> fx.redeem(redemption("r1", "m1", 21)), PointsError.CONFLICT);
      fx.assertFails(
          () -> fx.redeem(redemption("r1", "m1", 20).put("rewardId", "reward-2")),
          PointsError.CONFLICT);
      fx.assertFails(() -> fx.redeem(redemption("a1", "m1", 20)), PointsError.CONFLICT);
    }
  }

  @Nested
  class whenBalanceIsShort {

    @Test
    void more_than_the_balance_is_insufficient_points() {
      final var failure =
          fx.assertFails(
              () -> fx.redeem(redemption("r1", "m1", 51)), PointsError.INSUFFICIENT_POINTS);
      assertThat(failure.getMessage()).isEqualTo("INSUFFICIENT_POINTS: balance 50 is below 51");
    }

    @Test
    void a_negative_balance_blocks_every_redemption_until_repaid() {
      fx.redeem(redemption("r1", "m1", 40));
      fx.reverse(reversal("v1", "a1"));
      assertThat(fx.account("m1").getLong("balance")).isEqualTo(-40);

      fx.assertFails(() -> fx.redeem(redemption("r2", "m1", 1)), PointsError.INSUFFICIENT_POINTS);
      fx.recordAward(award("a2", "m1", "clean-park", 5));
      assertThat(fx.redeem(redemption("r2", "m1", 10)).getLong("balanceAfter")).isZero();
    }

    @Test
    void an_unknown_member_is_not_found() {
      fx.assertFails(() -> fx.redeem(redemption("r1", "nobody", 1)), PointsError.NOT_FOUND);
    }
  }

  @Nested
  class whenInputIsBad {

    @ParameterizedTest
    @ValueSource(strings = {"entryId", "memberId", "points", "rewardId", "actor"})
    void a_missing_field_is_named(final String field) {
      final JSONObject json = redemption("r1", "m1", 5);
      json.remove(field);

      final var failure = fx.assertFails(() -> fx.redeem(json), PointsError.INVALID_ARGUMENT);
      assertThat(failure.getMessage()).isEqualTo("INVALID_ARGUMENT: " + field + " is required");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-5", "2.5", "\"5\"", "true", "99999999999999999999"})
    void bad_points_are_invalid_argument(final String points) {
      final JSONObject json =
          new JSONObject(
              redemption("r1", "m1", 5).toString().replace("\"points\":5", "\"points\":" + points));

      fx.assertFails(() -> fx.redeem(json), PointsError.INVALID_ARGUMENT);
    }

    @Test
    void bad_ids_are_invalid_argument() {
      fx.assertFails(() -> fx.redeem(redemption("", "m1", 5)), PointsError.INVALID_ARGUMENT);
      fx.assertFails(
          () -> fx.redeem(redemption("r1", "m\u00001", 5)), PointsError.INVALID_ARGUMENT);
      fx.assertFails(
          () -> fx.redeem(redemption("r1", "m".repeat(129), 5)), PointsError.INVALID_ARGUMENT);
    }

    @Test
    void malformed_json_is_invalid_argument() {
      fx.assertFails(
          () -> fx.submit(TestIdentities.LEDGER_WRITER, (c, ctx) -> c.Redeem(ctx, "{\"entryId\":")),
          PointsError.INVALID_ARGUMENT);
      fx.assertFails(
          () -> fx.submit(TestIdentities.LEDGER_WRITER, (c, ctx) -> c.Redeem(ctx, "[1]")),
          PointsError.INVALID_ARGUMENT);
    }
  }
}
