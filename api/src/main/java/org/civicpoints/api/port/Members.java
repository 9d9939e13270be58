package org.civicpoints.api.port;

import io.vertx.core.Future;
import java.util.List;
import java.util.Set;
import org.civicpoints.api.domain.Language;
import org.civicpoints.api.domain.Member;
import org.civicpoints.api.domain.PartyMembership;
import org.civicpoints.api.domain.Role;

/** Stored member records. Futures of a single member complete with null when there is none. */
public interface Members {

  Future<Member> findById(String memberId);

  /** The language the member chose; the default one when they chose none or are gone. */
  default Future<Language> languageOf(String memberId) {
    return findById(memberId).map(member -> member == null ? Language.DEFAULT : member.language());
  }

  /** The member with this phone, created from {@code fresh} if there is none yet. */
  Future<Member> findOrCreateByPhone(Member fresh);

  /**
   * The member with this Firebase uid; else the member with the same phone (linked to the uid);
   * else {@code fresh}, created.
   */
  Future<Member> findOrCreateByFirebaseUid(Member fresh);

  Future<List<Member>> listByCommunity(String communityId);

  /**
   * Stores a member registered by staff (an assisted resident); false, and nothing stored, when
   * another member already has the phone number.
   */
  Future<Boolean> register(Member fresh);

  /** How many STAFF members other than {@code memberId} hold one of {@code scopes}. */
  Future<Long> countStaff(Set<String> scopes, String exceptMemberId);

  Future<Member> updateProfile(String memberId, ProfileChanges changes);

  Future<Member> setAccess(String memberId, Set<Role> roles, Set<String> scopes);

  Future<Member> setCommunity(String memberId, String communityId);

  Future<Member> setPartyMembership(String memberId, PartyMembership membership);

  /**
   * The member's verified membership of {@code branchId} ends (NONE); the branch is remembered as
   * one they left, so its boards leave them out.
   */
  Future<Member> endPartyMembership(String memberId, String branchId);

  /**
   * Whether a verified party member is listed on their branch's boards (the consent
   * PARTY_ON_BRANCH_BOARDS); answers the member, null when there is none.
   */
  Future<Member> setPartyOnBranchBoards(String memberId, boolean shown);

  /**
   * Deletes what names the member (phone, Firebase link, name, avatar, party membership, roles
   * beyond RESIDENT) and marks the account deleted at {@code at}; the pseudonymous id and community
   * stay. Answers the member as it was, or null when there is none or it was deleted already.
   */
  Future<Member> erase(String memberId, java.time.Instant at);
}
