package org.civicpoints.chaincode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.civicpoints.chaincode.LedgerStubFixture.rule;

import java.util.Map;
import org.json.JSONObject;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PutRuleTest {
  private final LedgerStubFixture fx = new LedgerStubFixture();

  @Nested
  class whenRuleIsNew {

    @Test
    void version_one_is_recorded_with_one_rule_changed_event() {
      final JSONObject result =
          new JSONObject(fx.putRule(rule("clean-park", 1, 10, 30, 300).toString()));

      final String ruleJson =
          "{\"ruleId\":\"clean-park\",\"version\":1,\"category\":\"VOLUNTEER\",\"points\":10,"
              + "\"dailyCap\":30,\"yearlyCap\":300,\"active\":true}";
      assertThat(result.getString("status")).isEqualTo("RECORDED");
      assertThat(result.getJSONObject("rule").similar(new JSONObject(ruleJson))).isTrue();
      assertThat(fx.lastTx().events())
          .containsExactly(new InMemoryStub.Event("RuleChanged", ruleJson));
      assertThat(fx.evaluate((c, ctx) -> c.GetRule(ctx, "clean-park"))).isEqualTo(ruleJson);
    }

    @Test
    void caps_default_to_none_and_active_to_true() {
      fx.putRule(
          new JSONObject()
              .put("ruleId", "r1")
              .put("version", 1)
              .put("category", "STUDY")
              .put("points", 5)
              .toString());

      assertThat(new JSONObject(fx.evaluate((c, ctx) -> c.GetRule(ctx, "r1"))).toMap())
          .containsEntry("dailyCap", 0)
          .containsEntry("yearlyCap", 0)
          .containsEntry("active", true);
    }

    @Test
    void any_version_but_one_is_conflict() {
      final var failure =
          fx.assertFails(
              () -> fx.putRule(rule("r1", 2, 10, 0, 0).toString()), PointsError.CONFLICT);
      assertThat(failure.getMessage()).isEqualTo("CONFLICT: rule r1 version must be 1, not 2");
    }
  }

  @Nested
  class whenRuleExists {

    @Test
    void the_next_version_replaces_it() {
      fx.putRule(rule("r1", 1, 10, 0, 0).toString());

      final JSONObject result =
          new JSONObject(fx.putRule(rule("r1", 2, 12, 0, 0).put("active", false).toString()));

      assertThat(result.getString("status")).isEqualTo("RECORDED");
      assertThat(new JSONObject(fx.evaluate((c, ctx) -> c.GetRule(ctx, "r1"))).toMap())
          .containsEntry("version", 2)
          .containsEntry("points", 12)
          .containsEntry("active", false);
    }

    @Test
    void a_retry_of_the_same_version_is_duplicate_without_writes_or_events() {
      fx.putRule(rule("r1", 1, 10, 0, 0).toString());
      final Map<String, String> before = fx.ledger.snapshot();

      final JSONObject result = new JSONObject(fx.putRule(rule("r1", 1, 10, 0, 0).toString()));

      assertThat(result.getString("status")).isEqualTo("DUPLICATE");
      assertThat(result.getJSONObject("rule").getLong("points")).isEqualTo(10);
      assertThat(fx.lastTx().writes()).isEmpty();
      assertThat(fx.lastTx().events()).isEmpty();
      assertThat(fx.ledger.snapshot()).isEqualTo(before);
    }

    @Test
    void the_same_version_with_different_content_is_conflict() {
      fx.putRule(rule("r1", 1, 10, 0, 0).toString());

      fx.assertFails(() -> fx.putRule(rule("r1", 1, 11, 0, 0).toString()), PointsError.CONFLICT);
    }

    @Test
    void a_version_gap_or_an_older_version_is_conflict() {
      fx.putRule(rule("r1", 1, 10, 0, 0).toString());
      fx.putRule(rule("r1", 2, 10, 0, 0).toString());

      fx.assertFails(() -> fx.putRule(rule("r1", 4, 10, 0, 0).toString()), PointsError.CONFLICT);
      fx.assertFails(() -> fx.putRule(rule("r1", 1, 10, 0, 0).toString()), PointsError.CONFLICT);
    }
  }

  @Nested
  class whenInputIsBad {

    @ParameterizedTest
    @ValueSource(strings = {"ruleId", "version", "category", "points"})
    void a_missing_required_field_is_named(final String field) {
      final JSONObject json = rule("r1", 1, 10, 0, 0);
      json.remove(field);

      final var failure =
          fx.assertFails(() -> fx.putRule(json.toString()), PointsError.INVALID_ARGUMENT);
      assertThat(failure.getMessage()).isEqualTo("INVALID_ARGUMENT: " + field + " is required");
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "{\"points\":0}", "{\"points\":-5}", "{\"points\":1.5}", "{\"points\":\"10\"}",
          "{\"points\":123456789012345678901234}", "{\"version\":0}", "{\"dailyCap\":-1}",
              "{\"yearlyCap\":-1}",
          "{\"active\":\"yes\"}", "{\"category\":\"SPORT\"}", "{\"category\":7}",
              "{\"ruleId\":\"\"}",
          "{\"ruleId\":\"a\\u0000b\"}", "{\"ruleId\":\"a\\nb\"}"
        })
    void bad_values_are_invalid_argument(final String override) {
      final JSONObject json = rule("r1", 1, 10, 0, 0);
      final JSONObject changes = new JSONObject(override);
      changes.keySet().forEach(key -> json.put(key, changes.get(key)));

      fx.assertFails(() -> fx.putRule(json.toString()), PointsError.INVALID_ARGUMENT);
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "",
          "{",
          "[]",
          "{\"ruleId\":\"r1\"} trailing",
          "{\"ruleId\":\"r1\",\"ruleId\":\"r2\"}"
        })
    void malformed_json_is_invalid_argument(final String json) {
      fx.assertFails(() -> fx.putRule(json), PointsError.INVALID_ARGUMENT);
    }

    @Test
    void an_id_over128_characters_is_invalid_argument() {
      final var failure =
          fx.assertFails(
              () -> fx.putRule(rule("r".repeat(129), 1, 10, 0, 0).toString()),
              PointsError.INVALID_ARGUMENT);
      assertThat(failure.getMessage())
          .isEqualTo("INVALID_ARGUMENT: ruleId is longer than 128 characters");
    }
  }
}
