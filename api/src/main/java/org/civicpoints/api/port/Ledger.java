package org.civicpoints.api.port;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The points ledger (Fabric). Writes are submitted and awaited until committed; a failed write
 * fails its future with a {@link org.civicpoints.api.domain.LedgerFailure} saying what to do next.
 * Its health check evaluates a read-only query.
 */
public interface Ledger extends HealthCheck {

  @Override
  default String name() {
    return "ledger";
  }

  /** One award of a RecordAwards batch, as the chaincode takes it. */
  record Award(
      String entryId,
      String memberId,
      String ruleId,
      long units,
      String occurredOn,
      String orgUnitId,
      String actor) {}

  /**
   * What the chaincode did with one award: recorded it, found it recorded before (DUPLICATE), found
   * its entryId taken by different content (CONFLICT), or refused it (REJECTED).
   */
  enum AwardStatus {
    RECORDED,
    DUPLICATE,
    CONFLICT,
    REJECTED
  }

  /**
   * The chaincode's answer for one award. {@code code} is the chaincode's error code of a CONFLICT
   * or REJECTED award (e.g. RULE_INACTIVE), null otherwise; {@code reason} is its message, or the
   * cap that cut a RECORDED award's points.
   */
  record AwardOutcome(
      String entryId,
      AwardStatus status,
      long points,
      long requestedPoints,
      String reason,
      String code) {}

  record Reversal(String entryId, String targetEntryId, String reason, String actor) {}

  /** Spends {@code points} of a member on a reward; the entryId is the redemption's id. */
  record Redemption(String entryId, String memberId, long points, String rewardId, String actor) {}

  /**
   * Gives back what the REDEMPTION {@code redemptionEntryId} spent; {@code entryId} is the refund's
   * own id. The chaincode refuses a second refund of the same redemption with ALREADY_REFUNDED.
   */
  record Refund(String entryId, String redemptionEntryId, String reason, String actor) {}

  /**
   * Expires what is left of the member's lot of earning year {@code year}. The entryId should be
   * deterministic ({@code expiry-<memberId>-<year>}) so a retry is DUPLICATE; another id for the
   * same lot is refused with ALREADY_EXPIRED.
   */
  record Expiry(String entryId, String memberId, int year, String actor) {}

  record RuleVersion(
      String ruleId,
      long version,
      String category,
      long points,
      long dailyCap,
      long yearlyCap,
      boolean active) {}

  /** A committed transaction: its id, its block and what the chaincode returned. */
  record Committed<T>(String txId, long blockNumber, T result) {}

  /**
   * A chaincode event with its position: {@code txOrdinal} counts the chaincode events of its block
   * from 0, so a follower that restarts at the start of a block numbers them the same way again.
   */
  record ChainEvent(
      long blockNumber, int txOrdinal, String txId, String name, JsonObject payload) {}

  /** A running event subscription. */
  interface Following {
    void stop();
  }

  Future<Committed<List<AwardOutcome>>> recordAwards(List<Award> awards);

  /**
   * The result is the chaincode's move result ({@code status} RECORDED or DUPLICATE, the entry's
   * fields).
   */
  Future<Committed<JsonObject>> reverse(Reversal reversal);

  /**
   * The result is the chaincode's move result ({@code status} RECORDED or DUPLICATE, the entry's
   * signed points, the balance after). A short balance fails with the code INSUFFICIENT_POINTS.
   */
  Future<Committed<JsonObject>> redeem(Redemption redemption);

  /** The result is the chaincode's move result, as for {@link #redeem}. */
  Future<Committed<JsonObject>> refundRedemption(Refund refund);

  /** The result is the chaincode's move result, as for {@link #redeem}. */
  Future<Committed<JsonObject>> expire(Expiry expiry);

  /** Signed by the rules-admin identity. The result's {@code status} is RECORDED or DUPLICATE. */
  Future<Committed<JsonObject>> putRule(RuleVersion rule);

  /** The entry as the chain holds it; empty when the chain has no such entry. */
  Future<Optional<JsonObject>> entry(String entryId);

  /** The member's account as the chain holds it; empty when the member never received points. */
  Future<Optional<JsonObject>> account(String memberId);

  /**
   * One page of the chain's accounts in key order ({@code ListAccounts}); {@code bookmark} is where
   * the next page starts, empty after the last one.
   */
  record AccountPage(List<JsonObject> accounts, String bookmark) {}

  /** Up to {@code pageSize} (1..1000) accounts from {@code bookmark} (empty: the first). */
  Future<AccountPage> accounts(int pageSize, String bookmark);

  /** Every entry of the member as the chain holds them, newest first (all pages). */
  Future<List<JsonObject>> memberEntries(String memberId);

  /** The highest block this process has seen committed (commit statuses, events), plus one. */
  long knownHeight();

  /**
   * Delivers the chaincode events from the start of {@code startBlock} in chain order, in batches:
   * the next batch (the events that arrived meanwhile) comes once the handler's future completed,
   * so a handler that falls behind gets more at once. Reconnects (with backoff) when the stream
   * ends or fails, without delivering an event twice. A failed handler stops the feed and {@code
   * onStopped} receives the failure. The handler and {@code onStopped} run on the caller's context.
   */
  Following follow(
      long startBlock,
      Function<List<ChainEvent>, Future<Void>> handler,
      java.util.function.Consumer<Throwable> onStopped);

  Future<Void> close();
}
