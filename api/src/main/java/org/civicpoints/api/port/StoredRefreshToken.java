package org.civicpoints.api.port;

import java.time.Instant;

public record StoredRefreshToken(
    String tokenHash,
    String familyId,
    String memberId,
    Status status,
    Instant issuedAt,
    Instant expiresAt) {

  public enum Status {
    ACTIVE,
    RETIRED
  }
}
