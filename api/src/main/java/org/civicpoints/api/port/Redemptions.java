package org.civicpoints.api.port;

import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.civicpoints.api.domain.Cursor;
import org.civicpoints.api.domain.Page;
import org.civicpoints.api.domain.Redemption;

/**
 * Redemptions, each with its Redeem command embedded (the outbox), and the members' limit counters:
 * one document per member, reward and month (or year), taken by a conditional upsert.
 */
public interface Redemptions {

  /** Inserts with its queued ledger command; false when the member's key is taken already. */
  Future<Boolean> insert(Redemption redemption);

  Future<Optional<Redemption>> find(String redemptionId);

  Future<Optional<Redemption>> findByIdempotencyKey(String memberId, String idempotencyKey);

  /** One of at most {@code limit} slots of the counter taken: false when all are. */
  Future<Boolean> takeSlot(String counterId, int limit);

  Future<Void> returnSlot(String counterId);

  /**
   * Marks the redemption's reservations (stock, limits) as given back: true for the one caller that
   * did it, so they are returned once.
   */
  Future<Boolean> markReleased(String redemptionId);

  /** PENDING → REDEEMED with its chain position and pickup code; false when it was not PENDING. */
  Future<Boolean> redeemed(
      String redemptionId,
      String txId,
      long blockNumber,
      String pickupCode,
      Instant pickupDeadline,
      Instant at);

  /** Whether no redemption holds this pickup code yet, taken for this one if so. */
  Future<Boolean> claimPickupCode(String pickupCode, String redemptionId);

  /** REDEEMED with this code → FULFILLED; false when either does not hold. */
  Future<Boolean> fulfil(
      String redemptionId, String pickupCode, String staffId, String where, Instant at);

  /**
   * REDEEMED → CANCELLED with its refund queued for the ledger (the outbox); false when it was no
   * longer REDEEMED.
   */
  Future<Boolean> cancel(
      String redemptionId, String actor, String reason, String chainReason, Instant at);

  /** The refund's transaction, from the chain's REFUND entry; a replay changes nothing. */
  Future<Void> refunded(String redemptionId, String txId, long blockNumber, Instant at);

  /** REDEEMED redemptions whose pickup deadline passed before {@code now}, oldest first. */
  Future<List<Redemption>> overdue(Instant now, int limit);

  Future<Page<Redemption>> listOfMember(String memberId, Cursor after, int limit);

  Future<Page<Redemption>> listOfReward(
      String rewardId, Redemption.Status status, Cursor after, int limit);

  Future<List<Redemption>> allOfReward(String rewardId, Redemption.Status status);
}
