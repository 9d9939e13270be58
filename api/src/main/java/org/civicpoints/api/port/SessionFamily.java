package org.civicpoints.api.port;

import java.time.Instant;

/**
 * One sign-in and every refresh token rotated from it. {@code expiresAt} is the sign-in's absolute
 * end, however often it is refreshed. A Firebase sign-in keeps the user's uid and the ID token's
 * {@code auth_time} (both null for a dev sign-in), so a refresh can ask Firebase whether the user
 * is still allowed in; {@code userCheckedAt} is when it last did (or the sign-in).
 */
public record SessionFamily(
    String familyId,
    String memberId,
    Instant signedInAt,
    Instant expiresAt,
    String firebaseUid,
    Instant firebaseAuthTime,
    Instant userCheckedAt,
    boolean revoked) {

  public boolean isFirebase() {
    return firebaseUid != null;
  }
}
