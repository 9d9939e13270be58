package org.civicpoints.api.domain;

/**
 * What kind of civic work a rule pays for and an activity is; also the category of a ledger entry.
 */
public enum Category {
  VOLUNTEER,
  STUDY,
  PARTY,
  CIVIC
}
