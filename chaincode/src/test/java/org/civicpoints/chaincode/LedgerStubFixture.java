package org.civicpoints.chaincode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.BiFunction;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.hyperledger.fabric.contract.Context;
import org.hyperledger.fabric.shim.ChaincodeException;
import org.json.JSONArray;
import org.json.JSONObject;

/**
 * Runs the contract against an {@link InMemoryLedger} one transaction at a time, committing a
 * transaction's writes only when it succeeds (a failed endorsement never reaches a block).
 */
final class LedgerStubFixture {
  static final Instant START = Instant.parse("2026-03-10T10:00:00Z");
  static final String TODAY = "2026-03-10";

  final InMemoryLedger ledger = new InMemoryLedger();
  final PointsContract contract = new PointsContract();
  private Instant clock = START;
  private int sequence;
  private InMemoryStub lastTx;

  String submit(final byte[] identity, final BiFunction<PointsContract, Context, String> call) {
    final InMemoryStub stub =
        new InMemoryStub(ledger, "tx" + ++sequence, clock, identity, List.of());
    lastTx = stub;
    final String result = call.apply(contract, new Context(stub));
    ledger.commit(stub);
    clock = clock.plusSeconds(1);
    return result;
  }

  /** A query: runs like a submit but must not write or emit anything. */
  String evaluate(final BiFunction<PointsContract, Context, String> call) {
    final InMemoryStub stub =
        new InMemoryStub(ledger, "q" + ++sequence, clock, TestIdentities.NO_ROLE, List.of());
    lastTx = stub;
    final String result = call.apply(contract, new Context(stub));
    assertThat(stub.writes()).isEmpty();
    assertThat(stub.events()).isEmpty();
    assertThat(stub.openIterators()).isZero();
    return result;
  }

  InMemoryStub lastTx() {
    return lastTx;
  }

  void advance(final Duration duration) {
    clock = clock.plus(duration);
  }

  void setClock(final Instant instant) {
    clock = instant;
  }

  String putRule(final String ruleJson) {
    return submit(TestIdentities.RULES_ADMIN, (c, ctx) -> c.PutRule(ctx, ruleJson));
  }

  JSONArray recordAwards(final String awardsJson) {
    return new JSONArray(
        submit(TestIdentities.LEDGER_WRITER, (c, ctx) -> c.RecordAwards(ctx, awardsJson)));
  }

  JSONObject recordAward(final JSONObject award) {
    return recordAwards(new JSONArray().put(award).toString()).getJSONObject(0);
  }

  JSONObject redeem(final JSONObject redemption) {
    return new JSONObject(
        submit(TestIdentities.LEDGER_WRITER, (c, ctx) -> c.Redeem(ctx, redemption.toString())));
  }

  JSONObject reverse(final JSONObject reversal) {
    return new JSONObject(
        submit(TestIdentities.LEDGER_WRITER, (c, ctx) -> c.Reverse(ctx, reversal.toString())));
  }

  JSONObject refund(final JSONObject refund) {
    return new JSONObject(
        submit(
            TestIdentities.LEDGER_WRITER, (c, ctx) -> c.RefundRedemption(ctx, refund.toString())));
  }

  JSONObject account(final String memberId) {
    return new JSONObject(evaluate((c, ctx) -> c.GetAccount(ctx, memberId)));
  }

  JSONObject entry(final String entryId) {
    return new JSONObject(evaluate((c, ctx) -> c.GetEntry(ctx, entryId)));
  }

  /**
   * Asserts that a call fails with {@code code}, a message starting with the code, the code as
   * payload, and that the failed transaction wrote and emitted nothing.
   */
  ChaincodeException assertFails(final ThrowingCallable call, final PointsError code) {
    final ChaincodeException failure = catchThrowableOfType(ChaincodeException.class, call);
    assertThat(failure).as("expected %s", code).isNotNull();
    assertThat(failure.getMessage()).startsWith(code.name() + ": ");
    assertThat(new String(failure.getPayload(), StandardCharsets.UTF_8)).isEqualTo(code.name());
    assertThat(lastTx.writes()).isEmpty();
    assertThat(lastTx.events()).isEmpty();
    return failure;
  }

  // Request builders with sensible defaults; tests override what they are about.

  static JSONObject rule(
      final String ruleId,
      final long version,
      final long points,
      final long dailyCap,
      final long yearlyCap) {
    return new JSONObject()
        .put("ruleId", ruleId)
        .put("version", version)
        .put("category", "VOLUNTEER")
        .put("points", points)
        .put("dailyCap", dailyCap)
        .put("yearlyCap", yearlyCap)
        .put("active", true);
  }

  static JSONObject award(
      final String entryId, final String memberId, final String ruleId, final long units) {
    return new JSONObject()
        .put("entryId", entryId)
        .put("memberId", memberId)
        .put("ruleId", ruleId)
        .put("units", units)
        .put("occurredOn", TODAY)
        .put("orgUnitId", "community-7")
        .put("actor", "staff-1");
  }

  static JSONObject redemption(final String entryId, final String memberId, final long points) {
    return new JSONObject()
        .put("entryId", entryId)
        .put("memberId", memberId)
        .put("points", points)
        .put("rewardId", "reward-1")
        .put("actor", "staff-1");
  }

  static JSONObject reversal(final String entryId, final String targetEntryId) {
    return new JSONObject()
        .put("entryId", entryId)
        .put("targetEntryId", targetEntryId)
        .put("reason", "approved by mistake")
        .put("actor", "staff-2");
  }

  static JSONObject refund(final String entryId, final String redemptionEntryId) {
    return new JSONObject()
        .put("entryId", entryId)
        .put("redemptionEntryId", redemptionEntryId)
        .put("reason", "cancelled before pickup")
        .put("actor", "staff-3");
  }

  static String batch(final JSONObject... awards) {
    final JSONArray array = new JSONArray();
    for (final JSONObject award : awards) {
      array.put(award);
    }
    return array.toString();
  }
}
