package org.civicpoints.api.domain;

import java.util.Map;

/**
 * A member's points on one board: earned minus reversed (redemptions do not lower standings), how
 * many ledger entries made them, and the last transaction that changed them. {@code byCategory} is
 * filled on ALL-category boards only.
 */
public record Standing(
    String memberId,
    long points,
    long entries,
    Map<String, Long> byCategory,
    String lastTxId,
    long lastBlock) {

  public Standing {
    byCategory = Map.copyOf(byCategory);
  }
}
