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

class ReverseTest {
  private final LedgerStubFixture fx = new LedgerStubFixture();

  @BeforeEach
  void awardedMember() {
    fx.putRule(rule("capped", 1, 10, 30, 0).toString());
    fx.recordAward(award("a1", "m1", "capped", 3));
  }

  @Nested
  class whenTargetIsAnAward {

    @Test
    void takes_the_points_back_with_one_event() {
      final JSONObject result = fx.reverse(reversal("v1", "a1"));

      assertThat(
              result.similar(
                  new JSONObject(
                      "{\"entryId\":\"v1\",\"status\":\"RECORDED\",\"points\":-30,\"balanceAfter\":0}")))
          .isTrue();
      assertThat(fx.lastTx().events())
          .containsExactly(
              new InMemoryStub.Event(
                  "PointsMoved",
                  "{\"entries\":[{\"entryId\":\"v1\",\"memberId\":\"m1\",\"kind\":\"REVERSAL\",\"points\":-30,"
                      + "\"category\":\"VOLUNTEER\",\"orgUnitId\":\"community-7\",\"occurredOn\":\"2026-03-10\","
                      + "\"balanceAfter\":0,\"lots\":{\"2026\":30},\"lotsAfter\":{\"2026\":0}}]}"));
      assertThat(fx.lastTx().rangeReads()).isZero();
      assertThat(fx.account("m1").toMap())
          .containsEntry("balance", 0)
          .containsEntry("earned", 30)
          .containsEntry("reversed", 30);
      assertThat(fx.entry("v1").toMap())
          .containsEntry("targetEntryId", "a1")
          .containsEntry("reason", "approved by mistake")
          .containsEntry("actor", "staff-2");
      assertThat(fx.entry("a1").getLong("points")).as("entries are never rewritten").isEqualTo(30);
    }

    @Test
    void gives_the_granted_points_back_to_the_caps() {
      assertThat(fx.recordAward(award("a2", "m1", "capped", 1)).getLong("points")).isZero();
      fx.reverse(reversal("v1", "a1"));

      assertThat(fx.recordAward(award("a3", "m1", "capped", 3)).getLong("points")).isEqualTo(30);
    }

    @Test
    void may_drive_the_balance_negative() {
      fx.redeem(redemption("r1", "m1", 25));

      assertThat(fx.reverse(reversal("v1", "a1")).getLong("balanceAfter")).isEqualTo(-25);
      assertThat(fx.account("m1").toMap()).containsEntry("balance", -25).containsEntry("spent", 25);
    }

    @Test
    void a_zero_point_award_can_be_reversed() {
      fx.recordAward(award("a2", "m1", "capped", 1));

      assertThat(fx.reverse(reversal("v1", "a2")).getLong("points")).isZero();
      assertThat(fx.account("m1").getLong("balance")).isEqualTo(30);
    }
  }

  @Nested
  class whenAlreadyReversed {

    @Test
    void a_second_reversal_is_already_reversed() {
      fx.reverse(reversal("v1", "a1"));

      final var failure =
          fx.assertFails(() -> fx.reverse(reversal("v2", "a1")), PointsError.ALREADY_REVERSED);
      assertThat(failure.getMessage())
          .isEqualTo("ALREADY_REVERSED: entry a1 was already reversed by v1");
    }

    @Test
    void the_same_reversal_replayed_is_duplicate_and_changes_nothing() {
      fx.reverse(reversal("v1", "a1"));
      final Map<String, String> before = fx.ledger.snapshot();

      final JSONObject replay = fx.reverse(reversal("v1", "a1"));

      assertThat(replay.toMap())
          .containsEntry("status", "DUPLICATE")
          .containsEntry("points", -30)
          .containsEntry("balanceAfter", 0);
      assertThat(fx.lastTx().writes()).isEmpty();
      assertThat(fx.lastTx().events()).isEmpty();
      assertThat(fx.ledger.snapshot()).isEqualTo(before);
    }

    @Test
    void the_same_entry_id_for_another_reversal_is_conflict() {
      fx.recordAward(award("a2", "m1", "capped", 1).put("occurredOn", "2026-03-09"));
      fx.reverse(reversal("v1", "a1"));

      fx.assertFails(() -> fx.reverse(reversal("v1", "a2")), PointsError.CONFLICT);
      fx.assertFails(
          () -> fx.reverse(reversal("v1", "a1").put("reason", "other")), PointsError.CONFLICT);
    }
  }

  @Nested
  class whenTargetIsNotReversible {

    @Test
    void an_unknown_target_is_not_found() {
      fx.assertFails(() -> fx.reverse(reversal("v1", "nothing")), PointsError.NOT_FOUND);
    }

    @Test
    void a_redemption_or_a_reversal_cannot_be_reversed() {
      fx.redeem(redemption("r1", "m1", 5));
      fx.reverse(reversal("v1", "a1"));

      fx.assertFails(() -> fx.reverse(reversal("v2", "r1")), PointsError.INVALID_ARGUMENT);
      fx.assertFails(() -> fx.reverse(reversal("v3", "v1")), PointsError.INVALID_ARGUMENT);
    }
  }

  @Nested
  class whenInputIsBad {

    @ParameterizedTest
    @ValueSource(strings = {"entryId", "targetEntryId", "reason", "actor"})
    void a_missing_field_is_named(final String field) {
      final JSONObject json = reversal("v1", "a1");
      json.remove(field);

      final var failure = fx.assertFails(() -> fx.reverse(json), PointsError.INVALID_ARGUMENT);
      assertThat(failure.getMessage()).isEqualTo("INVALID_ARGUMENT: " + field + " is required");
    }

    @Test
    void the_reason_must_be_short_printable_text() {
      fx.assertFails(
          () -> fx.reverse(reversal("v1", "a1").put("reason", "  ")), PointsError.INVALID_ARGUMENT);
      fx.assertFails(
          () -> fx.reverse(reversal("v1", "a1").put("reason", "x".repeat(501))),
          PointsError.INVALID_ARGUMENT);
      fx.assertFails(
          () -> fx.reverse(reversal("v1", "a1").put("reason", "bad\u0000")),
          PointsError.INVALID_ARGUMENT);
      assertThat(
              fx.reverse(reversal("v1", "a1").put("reason", "x".repeat(500))).getString("status"))
          .isEqualTo("RECORDED");
    }

    @Test
    void bad_ids_and_malformed_json_are_invalid_argument() {
      fx.assertFails(() -> fx.reverse(reversal("", "a1")), PointsError.INVALID_ARGUMENT);
      fx.assertFails(() -> fx.reverse(reversal("v1", "a\u00001")), PointsError.INVALID_ARGUMENT);
      fx.assertFails(
          () -> fx.submit(TestIdentities.LEDGER_WRITER, (c, ctx) -> c.Reverse(ctx, "nope")),
          PointsError.INVALID_ARGUMENT);
    }
  }
}
