package org.civicpoints.api.port;

import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.civicpoints.api.domain.Cursor;
import org.civicpoints.api.domain.Page;
import org.civicpoints.api.domain.Redemption;

/**
 * Redemptions, each with its Redeem command embedded (the outbox), and the members' limit counters:
 * one document per member, reward and month (or year), taken by a conditional upsert.
 */
public interface Redemptions {

  /**
   * Inserts it RESERVING: its Redeem command is written but not yet relayed; false when the
   * member's key is taken already.
   */
  Future<Boolean> insert(Redemption redemption);

  /** RESERVING → QUEUED for the relay; false when it was no longer reserving (given up). */
  Future<Boolean> queue(String redemptionId);

  /** A given-up reservation whose holdings were given back, gone as if never asked for. */
  Future<Void> discard(String redemptionId);

  /**
   * A reservation still RESERVING (refused, or its request died) → FAILED with {@code reason},
   * never to be relayed; false when it was no longer reserving (queued or given up meanwhile).
   */
  Future<Boolean> giveUp(String redemptionId, String reason, Instant at);

  /**
   * Redemptions whose reservations may still be held wrongly since before {@code cutoff}: left
   * RESERVING, or FAILED or CANCELLED and not released yet.
   */
  Future<List<Redemption>> interrupted(Instant cutoff, int limit);

  Future<Optional<Redemption>> find(String redemptionId);

  /** The reward titles of those of {@code redemptionIds} that are the member's, by id. */
  Future<Map<String, String>> titles(String memberId, List<String> redemptionIds);

  Future<Optional<Redemption>> findByIdempotencyKey(String memberId, String idempotencyKey);

  /**
   * One of at most {@code limit} slots of the counter taken for {@code redemptionId} (the counter
   * names its holders): false when all are.
   */
  Future<Boolean> takeSlot(String counterId, int limit, String redemptionId);

  /** Whether {@code redemptionId} holds a slot of the counter. */
  Future<Boolean> holdsSlot(String counterId, String redemptionId);

  /** The slot {@code redemptionId} holds, given back; once, however often it is called. */
  Future<Void> returnSlot(String counterId, String redemptionId);

  /** Notes that the redemption's reservations (stock, limits) were given back. */
  Future<Void> markReleased(String redemptionId);

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

  /**
   * A reward's redemptions, of one status when {@code status} is set, made in {@code [from, until)}
   * when those are set (e.g. one day).
   */
  record OfReward(String rewardId, Redemption.Status status, Instant from, Instant until) {}

  Future<Page<Redemption>> listOfReward(OfReward selection, Cursor after, int limit);

  Future<List<Redemption>> allOfReward(OfReward selection);
}
