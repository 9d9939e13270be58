package org.civicpoints.chaincode;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.json.JSONObject;

/** A validated RefundRedemption request: gives back what one REDEMPTION spent, once. */
record RefundRequest(String entryId, String redemptionEntryId, String reason, String actor) {
  static RefundRequest from(final JSONObject json) {
    return Correction.REFUND.parse(json, RefundRequest::new);
  }

  boolean isRecordedAs(final Entry entry) {
    return Correction.REFUND.isRecordedAs(entry, redemptionEntryId, reason);
  }

  /**
   * Returns the redeemed points to the lots the redemption took them from and marks the redemption
   * refunded. The part whose lot has expired meanwhile expires at once, in a second entry {@code
   * <entryId>#expired}: cancelling a redemption must not dodge expiry.
   */
  List<Entry> apply(final TxScope tx) {
    final Entry redemption = Correction.REFUND.target(tx, redemptionEntryId);
    final long points = redemption.requestedPoints();
    final Account account = Account.existing(tx.state(), redemption.memberId());
    // A redemption from before lots existed returns its points to this year's lot.
    final Map<Integer, Long> taken =
        redemption.lots().isEmpty() ? Map.of(tx.date().getYear(), points) : redemption.lots();
    Lots lots = account.lots();
    final Map<Integer, Long> lapsed = new TreeMap<>();
    for (final Map.Entry<Integer, Long> part : taken.entrySet()) {
      if (lots.isExpired(part.getKey())) {
        lapsed.put(part.getKey(), part.getValue());
      } else {
        lots = lots.add(part.getKey(), part.getValue());
      }
    }
    final Account refunded = account.refund(points, lots, tx.now());
    final Entry entry =
        entry(redemption, points, refunded.balance(), tx)
            .withLots(taken)
            .settled(account.lots(), refunded);
    tx.state().putAccount(refunded);
    tx.state().putEntry(entry, refunded.entryCount());
    tx.state().putRefund(redemptionEntryId, entryId);
    if (lapsed.isEmpty()) {
      return List.of(entry);
    }
    final long lapsedPoints = lapsed.values().stream().mapToLong(Long::longValue).sum();
    final Account expired = refunded.expire(lapsedPoints, lots, tx.now());
    final Entry expiry =
        Expiry.entry(entryId + "#expired", expired, -lapsedPoints, actor, entryId, tx)
            .withLots(lapsed)
            .settled(refunded.lots(), expired);
    tx.state().putAccount(expired);
    tx.state().putEntry(expiry, expired.entryCount());
    return List.of(entry, expiry);
  }

  private Entry entry(
      final Entry redemption, final long points, final long balanceAfter, final TxScope tx) {
    return Entry.movement(
        entryId,
        redemption.memberId(),
        EntryKind.REFUND,
        points,
        points,
        actor,
        reason,
        redemption.rewardId(),
        redemptionEntryId,
        balanceAfter,
        tx);
  }
}
