package org.civicpoints.api.domain;

/** What a ledger entry did to a balance, as the chaincode names it. */
public enum EntryKind {
  AWARD,
  REDEMPTION,
  REVERSAL,
  /** A correction by a later transaction: it moves the balance only. */
  ADJUSTMENT
}
