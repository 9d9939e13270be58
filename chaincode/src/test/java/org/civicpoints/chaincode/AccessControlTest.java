package org.civicpoints.chaincode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.civicpoints.chaincode.LedgerStubFixture.award;
import static org.civicpoints.chaincode.LedgerStubFixture.batch;
import static org.civicpoints.chaincode.LedgerStubFixture.redemption;
import static org.civicpoints.chaincode.LedgerStubFixture.refund;
import static org.civicpoints.chaincode.LedgerStubFixture.reversal;
import static org.civicpoints.chaincode.LedgerStubFixture.rule;

import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.hyperledger.fabric.contract.Context;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AccessControlTest {
  private final LedgerStubFixture fx = new LedgerStubFixture();

  static Stream<Arguments> writesAndTheWrongCallers() {
    final BiFunction<PointsContract, Context, String> putRule =
        (c, ctx) -> c.PutRule(ctx, rule("r1", 1, 10, 0, 0).toString());
    final BiFunction<PointsContract, Context, String> recordAwards =
        (c, ctx) -> c.RecordAwards(ctx, batch(award("a1", "m1", "r1", 1)));
    final BiFunction<PointsContract, Context, String> redeem =
        (c, ctx) -> c.Redeem(ctx, redemption("x1", "m1", 1).toString());
    final BiFunction<PointsContract, Context, String> reverse =
        (c, ctx) -> c.Reverse(ctx, reversal("x1", "a1").toString());
    final BiFunction<PointsContract, Context, String> refund =
        (c, ctx) -> c.RefundRedemption(ctx, refund("x1", "r1").toString());
    return Stream.of(
        Arguments.of("PutRule by a ledger writer", putRule, TestIdentities.LEDGER_WRITER),
        Arguments.of("PutRule without a role", putRule, TestIdentities.NO_ROLE),
        Arguments.of("PutRule by another role", putRule, TestIdentities.OTHER_ROLE),
        Arguments.of("RecordAwards by a rules admin", recordAwards, TestIdentities.RULES_ADMIN),
        Arguments.of("RecordAwards without a role", recordAwards, TestIdentities.NO_ROLE),
        Arguments.of("RecordAwards by another role", recordAwards, TestIdentities.OTHER_ROLE),
        Arguments.of("Redeem by a rules admin", redeem, TestIdentities.RULES_ADMIN),
        Arguments.of("Redeem without a role", redeem, TestIdentities.NO_ROLE),
        Arguments.of("Reverse by a rules admin", reverse, TestIdentities.RULES_ADMIN),
        Arguments.of("Reverse without a role", reverse, TestIdentities.NO_ROLE),
        Arguments.of("RefundRedemption by a rules admin", refund, TestIdentities.RULES_ADMIN),
        Arguments.of("RefundRedemption without a role", refund, TestIdentities.NO_ROLE));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("writesAndTheWrongCallers")
  void a_write_by_the_wrong_caller_is_forbidden(
      final String name,
      final BiFunction<PointsContract, Context, String> call,
      final byte[] caller) {
    fx.putRule(rule("r1", 1, 10, 0, 0).toString());
    fx.recordAward(award("a1", "m1", "r1", 1));

    fx.assertFails(() -> fx.submit(caller, call), PointsError.FORBIDDEN);
  }

  @Nested
  class whenTheRoleIsMissing {

    @Test
    void the_message_says_which_role_is_needed() {
      final var failure =
          fx.assertFails(
              () ->
                  fx.submit(
                      TestIdentities.NO_ROLE,
                      (c, ctx) -> c.PutRule(ctx, rule("r1", 1, 10, 0, 0).toString())),
              PointsError.FORBIDDEN);

      assertThat(failure.getMessage())
          .isEqualTo(
              "FORBIDDEN: this transaction needs the civic.role rules-admin; the caller has no role");
    }

    @Test
    void forbidden_comes_before_input_validation() {
      fx.assertFails(
          () -> fx.submit(TestIdentities.NO_ROLE, (c, ctx) -> c.RecordAwards(ctx, "garbage")),
          PointsError.FORBIDDEN);
    }
  }
}
