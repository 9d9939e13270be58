package org.civicpoints.chaincode;

import java.util.Map;

/** The EXPIRY entry that Expire and a refund into an expired lot both write. */
final class Expiry {
  private Expiry() {}

  static Entry entry(
      final String entryId,
      final Account after,
      final long points,
      final String actor,
      final String targetEntryId,
      final TxScope tx) {
    return new Entry(
        entryId,
        after.memberId(),
        EntryKind.EXPIRY.name(),
        points,
        -points,
        0,
        null,
        null,
        0,
        null,
        tx.date().toString(),
        actor,
        null,
        null,
        targetEntryId,
        after.balance(),
        tx.txId(),
        tx.now(),
        Map.of());
  }
}
