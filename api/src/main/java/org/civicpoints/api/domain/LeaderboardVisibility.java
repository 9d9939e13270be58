package org.civicpoints.api.domain;

/** How a member appears on public leaderboards; MASKED unless the member chooses otherwise. */
public enum LeaderboardVisibility {
  NAMED,
  MASKED,
  HIDDEN
}
