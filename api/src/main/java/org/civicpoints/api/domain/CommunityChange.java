package org.civicpoints.api.domain;

import java.time.Instant;

/** A member's request to move to another community; staff of the target community decide. */
public record CommunityChange(
    String requestId,
    String memberId,
    String fromCommunityId,
    String toCommunityId,
    Status status,
    Instant requestedAt) {

  public enum Status {
    PENDING,
    APPROVED,
    REJECTED,
    /** The member asked for another community while this was pending. */
    WITHDRAWN
  }
}
