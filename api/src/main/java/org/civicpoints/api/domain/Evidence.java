package org.civicpoints.api.domain;

import java.time.Instant;

/**
 * A photo a member uploaded to support a claim. Unattached it is its uploader's alone; attached to
 * one submission (once, never moved) it is also read by the staff of that submission's community.
 * Staff may instead make their upload an activity's cover ({@code activityId}): then whoever sees
 * the activity sees it.
 */
public record Evidence(
    String evidenceId,
    String memberId,
    Instant createdAt,
    String submissionId,
    String communityId,
    String activityId) {

  public static Evidence uploaded(String memberId, Instant at) {
    return new Evidence(Ids.evidenceId(), memberId, at, null, null, null);
  }

  /** To a submission, or as an activity's cover. */
  public boolean attached() {
    return submissionId != null || activityId != null;
  }

  public boolean isCover() {
    return activityId != null;
  }

  /** Its uploader, staff of the community of the submission it supports, admins. */
  public boolean readableBy(Caller caller) {
    return memberId.equals(caller.memberId())
        || caller.isAdmin()
        || (communityId != null && caller.staffsCommunity(communityId));
  }
}
