package org.civicpoints.api.domain;

import java.time.Instant;

/**
 * A member's redemption of a reward. Its id is the chain entry id of its {@code Redeem}; {@code
 * month} and {@code year} (in the civic time zone; null when the reward has no such limit) name the
 * limit counters it holds until it is released (FAILED or CANCELLED).
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
    String txId,
    Long blockNumber,
    String pickupCode,
    Instant pickupDeadline,
    String fulfilledBy,
    String fulfilledAt,
    Instant fulfilledOn,
    Instant createdAt,
    Instant updatedAt) {

  public enum Status {
    PENDING,
    REDEEMED,
    FAILED,
    FULFILLED,
    CANCELLED
  }
}
