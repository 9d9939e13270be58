package org.civicpoints.api.port;

import java.util.Optional;
import org.civicpoints.api.domain.Language;
import org.civicpoints.api.domain.LeaderboardVisibility;

/** The profile fields a member may change themselves; empty means unchanged. */
public record ProfileChanges(
    Optional<String> displayName,
    Optional<String> avatarUrl,
    Optional<LeaderboardVisibility> leaderboardVisibility,
    Optional<Language> language) {

  public ProfileChanges(
      Optional<String> displayName,
      Optional<String> avatarUrl,
      Optional<LeaderboardVisibility> leaderboardVisibility) {
    this(displayName, avatarUrl, leaderboardVisibility, Optional.empty());
  }

  public boolean isEmpty() {
    return displayName.isEmpty()
        && avatarUrl.isEmpty()
        && leaderboardVisibility.isEmpty()
        && language.isEmpty();
  }
}
