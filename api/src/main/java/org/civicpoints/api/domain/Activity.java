package org.civicpoints.api.domain;

import java.time.Instant;

/**
 * Something residents take part in to earn points under a rule. {@code checkInSecret} (base64)
 * derives the rotating check-in code and never leaves the API.
 */
public record Activity(
    String activityId,
    String communityId,
    Category type,
    String title,
    String ruleId,
    Instant startsAt,
    Instant endsAt,
    Integer capacity,
    GeoFence location,
    CheckInMode checkIn,
    Status status,
    int enrolled,
    String checkInSecret,
    String createdBy,
    Instant createdAt,
    Instant updatedAt) {

  public enum CheckInMode {
    NONE,
    CODE
  }

  public enum Status {
    OPEN,
    CANCELLED
  }

  public boolean isOpen() {
    return status == Status.OPEN;
  }
}
