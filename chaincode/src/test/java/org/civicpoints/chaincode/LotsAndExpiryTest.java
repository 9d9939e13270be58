package org.civicpoints.chaincode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.civicpoints.chaincode.LedgerStubFixture.award;
import static org.civicpoints.chaincode.LedgerStubFixture.expiry;
import static org.civicpoints.chaincode.LedgerStubFixture.redemption;
import static org.civicpoints.chaincode.LedgerStubFixture.refund;
import static org.civicpoints.chaincode.LedgerStubFixture.reversal;
import static org.civicpoints.chaincode.LedgerStubFixture.rule;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.json.JSONObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Points by earning year: which lots a movement touches, and what Expire takes. */
class LotsAndExpiryTest {
  private final LedgerStubFixture fx = new LedgerStubFixture();

  /** 30 points earned in 2024, 20 in 2025 and 10 in 2026 (the transaction's year). */
  @BeforeEach
  void memberWithThreeLots() {
    fx.putRule(rule("clean-park", 1, 10, 0, 0).toString());
    fx.recordAward(award("a24", "m1", "clean-park", 3).put("occurredOn", "2024-12-31"));
    fx.recordAward(award("a25", "m1", "clean-park", 2).put("occurredOn", "2025-01-01"));
    fx.recordAward(award("a26", "m1", "clean-park", 1));
  }

  @Nested
  class movements {

    @Test
    void an_award_goes_to_the_lot_of_its_day() {
      assertThat(lots()).isEqualTo(Map.of("2024", 30, "2025", 20, "2026", 10));
      assertThat(fx.entry("a24").getJSONObject("lots").toMap()).isEqualTo(Map.of("2024", 30));
    }

    @Test
    void a_redemption_spends_the_oldest_lots_first_and_records_them() {
      fx.redeem(redemption("r1", "m1", 35));

      assertThat(lots()).isEqualTo(Map.of("2025", 15, "2026", 10));
      assertThat(fx.entry("r1").getJSONObject("lots").toMap())
          .isEqualTo(Map.of("2024", 30, "2025", 5));
    }

    @Test
    void a_reversal_takes_back_from_the_lot_its_award_went_to() {
      fx.redeem(redemption("r1", "m1", 35));
      fx.reverse(reversal("v1", "a25"));

      assertThat(lots()).isEqualTo(Map.of("2025", -5, "2026", 10));
      assertThat(fx.account("m1").getLong("balance")).isEqualTo(5);
    }

    @Test
    void a_refund_returns_the_points_to_the_lots_they_came_from() {
      fx.redeem(redemption("r1", "m1", 35));
      fx.refund(refund("f1", "r1"));

      assertThat(lots()).isEqualTo(Map.of("2024", 30, "2025", 20, "2026", 10));
    }
  }

  @Nested
  class expire {

    @Test
    void moves_what_is_left_of_the_lot_to_expired_with_one_event() {
      fx.redeem(redemption("r1", "m1", 10));

      final JSONObject result = fx.expire(expiry("m1", 2024));

      assertThat(result.toMap())
          .containsEntry("status", "RECORDED")
          .containsEntry("points", -20)
          .containsEntry("balanceAfter", 30);
      assertThat(eventKinds()).isEqualTo("[\"EXPIRY\"]");
      assertThat(eventEntry().getJSONObject("lots").toMap()).isEqualTo(Map.of("2024", 20));
      final JSONObject account = fx.account("m1");
      assertThat(account.getLong("expired")).isEqualTo(20);
      assertThat(account.getJSONObject("lots").getJSONArray("expired").toList())
          .containsExactly(2024);
      assertThat(lots()).isEqualTo(Map.of("2025", 20, "2026", 10));
      assertThat(fx.entry("expiry-m1-2024").toMap())
          .containsEntry("kind", "EXPIRY")
          .containsEntry("points", -20);
    }

    @Test
    void a_replay_is_duplicate_and_another_expiry_of_the_lot_is_refused() {
      fx.expire(expiry("m1", 2024));
      final Map<String, String> before = fx.ledger.snapshot();

      assertThat(fx.expire(expiry("m1", 2024)).getString("status")).isEqualTo("DUPLICATE");
      assertThat(fx.ledger.snapshot()).isEqualTo(before);
      fx.assertFails(
          () -> fx.expire(expiry("m1", 2024).put("entryId", "other")), PointsError.ALREADY_EXPIRED);
      fx.assertFails(
          () -> fx.expire(expiry("m1", 2025).put("entryId", "expiry-m1-2024")),
          PointsError.CONFLICT);
    }

    @Test
    void only_an_ended_year_of_an_existing_account_can_expire() {
      fx.assertFails(() -> fx.expire(expiry("m1", 2026)), PointsError.INVALID_ARGUMENT);
      fx.assertFails(() -> fx.expire(expiry("m1", 1999)), PointsError.INVALID_ARGUMENT);
      fx.assertFails(() -> fx.expire(expiry("nobody", 2024)), PointsError.NOT_FOUND);
    }

    @Test
    void a_refund_into_an_expired_lot_expires_that_part_at_once() {
      fx.redeem(redemption("r1", "m1", 35));
      fx.expire(expiry("m1", 2024));

      final JSONObject result = fx.refund(refund("f1", "r1"));

      assertThat(result.getLong("points")).isEqualTo(35);
      assertThat(eventKinds()).isEqualTo("[\"REFUND\",\"EXPIRY\"]");
      assertThat(fx.entry("f1#expired").getLong("points")).isEqualTo(-30);
      final JSONObject account = fx.account("m1");
      assertThat(account.getLong("balance")).isEqualTo(30);
      assertThat(account.getLong("refunded")).isEqualTo(35);
      assertThat(account.getLong("expired")).isEqualTo(30);
      assertThat(lots()).isEqualTo(Map.of("2025", 20, "2026", 10));
    }

