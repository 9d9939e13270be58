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
    void recordsTheEntryTheAccountAndOneEvent() {
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
                      + "\"balanceAfter\":30}]}"));
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
    void unitsDefaultToOne() {
      final JSONObject item = award("e1", "m1", "clean-park", 1);
      item.remove("units");

      assertThat(fx.recordAward(item).getLong("points")).isEqualTo(10);
      assertThat(fx.entry("e1").getLong("units")).isEqualTo(1);
    }

    @Test
    void twoAwardsForOneMemberInOneBatchBothCount() {
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
    void aNewRuleVersionAppliesToNewAwardsOnly() {
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
    void writesOnlyPointKeysWithoutRangeReads() {
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
    void aDailyCapGrantsWhatIsLeftAndSaysWhy() {
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
    void aFullCapGrantsZeroAndStillWritesTheEntry() {
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
    void theYearlyCapHoldsAcrossDays() {
      fx.recordAward(award("e1", "m1", "capped", 2).put("occurredOn", "2026-03-08"));
      fx.recordAward(award("e2", "m1", "capped", 2).put("occurredOn", "2026-03-09"));
      final JSONObject third = fx.recordAward(award("e3", "m1", "capped", 2));

      assertThat(third.toMap()).containsEntry("points", 0).containsEntry("reason", "YEARLY_CAP");
      assertThat(fx.account("m1").getLong("balance")).isEqualTo(40);
    }

    @Test
    void theYearlyCapCutsBeforeTheDailyOneWhenItIsTighter() {
      fx.recordAward(award("e1", "m1", "capped", 2).put("occurredOn", "2026-03-08"));
      fx.recordAward(award("e2", "m1", "capped", 1).put("occurredOn", "2026-03-09"));
      final JSONObject third = fx.recordAward(award("e3", "m1", "capped", 2));

      assertThat(third.toMap()).containsEntry("points", 10).containsEntry("reason", "YEARLY_CAP");
    }

    @Test
    void capsAreCountedPerMemberAndPerYear() {
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
    void theSameContentIsDuplicateAndChangesNothing() {
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
    void differentContentIsConflict(final String field) {
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
    void theSameEntryIdTwiceInOneBatchRecordsOnce() {
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
    void anEntryOfAnotherKindIsConflict() {
      fx.recordAward(award("e1", "m1", "clean-park", 1));
      fx.redeem(LedgerStubFixture.redemption("r1", "m1", 5));

      assertThat(fx.recordAward(award("r1", "m1", "clean-park", 1)).getString("status"))
          .isEqualTo("CONFLICT");
    }
  }

  @Nested
  class whenAnItemIsBad {

    @Test
    void anUnknownRuleIsRejectedAloneAndTheRestRecords() {
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
    void anInactiveRuleIsRejected() {
      fx.putRule(rule("clean-park", 2, 10, 0, 0).put("active", false).toString());

      assertThat(fx.recordAward(award("e1", "m1", "clean-park", 1)).toMap())
          .containsEntry("reason", "RULE_INACTIVE: rule clean-park is inactive")
          .containsEntry("code", "RULE_INACTIVE");
    }

    @Test
    void aBatchWithNothingRecordedWritesNothingAndEmitsNothing() {
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
    void aMissingFieldIsNamed(final String field) {
      final JSONObject item = award("e1", "m1", "clean-park", 1);
      item.remove(field);

      assertThat(rejection(item)).isEqualTo("INVALID_ARGUMENT: " + field + " is required");
    }

    @ParameterizedTest
    @ValueSource(strings = {"entryId", "memberId", "ruleId", "orgUnitId", "actor"})
    void badIdsAreRejected(final String field) {
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
    void anIdOfExactly128CharactersIsFine() {
      final String id = "m".repeat(128);
      assertThat(fx.recordAward(award("e1", id, "clean-park", 1)).getString("status"))
          .isEqualTo("RECORDED");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1", "10001", "1.5", "\"2\"", "99999999999999999999"})
    void badUnitsAreRejected(final String units) {
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
    void badOrFutureDatesAreRejected(final String date) {
      assertThat(rejection(award("e1", "m1", "clean-park", 1).put("occurredOn", date)))
          .startsWith("INVALID_ARGUMENT: occurredOn ");
    }

    @Test
    void tomorrowIsAcceptedForTimeZonesAhead() {
      assertThat(
              fx.recordAward(award("e1", "m1", "clean-park", 1).put("occurredOn", "2026-03-11"))
                  .getString("status"))
          .isEqualTo("RECORDED");
    }

    @Test
    void anOverflowingRequestIsRejected() {
      fx.putRule(rule("huge", 1, Long.MAX_VALUE / 2, 0, 0).toString());

      assertThat(rejection(award("e1", "m1", "huge", 3)))
          .startsWith("INVALID_ARGUMENT: points overflow");
    }

    @Test
    void anOverflowingBalanceIsRejected() {
      fx.putRule(rule("huge", 1, Long.MAX_VALUE / 2, 0, 0).toString());
      fx.recordAward(award("e1", "m1", "huge", 2));

      assertThat(rejection(award("e2", "m1", "huge", 1)))
          .startsWith("INVALID_ARGUMENT: points overflow");
      assertThat(fx.account("m1").getLong("balance")).isEqualTo(Long.MAX_VALUE / 2 * 2);
    }

    @Test
    void anItemThatIsNotAnObjectIsRejectedAlone() {
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
    void malformedJsonIsInvalidArgument(final String json) {
      fx.assertFails(() -> fx.recordAwards(json), PointsError.INVALID_ARGUMENT);
    }

    @Test
    void anEmptyBatchIsInvalidArgument() {
      fx.assertFails(() -> fx.recordAwards("[]"), PointsError.INVALID_ARGUMENT);
    }

    @Test
    void fiveHundredAwardsRecordButFiveHundredAndOneDoNot() {
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
