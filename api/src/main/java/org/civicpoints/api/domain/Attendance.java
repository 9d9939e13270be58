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

  /** {@code memberId} enrolls in {@code activity} {@code at}: not checked in yet. */
  public static Attendance enrolment(Activity activity, String memberId, Instant at) {
    return new Attendance(
        activity.activityId(), memberId, activity.communityId(), at, null, null, false);
  }

  public String kind() {
    return verified ? "VERIFIED" : "SELF_REPORTED";
  }
}