    @Test
    void reversing_an_award_of_an_expired_lot_leaves_the_debt_in_the_youngest_lot() {
      fx.expire(expiry("m1", 2024));

      fx.reverse(reversal("v1", "a24"));
      final JSONObject moved = eventEntry();

      assertThat(lots()).isEqualTo(Map.of("2025", 20, "2026", -20));
      assertThat(fx.account("m1").getLong("balance")).isZero();
      assertThat(moved.getJSONObject("lots").toMap()).isEqualTo(Map.of("2024", 30));
      assertThat(moved.getJSONObject("lotsAfter").toMap())
          .as("the expired lot stays empty, the debt is in the youngest lot")
          .isEqualTo(Map.of("2024", 0, "2025", 20, "2026", -20));
    }

    @Test
    void a_debt_does_not_expire_it_moves_to_the_youngest_lot() {
      fx.redeem(redemption("r1", "m1", 35));
      fx.reverse(reversal("v1", "a25"));

      final JSONObject result = fx.expire(expiry("m1", 2025));
      final JSONObject moved = eventEntry();

      assertThat(result.getLong("points")).isZero();
      assertThat(lots()).isEqualTo(Map.of("2026", 5));
      assertThat(moved.getJSONObject("lotsAfter").toMap()).isEqualTo(Map.of("2025", 0, "2026", 5));
      assertThat(fx.account("m1").getLong("balance")).isEqualTo(5);
    }

    @Test
    void an_award_for_an_expired_year_is_rejected() {
      fx.expire(expiry("m1", 2024));

      final JSONObject late =
          fx.recordAward(award("late", "m1", "clean-park", 1).put("occurredOn", "2024-06-01"));

      assertThat(late.getString("status")).isEqualTo("REJECTED");
      assertThat(late.getString("code")).isEqualTo("LOT_EXPIRED");
    }
  }

  @Nested
  class migration {

    @Test
    void an_account_without_lots_gets_one_lot_of_the_year_of_its_last_change() {
      final String key =
          new org.hyperledger.fabric.shim.ledger.CompositeKey("account", "m1").toString();
      final JSONObject legacy = fx.account("m1");
      legacy.remove("lots");
      legacy.remove("refunded");
      legacy.remove("expired");
      fx.ledger.seed(key, legacy.toString().getBytes(StandardCharsets.UTF_8));

      fx.redeem(redemption("r1", "m1", 5));

      assertThat(lots()).isEqualTo(Map.of("2026", 55));
      assertThat(fx.account("m1").getLong("refunded")).isZero();
    }

    @Test
    void the_first_event_of_a_migrated_account_carries_its_migrated_lot() {
      seedLegacy("m9", 40, "2024-05-01T08:00:00Z");

      fx.recordAward(award("a9", "m9", "clean-park", 1));

      final JSONObject moved = eventEntry();
      assertThat(moved.getJSONObject("lots").toMap()).isEqualTo(Map.of("2026", 10));
      assertThat(moved.getJSONObject("lotsAfter").toMap())
          .isEqualTo(Map.of("2024", 40, "2026", 10));
      assertThat(fx.entry("a9").getJSONObject("lotsAfter").toMap())
          .as("the stored entry too, so a repair replays it")
          .isEqualTo(Map.of("2024", 40, "2026", 10));
    }

    @Test
    void a_migrated_lot_spent_whole_says_it_is_empty() {
      seedLegacy("m9", 40, "2024-05-01T08:00:00Z");

      fx.redeem(redemption("r9", "m9", 40));

      assertThat(eventEntry().getJSONObject("lotsAfter").toMap()).isEqualTo(Map.of("2024", 0));
      assertThat(fx.account("m9").getJSONObject("lots").getJSONObject("live").toMap()).isEmpty();
    }

    /** An account as the chaincode wrote it before lots, refunds and expiry existed. */
    private void seedLegacy(final String memberId, final long balance, final String updatedAt) {
      final JSONObject legacy =
          new JSONObject()
              .put("memberId", memberId)
              .put("balance", balance)
              .put("earned", balance)
              .put("spent", 0)
              .put("reversed", 0)
              .put("entryCount", 0)
              .put("createdAt", updatedAt)
              .put("updatedAt", updatedAt);
      fx.ledger.seed(
          new org.hyperledger.fabric.shim.ledger.CompositeKey("account", memberId).toString(),
          legacy.toString().getBytes(StandardCharsets.UTF_8));
    }
  }

  private Map<String, Object> lots() {
    return fx.account("m1").getJSONObject("lots").getJSONObject("live").toMap();
  }

  /** The first entry of the last transaction's PointsMoved event. */
  private JSONObject eventEntry() {
    final JSONObject event = new JSONObject(fx.lastTx().events().get(0).payload());
    return event.getJSONArray("entries").getJSONObject(0);
  }

  private String eventKinds() {
    final JSONObject event = new JSONObject(fx.lastTx().events().get(0).payload());
    final org.json.JSONArray kinds = new org.json.JSONArray();
    event.getJSONArray("entries").forEach(e -> kinds.put(((JSONObject) e).getString("kind")));
    return kinds.toString();
  }
}
