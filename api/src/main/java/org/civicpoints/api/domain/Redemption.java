package org.civicpoints.api.domain;

import java.time.Instant;

/**
 * A member's redemption of a reward. Its id is the chain entry id of its {@code Redeem}; {@code
 * month} and {@code year} (in the civic time zone; null when the reward has no such limit) name the
 * limit counters it holds until it is released (FAILED or CANCELLED). It is {@code reserving} from
 * its writing until it holds all it needs and is queued for the ledger (or is given up).
 */
public record Redemption(
    String redemptionId,
    String memberId,
    String rewardId,
    String scope,
    String title,
    long pointsCost,
    int pickupDeadlineDays,
    Status status,
    String reason,
    String idempotencyKey,
    String month,
    String year,
    boolean stockReserved,
    boolean reserving,
    String txId,
    Long blockNumber,
    String pickupCode,
    Instant pickupDeadline,
    String fulfilledBy,
    String fulfilledAt,
    Instant fulfilledOn,
    String cancelledBy,
    String cancelReason,
    Refund refund,
    Instant createdAt,
    Instant updatedAt) {

  /**
   * The refund of a cancelled redemption: QUEUED for the ledger, then DONE with its transaction.
   */
  public record Refund(String entryId, String state, String txId, Long blockNumber) {}

  /** The chain entry id of the refund of {@code redemptionId}: rd_x… → rf_x…. */
  public static String refundEntryId(String redemptionId) {
    return "rf_" + redemptionId.substring(3);
  }

  public static String redemptionIdOfRefund(String refundEntryId) {
    return "rd_" + refundEntryId.substring(3);
  }

  public enum Status {
    PENDING,
    REDEEMED,
    FAILED,
    FULFILLED,
    CANCELLED
  }
}
