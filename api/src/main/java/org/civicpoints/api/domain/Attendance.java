package org.civicpoints.api.domain;

import java.time.Instant;

/**
 * A member's enrollment in an activity and their presence: {@code verified} once they checked in
 * with the rotating code; otherwise their presence is self-reported.
 */
public record Attendance(
    String activityId,
    String memberId,
    String communityId,
    Instant enrolledAt,
    Instant checkedInAt,
    Instant checkedOutAt,
    boolean verified) {

  public String kind() {
    return verified ? "VERIFIED" : "SELF_REPORTED";
  }
}
