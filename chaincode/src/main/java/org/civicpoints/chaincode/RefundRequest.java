package org.civicpoints.chaincode;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.json.JSONObject;

/** A validated RefundRedemption request: gives back what one REDEMPTION spent, once. */
record RefundRequest(String entryId, String redemptionEntryId, String reason, String actor) {
  static final int MAX_REASON_LENGTH = 500;

  static RefundRequest from(final JSONObject json) {
    final Fields fields = Fields.of(json);
    return new RefundRequest(
        fields.id("entryId"),
        fields.id("redemptionEntryId"),
        fields.text("reason", MAX_REASON_LENGTH),
        fields.id("actor"));
  }

  boolean isRecordedAs(final Entry entry) {
    return entry.is(EntryKind.REFUND)
        && redemptionEntryId.equals(entry.targetEntryId())
        && reason.equals(entry.reason());
  }

  /**
   * Returns the redeemed points to the lots the redemption took them from and marks the redemption
   * refunded. The part whose lot has expired meanwhile expires at once, in a second entry {@code
   * <entryId>#expired}: cancelling a redemption must not dodge expiry.
   */
  List<Entry> apply(final TxScope tx) {
    final Entry redemption = refundableRedemption(tx);
    final long points = redemption.requestedPoints();
    final Account account =
        tx.state()
            .account(redemption.memberId())
            .orElseThrow(
                () ->
                    PointsError.NOT_FOUND.exception(
                        "account " + redemption.memberId() + " does not exist"));
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
    final Entry entry = entry(redemption, points, refunded.balance(), tx).withLots(taken);
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
            .withLots(lapsed);
    tx.state().putAccount(expired);
    tx.state().putEntry(expiry, expired.entryCount());
    return List.of(entry, expiry);
  }

  private Entry entry(
      final Entry redemption, final long points, final long balanceAfter, final TxScope tx) {
    return new Entry(
        entryId,
        redemption.memberId(),
        EntryKind.REFUND.name(),
        points,
        points,
        0,
        null,
        null,
        0,
        null,
        tx.date().toString(),
        actor,
        reason,
        redemption.rewardId(),
        redemptionEntryId,
        balanceAfter,
        tx.txId(),
        tx.now(),
        Map.of());
  }

  private Entry refundableRedemption(final TxScope tx) {
    final Entry target =
        tx.state()
            .entry(redemptionEntryId)
            .orElseThrow(
                () ->
                    PointsError.NOT_FOUND.exception(
                        "entry " + redemptionEntryId + " does not exist"));
    if (!target.is(EntryKind.REDEMPTION)) {
      throw PointsError.INVALID_ARGUMENT.exception(
          "entry "
              + redemptionEntryId
              + " is a "
              + target.kind()
              + "; only a REDEMPTION can be refunded");
    }
    tx.state()
        .refundOf(redemptionEntryId)
        .ifPresent(
            previous -> {
              throw PointsError.ALREADY_REFUNDED.exception(
                  "entry " + redemptionEntryId + " was already refunded by " + previous);
            });
    return target;
  }
}
