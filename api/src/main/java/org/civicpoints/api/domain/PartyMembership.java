package org.civicpoints.api.domain;

import java.time.Instant;

/** Party membership as verified by staff; branchId and verifiedAt are null until verified. */
public record PartyMembership(Status status, String branchId, Instant verifiedAt) {

  public enum Status {
    NONE,
    VERIFIED
  }

  public static final PartyMembership NONE = new PartyMembership(Status.NONE, null, null);

  public static PartyMembership verified(String branchId, Instant at) {
    return new PartyMembership(Status.VERIFIED, branchId, at);
  }
}
