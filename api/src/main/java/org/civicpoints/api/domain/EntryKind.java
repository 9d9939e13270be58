package org.civicpoints.api.domain;

/** What a ledger entry did to a balance, as the chaincode names it. */
public enum EntryKind {
  AWARD,
  REDEMPTION,
  REVERSAL,
  /** Gives back what one REDEMPTION spent (a cancelled redemption), at most once per redemption. */
  REFUND,
  /** A correction by a later transaction: it moves the balance only. */
  ADJUSTMENT
}
