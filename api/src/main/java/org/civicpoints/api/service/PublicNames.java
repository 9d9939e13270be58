package org.civicpoints.api.service;

import org.civicpoints.api.domain.LeaderboardVisibility;
import org.civicpoints.api.domain.Member;

/**
 * The name a member shows on public boards: their own choice of NAMED, masked otherwise; a deleted
 * account shows as deleted (已注销, "Deleted account").
 */
final class PublicNames {

  static final String DELETED_ACCOUNT = "已注销";

  private PublicNames() {}

  static String of(String memberId, Member member) {
    if (member != null && member.deleted()) {
      return DELETED_ACCOUNT;
    }
    String name =
        member == null || member.displayName() == null ? "" : member.displayName().strip();
    if (name.isEmpty()) {
      // No name to show or mask: a label from the pseudonymous id, never the phone.
      return "居民 " + memberId.substring(memberId.length() - 4);
    }
    if (member.leaderboardVisibility() == LeaderboardVisibility.NAMED) {
      return name;
    }
    return name.substring(0, name.offsetByCodePoints(0, 1)) + "**";
  }
}
