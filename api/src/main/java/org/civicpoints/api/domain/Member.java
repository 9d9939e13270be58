package org.civicpoints.api.domain;

import java.time.Instant;
import java.util.Set;

/**
 * A person using the app. memberId is random and is the only id that ever reaches the ledger; phone
 * and firebaseUid are personal data and never leave the API except to their owner. {@code
 * registeredBy} is the staff member who registered a resident without the phone app (an assisted
 * resident, for whom staff may claim), else null. A deleted account ({@code deletedAt} set) keeps
 * only its pseudonymous id, community and chain entries.
 */
public record Member(
    String memberId,
    String phone,
    String firebaseUid,
    String displayName,
    String avatarUrl,
    Set<Role> roles,
    Set<String> scopes,
    String communityId,
    LeaderboardVisibility leaderboardVisibility,
    PartyMembership partyMembership,
    Instant createdAt,
    Language language,
    String registeredBy,
    Instant deletedAt) {

  public Member {
    roles = Set.copyOf(roles);
    scopes = Set.copyOf(scopes);
  }

  /** A resident who signed in themselves, with their phone and, from Firebase, its user id. */
  public static Member signedIn(
      String memberId,
      String phone,
      String firebaseUid,
      String displayName,
      String communityId,
      Instant createdAt) {
    return newResident(memberId, phone, firebaseUid, displayName, communityId, createdAt, null);
  }

  /** A resident staff registered without the phone app ({@code phone} may be null). */
  public static Member assisted(
      String memberId,
      String phone,
      String displayName,
      String communityId,
      Instant createdAt,
      String registeredBy) {
    return newResident(memberId, phone, null, displayName, communityId, createdAt, registeredBy);
  }

  /** Every new member starts a plain resident: no avatar, masked on boards, no party record. */
  private static Member newResident(
      String memberId,
      String phone,
      String firebaseUid,
      String displayName,
      String communityId,
      Instant createdAt,
      String registeredBy) {
    return new Member(
        memberId,
        phone,
        firebaseUid,
        displayName,
        null,
        Set.of(Role.RESIDENT),
        Set.of(),
        communityId,
        LeaderboardVisibility.MASKED,
        PartyMembership.NONE,
        createdAt,
        Language.DEFAULT,
        registeredBy,
        null);
  }

  /** Registered by staff: a resident without the phone app, for whom staff may claim. */
  public boolean isAssisted() {
    return registeredBy != null;
  }

  /** The member deleted their account (DELETE /v1/me): what named them is gone. */
  public boolean deleted() {
    return deletedAt != null;
  }

  public boolean has(Role role) {
    return roles.contains(role);
  }
}
