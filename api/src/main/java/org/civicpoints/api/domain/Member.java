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

  /** A member who signed in themselves. */
  public Member(
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
      Language language) {
    this(
        memberId,
        phone,
        firebaseUid,
        displayName,
        avatarUrl,
        roles,
        scopes,
        communityId,
        leaderboardVisibility,
        partyMembership,
        createdAt,
        language,
        null,
        null);
  }

  /** A member who has not chosen a language reads the default one. */
  public Member(
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
      Instant createdAt) {
    this(
        memberId,
        phone,
        firebaseUid,
        displayName,
        avatarUrl,
        roles,
        scopes,
        communityId,
        leaderboardVisibility,
        partyMembership,
        createdAt,
        Language.DEFAULT);
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
