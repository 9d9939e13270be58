package org.civicpoints.api.port;

import java.util.Optional;
import org.civicpoints.api.domain.LeaderboardVisibility;

/** The profile fields a member may change themselves; empty means unchanged. */
public record ProfileChanges(
    Optional<String> displayName,
    Optional<String> avatarUrl,
    Optional<LeaderboardVisibility> leaderboardVisibility) {

  public boolean isEmpty() {
    return displayName.isEmpty() && avatarUrl.isEmpty() && leaderboardVisibility.isEmpty();
  }
}
