package org.civicpoints.api.fabric;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import org.civicpoints.api.port.Ledger.AwardStatus;
import org.junit.jupiter.api.Test;

/**
 * A refused award's code comes from the chaincode's {@code code} field; a chaincode older than that
 * field still answers with its code at the start of the reason, which is read there and only there.
 */
class LedgerErrorsTest {

  @Test
  void a_refused_award_takes_the_code_the_chaincode_sent() {
    JsonObject result =
        new JsonObject().put("reason", "RULE_INACTIVE: rule r1 is inactive").put("code", "X_CODE");

    assertThat(LedgerErrors.awardCode(AwardStatus.REJECTED, result)).isEqualTo("X_CODE");
  }

  @Test
  void from_an_older_chaincode_the_code_is_read_from_the_start_of_the_reason() {
    JsonObject result = new JsonObject().put("reason", "RULE_INACTIVE: rule r1: inactive");

    assertThat(LedgerErrors.awardCode(AwardStatus.REJECTED, result)).isEqualTo("RULE_INACTIVE");
  }

  @Test
  void a_refusal_without_a_code_or_a_coded_reason_is_named_by_its_status() {
    assertThat(LedgerErrors.awardCode(AwardStatus.CONFLICT, new JsonObject()))
        .isEqualTo("CONFLICT");
    assertThat(
            LedgerErrors.awardCode(
                AwardStatus.REJECTED, new JsonObject().put("reason", "rule r1: inactive")))
        .isEqualTo("REJECTED");
  }

  @Test
  void recorded_and_duplicate_awards_have_no_code_even_with_a_cap_reason() {
    JsonObject capped = new JsonObject().put("reason", "DAILY_CAP");

    assertThat(LedgerErrors.awardCode(AwardStatus.RECORDED, capped)).isNull();
    assertThat(LedgerErrors.awardCode(AwardStatus.DUPLICATE, capped)).isNull();
  }
}
