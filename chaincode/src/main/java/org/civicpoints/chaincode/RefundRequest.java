package org.civicpoints.chaincode;

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

  /** Returns the redeemed points to the member and marks the redemption refunded. */
  Entry apply(final TxScope tx) {
    final Entry redemption = refundableRedemption(tx);
    final long points = redemption.requestedPoints();
    final Account account =
        tx.state()
            .account(redemption.memberId())
            .orElseThrow(
                () ->
                    PointsError.NOT_FOUND.exception(
                        "account " + redemption.memberId() + " does not exist"))
            .refund(points, tx.now());
    final Entry entry =
        new Entry(
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
            account.balance(),
            tx.txId(),
            tx.now());
    tx.state().putAccount(account);
    tx.state().putEntry(entry, account.entryCount());
    tx.state().putRefund(redemptionEntryId, entryId);
    return entry;
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
