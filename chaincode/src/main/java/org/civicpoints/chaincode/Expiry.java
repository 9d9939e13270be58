package org.civicpoints.chaincode;

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
    return Entry.movement(
        entryId,
        after.memberId(),
        EntryKind.EXPIRY,
        points,
        -points,
        actor,
        null,
        null,
        targetEntryId,
        after.balance(),
        tx);
  }
}
