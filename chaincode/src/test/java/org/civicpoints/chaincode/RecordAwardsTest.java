package org.civicpoints.chaincode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.civicpoints.chaincode.LedgerStubFixture.award;
import static org.civicpoints.chaincode.LedgerStubFixture.batch;
import static org.civicpoints.chaincode.LedgerStubFixture.rule;

import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.json.JSONArray;
import org.json.JSONObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RecordAwardsTest {
  private final LedgerStubFixture fx = new LedgerStubFixture();

  private static List<String> statuses(final JSONArray results) {
    return IntStream.range(0, results.length())
        .mapToObj(i -> results.getJSONObject(i).getString("status"))
        .toList();
  }

  @BeforeEach
  void rules() {
    fx.putRule(rule("clean-park", 1, 10, 0, 0).toString());
    fx.putRule(rule("capped", 1, 10, 25, 40).toString());
  }

  @Nested
  class whenRuleExists {

    @Test
    void records_the_entry_the_account_and_one_event() {
      final JSONObject result = fx.recordAward(award("e1", "m1", "clean-park", 3));

      assertThat(result.toMap())
          .containsEntry("entryId", "e1")
          .containsEntry("status", "RECORDED")
          .containsEntry("points", 30)
          .containsEntry("requestedPoints", 30);
      assertThat(result.isNull("reason")).isTrue();
      assertThat(result.isNull("code")).isTrue();
      final InMemoryStub tx = fx.lastTx();
      assertThat(tx.events())
          .containsExactly(
              new InMemoryStub.Event(
                  "PointsMoved",
                  "{\"entries\":[{\"entryId\":\"e1\",\"memberId\":\"m1\",\"kind\":\"AWARD\",\"points\":30,"
                      + "\"category\":\"VOLUNTEER\",\"orgUnitId\":\"community-7\",\"occurredOn\":\"2026-03-10\","
                      + "\"balanceAfter\":30,\"lots\":{\"2026\":30},\"lotsAfter\":{\"2026\":30}}]}"));
      final JSONObject account = fx.account("m1");
      assertThat(account.getLong("balance")).isEqualTo(30);
      assertThat(account.getLong("earned")).isEqualTo(30);
      assertThat(account.getString("createdAt")).isEqualTo(tx.getTxTimestamp().toString());
      final JSONObject entry = fx.entry("e1");
      assertThat(entry.toMap())
          .containsEntry("kind", "AWARD")
          .containsEntry("points", 30)
          .containsEntry("units", 3)
          .containsEntry("ruleId", "clean-park")
          .containsEntry("ruleVersion", 1)
          .containsEntry("txId", tx.getTxId())
          .containsEntry("actor", "staff-1")
          .containsEntry("recordedAt", tx.getTxTimestamp().toString());
    }

    @Test
    void units_default_to_one() {
      final JSONObject item = award("e1", "m1", "clean-park", 1);
      item.remove("units");

      assertThat(fx.recordAward(item).getLong("points")).isEqualTo(10);
      assertThat(fx.entry("e1").getLong("units")).isEqualTo(1);
    }

    @Test
    void two_awards_for_one_member_in_one_batch_both_count() {
      final JSONArray results =
          fx.recordAwards(
              batch(award("e1", "m1", "clean-park", 1), award("e2", "m1", "clean-park", 2)));

      assertThat(results.getJSONObject(1).getString("status")).isEqualTo("RECORDED");
      assertThat(fx.lastTx().events()).hasSize(1);
      final String payload = fx.lastTx().events().get(0).payload();
      assertThat(
              new JSONObject(payload)
                  .getJSONArray("entries")
                  .getJSONObject(1)
                  .getLong("balanceAfter"))
          .isEqualTo(30);
      assertThat(fx.account("m1").getLong("balance")).isEqualTo(30);
      assertThat(fx.account("m1").getLong("entryCount")).isEqualTo(2);
    }

    @Test
    void a_new_rule_version_applies_to_new_awards_only() {
      fx.recordAward(award("e1", "m1", "clean-park", 1));
      fx.putRule(rule("clean-park", 2, 15, 0, 0).toString());
      fx.recordAward(award("e2", "m1", "clean-park", 1));

      assertThat(fx.entry("e1").toMap())
          .containsEntry("points", 10)
          .containsEntry("ruleVersion", 1);
      assertThat(fx.entry("e2").toMap())
          .containsEntry("points", 15)
          .containsEntry("ruleVersion", 2);
    }

    @Test
    void writes_only_point_keys_without_range_reads() {
      fx.recordAward(award("e1", "m1", "capped", 1));

      assertThat(fx.lastTx().rangeReads()).isZero();
      assertThat(fx.lastTx().writes().keySet())
          .extracting(k -> k.split("\u0000")[1])
          .containsExactly("account", "entry", "memberentry", "capday", "capyear");
    }
  }

  @Nested
  class whenCapReached {

    @Test
    void a_daily_cap_grants_what_is_left_and_says_why() {
      final JSONArray results =
          fx.recordAwards(batch(award("e1", "m1", "capped", 2), award("e2", "m1", "capped", 1)));

      assertThat(results.getJSONObject(0).getLong("points")).isEqualTo(20);
      assertThat(results.getJSONObject(1).toMap())
          .containsEntry("status", "RECORDED")
          .containsEntry("points", 5)
          .containsEntry("requestedPoints", 10)
          .containsEntry("reason", "DAILY_CAP");
      assertThat(fx.account("m1").getLong("balance")).isEqualTo(25);
    }

    @Test
    void a_full_cap_grants_zero_and_still_writes_the_entry() {
      fx.recordAward(award("e1", "m1", "capped", 3));
      final JSONObject second = fx.recordAward(award("e2", "m1", "capped", 1));

      assertThat(second.toMap())
          .containsEntry("status", "RECORDED")
          .containsEntry("points", 0)
          .containsEntry("reason", "DAILY_CAP");
      assertThat(fx.entry("e2").getLong("points")).isZero();
      assertThat(fx.recordAward(award("e2", "m1", "capped", 1)).getString("status"))
          .isEqualTo("DUPLICATE");
    }

    @Test
    void the_yearly_cap_holds_across_days() {
      fx.recordAward(award("e1", "m1", "capped", 2).put("occurredOn", "2026-03-08"));
      fx.recordAward(award("e2", "m1", "capped", 2).put("occurredOn", "2026-03-09"));
      final JSONObject third = fx.recordAward(award("e3", "m1", "capped", 2));

      assertThat(third.toMap()).containsEntry("points", 0).containsEntry("reason", "YEARLY_CAP");
      assertThat(fx.account("m1").getLong("balance")).isEqualTo(40);
    }

    @Test
    void the_yearly_cap_cuts_before_the_daily_one_when_it_is_tighter() {
      fx.recordAward(award("e1", "m1", "capped", 2).put("occurredOn", "2026-03-08"));
      fx.recordAward(award("e2", "m1", "capped", 1).put("occurredOn", "2026-03-09"));
      final JSONObject third = fx.recordAward(award("e3", "m1", "capped", 2));

      assertThat(third.toMap()).containsEntry("points", 10).containsEntry("reason", "YEARLY_CAP");
    }

    @Test
    void caps_are_counted_per_member_and_per_year() {
      fx.recordAward(award("e1", "m1", "capped", 3));
      assertThat(fx.recordAward(award("e2", "m2", "capped", 2)).getLong("points")).isEqualTo(20);
      fx.setClock(java.time.Instant.parse("2027-01-01T10:00:00Z"));
      assertThat(
              fx.recordAward(award("e3", "m1", "capped", 2).put("occurredOn", "2027-01-01"))
                  .getLong("points"))
          .isEqualTo(20);
    }
  }

  @Nested
  class whenEntryExists {

    @Test
    void the_same_content_is_duplicate_and_changes_nothing() {
      fx.recordAward(award("e1", "m1", "clean-park", 2));
      final Map<String, String> before = fx.ledger.snapshot();

      final JSONObject replay =
          fx.recordAward(award("e1", "m1", "clean-park", 2).put("actor", "staff-9"));

      assertThat(replay.toMap()).containsEntry("status", "DUPLICATE").containsEntry("points", 20);
      assertThat(fx.lastTx().writes()).isEmpty();
      assertThat(fx.lastTx().events()).isEmpty();
      assertThat(fx.ledger.snapshot()).isEqualTo(before);
    }

    @ParameterizedTest
    @ValueSource(strings = {"memberId", "ruleId", "units", "occurredOn", "orgUnitId"})
    void different_content_is_conflict(final String field) {
      fx.recordAward(award("e1", "m1", "clean-park", 2));
      final JSONObject changed = award("e1", "m1", "clean-park", 2);
      switch (field) {
        case "units" -> changed.put("units", 3);
        case "occurredOn" -> changed.put("occurredOn", "2026-03-09");
        case "ruleId" -> changed.put("ruleId", "capped");
        default -> changed.put(field, "other");
      }

      final JSONObject result = fx.recordAward(changed);

      assertThat(result.getString("status")).isEqualTo("CONFLICT");
      assertThat(result.getString("reason")).startsWith("CONFLICT: ");
      assertThat(result.getString("code")).isEqualTo("CONFLICT");
      assertThat(fx.lastTx().writes()).isEmpty();
    }

    @Test
    void the_same_entry_id_twice_in_one_batch_records_once() {
      final JSONArray results =
          fx.recordAwards(
              batch(
                  award("e1", "m1", "clean-park", 1),
                  award("e1", "m1", "clean-park", 1),
                  award("e1", "m1", "clean-park", 4)));

      assertThat(statuses(results)).containsExactly("RECORDED", "DUPLICATE", "CONFLICT");
      assertThat(fx.account("m1").getLong("balance")).isEqualTo(10);
    }

    @Test
    void an_entry_of_another_kind_is_conflict() {
      fx.recordAward(award("e1", "m1", "clean-park", 1));
      fx.redeem(LedgerStubFixture.redemption("r1", "m1", 5));

      assertThat(fx.recordAward(award("r1", "m1", "clean-park", 1)).getString("status"))
          .isEqualTo("CONFLICT");
    }
  }

  @Nested
  class whenAnItemIsBad {

    @Test
    void an_unknown_rule_is_rejected_alone_and_the_rest_records() {
      final JSONArray results =
          fx.recordAwards(batch(award("e1", "m1", "r9", 1), award("e2", "m1", "clean-park", 1)));

      assertThat(results.getJSONObject(0).toMap())
          .containsEntry("status", "REJECTED")
          .containsEntry("reason", "NOT_FOUND: rule r9 does not exist")
          .containsEntry("code", "NOT_FOUND")
          .containsEntry("points", 0);
      assertThat(results.getJSONObject(1).getString("status")).isEqualTo("RECORDED");
      assertThat(
              new JSONObject(fx.lastTx().events().get(0).payload())
                  .getJSONArray("entries")
                  .length())
          .isEqualTo(1);
    }

    @Test
    void an_inactive_rule_is_rejected() {
      fx.putRule(rule("clean-park", 2, 10, 0, 0).put("active", false).toString());

      assertThat(fx.recordAward(award("e1", "m1", "clean-park", 1)).toMap())
          .containsEntry("reason", "RULE_INACTIVE: rule clean-park is inactive")
          .containsEntry("code", "RULE_INACTIVE");
    }

    @Test
    void a_batch_with_nothing_recorded_writes_nothing_and_emits_nothing() {
      fx.recordAward(award("e1", "m1", "clean-park", 1));
      final Map<String, String> before = fx.ledger.snapshot();

      final JSONArray results =
          fx.recordAwards(
              batch(
                  award("e1", "m1", "clean-park", 1),
                  award("e2", "m1", "r9", 1),
                  award("", "m1", "clean-park", 1)));

      assertThat(statuses(results)).containsExactly("DUPLICATE", "REJECTED", "REJECTED");
      assertThat(fx.lastTx().writes()).isEmpty();
      assertThat(fx.lastTx().events()).isEmpty();
      assertThat(fx.ledger.snapshot()).isEqualTo(before);
    }

    @ParameterizedTest
    @ValueSource(strings = {"entryId", "memberId", "ruleId", "occurredOn", "orgUnitId", "actor"})
    void a_missing_field_is_named(final String field) {
      final JSONObject item = award("e1", "m1", "clean-park", 1);
      item.remove(field);

      assertThat(rejection(item)).isEqualTo("INVALID_ARGUMENT: " + field + " is required");
    }

    @ParameterizedTest
    @ValueSource(strings = {"entryId", "memberId", "ruleId", "orgUnitId", "actor"})
    void bad_ids_are_rejected(final String field) {
      assertThat(rejection(award("e1", "m1", "clean-park", 1).put(field, "")))
          .isEqualTo("INVALID_ARGUMENT: " + field + " must not be empty");
      assertThat(rejection(award("e1", "m1", "clean-park", 1).put(field, "a\u0000b")))
          .isEqualTo("INVALID_ARGUMENT: " + field + " contains a control or reserved character");
      assertThat(rejection(award("e1", "m1", "clean-park", 1).put(field, "x".repeat(129))))
          .isEqualTo("INVALID_ARGUMENT: " + field + " is longer than 128 characters");
      assertThat(rejection(award("e1", "m1", "clean-park", 1).put(field, 42)))
          .isEqualTo("INVALID_ARGUMENT: " + field + " must be a string");
    }

    @Test
    void an_id_of_exactly128_characters_is_fine() {
      final String id = "m".repeat(128);
      assertThat(fx.recordAward(award("e1", id, "clean-park", 1)).getString("status"))
          .isEqualTo("RECORDED");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1", "10001", "1.5", "\"2\"", "99999999999999999999"})
    void bad_units_are_rejected(final String units) {
      final JSONObject item =
          new JSONObject(
              award("e1", "m1", "clean-park", 1)
                  .toString()
                  .replace("\"units\":1", "\"units\":" + units));

      assertThat(rejection(item)).startsWith("INVALID_ARGUMENT: units ");
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "2026-02-30",
          "2026-3-10",
          "10/03/2026",
          "2026-03-10T00:00",
          "",
          "2026-13-01",
          "2026-03-12"
        })
    void bad_or_future_dates_are_rejected(final String date) {
      assertThat(rejection(award("e1", "m1", "clean-park", 1).put("occurredOn", date)))
          .startsWith("INVALID_ARGUMENT: occurredOn ");
    }

    @Test
    void tomorrow_is_accepted_for_time_zones_ahead() {
      assertThat(
              fx.recordAward(award("e1", "m1", "clean-park", 1).put("occurredOn", "2026-03-11"))
                  .getString("status"))
          .isEqualTo("RECORDED");
    }

    @Test
    void an_overflowing_request_is_rejected() {
      fx.putRule(rule("huge", 1, Long.MAX_VALUE / 2, 0, 0).toString());

      assertThat(rejection(award("e1", "m1", "huge", 3)))
          .startsWith("INVALID_ARGUMENT: points overflow");
    }

    @Test
    void an_overflowing_balance_is_rejected() {
      fx.putRule(rule("huge", 1, Long.MAX_VALUE / 2, 0, 0).toString());
      fx.recordAward(award("e1", "m1", "huge", 2));

      assertThat(rejection(award("e2", "m1", "huge", 1)))
          .startsWith("INVALID_ARGUMENT: points overflow");
      assertThat(fx.account("m1").getLong("balance")).isEqualTo(Long.MAX_VALUE / 2 * 2);
    }

    @Test
    void an_item_that_is_not_an_object_is_rejected_alone() {
      final JSONArray results = fx.recordAwards("[42, " + award("e1", "m1", "clean-park", 1) + "]");

      assertThat(results.getJSONObject(0).toMap())
          .containsEntry("status", "REJECTED")
          .containsEntry("reason", "INVALID_ARGUMENT: award must be a JSON object");
      assertThat(results.getJSONObject(0).isNull("entryId")).isTrue();
      assertThat(results.getJSONObject(1).getString("status")).isEqualTo("RECORDED");
    }

    private String rejection(final JSONObject item) {
      final JSONObject result = fx.recordAward(item);
      assertThat(result.getString("status")).isEqualTo("REJECTED");
      assertThat(fx.lastTx().writes()).isEmpty();
      return result.getString("reason");
    }
  }

  @Nested
  class whenTheBatchIsBad {

    @ParameterizedTest
    @ValueSource(
        strings = {
          "",
          "   ",
          "not json",
          "[{\"entryId\":",
          "{\"entryId\":\"e1\"}",
          "42",
          "[] []",
          "null",
          "[{'entryId':'e1'}]",
          "[{entryId:\"e1\"}]",
          "[{\"units\":NaN}]",
          "[{\"entryId\":e1}]",
          "[1,]"
        })
    void malformed_json_is_invalid_argument(final String json) {
      fx.assertFails(() -> fx.recordAwards(json), PointsError.INVALID_ARGUMENT);
    }

    @Test
    void an_empty_batch_is_invalid_argument() {
      fx.assertFails(() -> fx.recordAwards("[]"), PointsError.INVALID_ARGUMENT);
    }

    @Test
    void five_hundred_awards_record_but_five_hundred_and_one_do_not() {
      final List<JSONObject> items =
          IntStream.rangeClosed(1, 501)
              .mapToObj(i -> award("e" + i, "m" + (i % 7), "clean-park", 1))
              .toList();

      final var failure =
          fx.assertFails(
              () -> fx.recordAwards(batch(items.toArray(JSONObject[]::new))),
              PointsError.INVALID_ARGUMENT);
      assertThat(failure.getMessage())
          .isEqualTo("INVALID_ARGUMENT: awardsJson must hold 1 to 500 awards, not 501");

      final JSONArray results =
          fx.recordAwards(batch(items.subList(0, 500).toArray(JSONObject[]::new)));
      assertThat(results.length()).isEqualTo(500);
      assertThat(fx.lastTx().events()).hasSize(1);
    }
  }
}
