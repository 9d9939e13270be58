package org.civicpoints.chaincode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.civicpoints.chaincode.LedgerStubFixture.award;
import static org.civicpoints.chaincode.LedgerStubFixture.redemption;
import static org.civicpoints.chaincode.LedgerStubFixture.refund;
import static org.civicpoints.chaincode.LedgerStubFixture.rule;

import java.util.Map;
import org.json.JSONObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RefundRedemptionTest {
  private final LedgerStubFixture fx = new LedgerStubFixture();

  @BeforeEach
  void memberWhoSpentTwentyOfFifty() {
    fx.putRule(rule("clean-park", 1, 10, 0, 0).toString());
    fx.recordAward(award("a1", "m1", "clean-park", 5));
    fx.redeem(redemption("r1", "m1", 20));
  }

  @Nested
  class whenTheRedemptionIsRefundable {

    @Test
    void gives_the_points_back_with_one_event_and_an_entry_of_its_own() {
      final JSONObject result = fx.refund(refund("f1", "r1"));

      assertThat(result.toMap())
          .containsEntry("entryId", "f1")
          .containsEntry("status", "RECORDED")
          .containsEntry("points", 20)
          .containsEntry("balanceAfter", 50);
      assertThat(fx.lastTx().events())
          .containsExactly(
              new InMemoryStub.Event(
                  "PointsMoved",
                  "{\"entries\":[{\"entryId\":\"f1\",\"memberId\":\"m1\",\"kind\":\"REFUND\",\"points\":20,"
                      + "\"category\":null,\"orgUnitId\":null,\"occurredOn\":\"2026-03-10\",\"balanceAfter\":50,\"lots\":{\"2026\":20},\"lotsAfter\":{\"2026\":50}}]}"));
      assertThat(fx.lastTx().rangeReads()).isZero();
      assertThat(fx.account("m1").toMap())
          .containsEntry("balance", 50)
          .containsEntry("earned", 50)
          .containsEntry("spent", 20)
          .containsEntry("refunded", 20);
      assertThat(fx.entry("f1").toMap())
          .containsEntry("kind", "REFUND")
          .containsEntry("targetEntryId", "r1")
          .containsEntry("rewardId", "reward-1")
          .containsEntry("reason", "cancelled before pickup")
          .containsEntry("actor", "staff-3");
    }

    @Test
    void a_replay_is_duplicate_and_changes_nothing() {
      fx.refund(refund("f1", "r1"));
      final Map<String, String> before = fx.ledger.snapshot();

      final JSONObject replay = fx.refund(refund("f1", "r1").put("actor", "staff-9"));

      assertThat(replay.toMap())
          .containsEntry("status", "DUPLICATE")
          .containsEntry("points", 20)
          .containsEntry("balanceAfter", 50);
      assertThat(fx.lastTx().writes()).isEmpty();
      assertThat(fx.lastTx().events()).isEmpty();
      assertThat(fx.ledger.snapshot()).isEqualTo(before);
    }

    @Test
    void the_same_entry_id_with_different_content_is_conflict() {
      fx.refund(refund("f1", "r1"));

      fx.assertFails(
          () -> fx.refund(refund("f1", "r1").put("reason", "other")), PointsError.CONFLICT);
      fx.assertFails(() -> fx.refund(refund("r1", "r1")), PointsError.CONFLICT);
    }
  }

  @Nested
  class whenTheRedemptionCannotBeRefunded {

    @Test
    void a_second_refund_under_another_id_is_already_refunded() {
      fx.refund(refund("f1", "r1"));

      final var failure =
          fx.assertFails(() -> fx.refund(refund("f2", "r1")), PointsError.ALREADY_REFUNDED);
      assertThat(failure.getMessage())
          .isEqualTo("ALREADY_REFUNDED: entry r1 was already refunded by f1");
      assertThat(fx.account("m1").getLong("balance")).isEqualTo(50);
    }

    @Test
    void only_a_redemption_can_be_refunded() {
      fx.assertFails(() -> fx.refund(refund("f1", "a1")), PointsError.INVALID_ARGUMENT);
    }

    @Test
    void an_unknown_redemption_is_not_found() {
      fx.assertFails(() -> fx.refund(refund("f1", "nothing")), PointsError.NOT_FOUND);
    }
  }

  @Nested
  class whenInputIsBad {

    @ParameterizedTest
    @ValueSource(strings = {"entryId", "redemptionEntryId", "reason", "actor"})
    void a_missing_field_is_named(final String field) {
      final JSONObject json = refund("f1", "r1");
      json.remove(field);

      final var failure = fx.assertFails(() -> fx.refund(json), PointsError.INVALID_ARGUMENT);
      assertThat(failure.getMessage()).isEqualTo("INVALID_ARGUMENT: " + field + " is required");
    }

    @Test
    void a_wrong_type_or_a_too_long_reason_is_invalid_argument() {
      fx.assertFails(
          () -> fx.refund(refund("f1", "r1").put("redemptionEntryId", 7)),
          PointsError.INVALID_ARGUMENT);
      fx.assertFails(
          () -> fx.refund(refund("f1", "r1").put("reason", "x".repeat(501))),
          PointsError.INVALID_ARGUMENT);
    }
  }
}
