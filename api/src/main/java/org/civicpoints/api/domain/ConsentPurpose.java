package org.civicpoints.api.domain;

import java.util.List;

/**
 * What a member consents to, each with the choices it offers and the version of the text the app
 * shows for it. A new text gets a new version here (and in the apps); every recorded consent names
 * the version the member saw.
 */
public enum ConsentPurpose {
  /** How the member appears on public leaderboards (their leaderboardVisibility). */
  LEADERBOARD_VISIBILITY("2026-12-01", "MASKED", List.of("NAMED", "MASKED", "HIDDEN")),
  /** Whether a verified party member is listed on their branch's boards. */
  PARTY_ON_BRANCH_BOARDS("2026-12-01", "GRANTED", List.of("GRANTED", "WITHDRAWN"));

  private final String textVersion;
  private final String defaultChoice;
  private final List<String> choices;

  ConsentPurpose(String textVersion, String defaultChoice, List<String> choices) {
    this.textVersion = textVersion;
    this.defaultChoice = defaultChoice;
    this.choices = choices;
  }

  /** The version of the text the apps show now. */
  public String textVersion() {
    return textVersion;
  }

  /** What holds before the member records a choice (the behaviour before consents existed). */
  public String defaultChoice() {
    return defaultChoice;
  }

  public boolean offers(String choice) {
    return choices.contains(choice);
  }
}
