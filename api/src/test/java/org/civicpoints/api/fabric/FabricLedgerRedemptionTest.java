package org.civicpoints.api.fabric;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.civicpoints.api.config.ApiConfig;
import org.civicpoints.api.domain.Ids;
import org.civicpoints.api.domain.LedgerFailure;
import org.civicpoints.api.port.Ledger;
import org.civicpoints.api.support.TestDevnet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Redeem and RefundRedemption through the real gateway client against the devnet: a refund gives
 * the points back once, a retry is DUPLICATE, a second refund is refused with its own code.
 */
class FabricLedgerRedemptionTest {

  private TestDevnet devnet;
  private Vertx vertx;
  private FabricLedger ledger;
  private final String member = Ids.memberId();

  @BeforeEach
  void memberWithFiftyPoints() throws Exception {
    devnet = TestDevnet.start();
    vertx = Vertx.vertx();
    Map<String, String> environment = new HashMap<>(devnet.settings());
    environment.put("CIVIC_ENV", "dev");
    ledger = FabricLedger.connect(vertx, ApiConfig.fromEnv(environment).fabric());
    String ruleId = Ids.ruleId();
    await(ledger.putRule(new Ledger.RuleVersion(ruleId, 1, "VOLUNTEER", 10, 0, 0, true)));
    String today = LocalDate.now(ZoneOffset.UTC).toString();
    await(
        ledger.recordAwards(
            List.of(new Ledger.Award("a-1", member, ruleId, 5, today, "c-east-1a", "staff-1"))));
  }

  @AfterEach
  void stop() throws Exception {
    await(ledger.close());
    await(vertx.close());
    devnet.close();
  }

  @Test
  void a_refund_gives_the_redeemed_points_back_once() throws Exception {
    JsonObject redeemed = await(ledger.redeem(redemption("rd-1", 20))).result();
    assertThat(redeemed.getLong("balanceAfter")).isEqualTo(30);

    Ledger.Committed<JsonObject> refunded = await(ledger.refundRedemption(refund("rf-1")));

    assertThat(refunded.result().getString("status")).isEqualTo("RECORDED");
    assertThat(refunded.result().getLong("points")).isEqualTo(20);
    assertThat(refunded.result().getLong("balanceAfter")).isEqualTo(50);
    assertThat(refunded.blockNumber()).isPositive();
    JsonObject entry = await(ledger.entry("rf-1")).orElseThrow();
    assertThat(entry.getString("kind")).isEqualTo("REFUND");
    assertThat(entry.getString("targetEntryId")).isEqualTo("rd-1");
    JsonObject account = await(ledger.account(member)).orElseThrow();
    assertThat(account.getLong("refunded")).isEqualTo(20);
    assertThat(account.getLong("spent")).isEqualTo(20);
    assertThat(account.getLong("balance")).isEqualTo(50);
  }

  @Test
  void a_retry_is_duplicate_and_a_second_refund_is_already_refunded() throws Exception {
    await(ledger.redeem(redemption("rd-1", 20)));
    await(ledger.refundRedemption(refund("rf-1")));

    JsonObject retry = await(ledger.refundRedemption(refund("rf-1"))).result();
    LedgerFailure second = failure(ledger.refundRedemption(refund("rf-2")));

    assertThat(retry.getString("status")).isEqualTo("DUPLICATE");
    assertThat(second.kind()).isEqualTo(LedgerFailure.Kind.REJECTED);
    assertThat(second.code()).isEqualTo("ALREADY_REFUNDED");
    assertThat(await(ledger.account(member)).orElseThrow().getLong("balance")).isEqualTo(50);
  }

  @Test
  void a_short_balance_is_insufficient_points_and_only_a_redemption_is_refundable() {
    LedgerFailure tooMuch = failure(ledger.redeem(redemption("rd-1", 51)));
    LedgerFailure notARedemption =
        failure(ledger.refundRedemption(new Ledger.Refund("rf-1", "a-1", "cancelled", "staff-1")));

    assertThat(tooMuch.kind()).isEqualTo(LedgerFailure.Kind.REJECTED);
    assertThat(tooMuch.code()).isEqualTo("INSUFFICIENT_POINTS");
    assertThat(notARedemption.code()).isEqualTo("INVALID_ARGUMENT");
  }

  private Ledger.Redemption redemption(String entryId, long points) {
    return new Ledger.Redemption(entryId, member, points, "reward-1", "system");
  }

  private static Ledger.Refund refund(String entryId) {
    return new Ledger.Refund(entryId, "rd-1", "cancelled before pickup", "staff-2");
  }

  private static LedgerFailure failure(Future<?> future) {
    ExecutionException failed = catchThrowableOfType(ExecutionException.class, () -> await(future));
    assertThat(failed).isNotNull();
    assertThat(failed.getCause()).isInstanceOf(LedgerFailure.class);
    return (LedgerFailure) failed.getCause();
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
