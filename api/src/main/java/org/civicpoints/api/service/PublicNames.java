package org.civicpoints.api.service;

import org.civicpoints.api.domain.LeaderboardVisibility;
import org.civicpoints.api.domain.Member;

/** The name a member shows on public boards: their own choice of NAMED, masked otherwise. */
final class PublicNames {

  private PublicNames() {}

  static String of(String memberId, Member member) {
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
