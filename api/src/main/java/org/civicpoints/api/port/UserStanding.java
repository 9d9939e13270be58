package org.civicpoints.api.port;

/** What the identity provider says today about a user who signed in earlier. */
public enum UserStanding {
  ACTIVE,
  DISABLED,
  DELETED,
  /** The user's tokens were revoked after the sign-in (e.g. "sign out everywhere"). */
  REVOKED
}
