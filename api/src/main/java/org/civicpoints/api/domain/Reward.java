package org.civicpoints.api.domain;

import java.time.Instant;

/**
 * Something members redeem points for, offered in one scope (as on leaderboards: {@code
 * community:…}, {@code street:…}, {@code district:…} or {@code city}). {@code stock} null is
 * unlimited; a null monthly or yearly limit is none; the window's ends may be null (open).
 */
public record Reward(
    String rewardId,
    String scope,
    String title,
    String description,
    String imageUrl,
    Category category,
    long pointsCost,
    Long stock,
    Integer limitPerMonth,
    Integer limitPerYear,
    Instant availableFrom,
    Instant availableUntil,
    String pickupPlace,
    String pickupHours,
    int pickupDeadlineDays,
    boolean active,
    String createdBy,
    Instant createdAt,
    Instant updatedAt) {

  public static final int DEFAULT_PICKUP_DEADLINE_DAYS = 30;

  public enum Category {
    GOODS,
    SERVICE,
    HONOUR
  }

  /** Active and inside its window at {@code now}. */
  public boolean availableAt(Instant now) {
    return active
        && (availableFrom == null || !now.isBefore(availableFrom))
        && (availableUntil == null || now.isBefore(availableUntil));
  }
}
