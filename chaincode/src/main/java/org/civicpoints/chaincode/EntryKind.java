package org.civicpoints.chaincode;

/**
 * What an entry did to a balance. ADJUSTMENT is reserved for corrections by a later transaction.
 */
public enum EntryKind {
  AWARD,
  REDEMPTION,
  REVERSAL,
  /** Gives back what a REDEMPTION spent, once (a cancelled redemption). */
  REFUND,
  ADJUSTMENT
}
