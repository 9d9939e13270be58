package org.civicpoints.chaincode;

import org.json.JSONObject;

/** A validated Redeem request. */
record RedeemRequest(String entryId, String memberId, long points, String rewardId, String actor) {

  static RedeemRequest from(final JSONObject json) {
    final Fields fields = Fields.of(json);
    return new RedeemRequest(
        fields.id("entryId"),
        fields.id("memberId"),
        fields.positiveLong("points"),
        fields.id("rewardId"),
        fields.id("actor"));
  }

  boolean isRecordedAs(final Entry entry) {
    return entry.is(EntryKind.REDEMPTION)
        && memberId.equals(entry.memberId())
        && points == entry.requestedPoints()
        && rewardId.equals(entry.rewardId());
  }

  /**
   * Spends the points from the oldest lots first, recording on the entry which lots it took; a
   * short balance (a debt blocks everything) is refused.
   */
  Entry apply(final TxScope tx) {
    final Account account =
        tx.state()
            .account(memberId)
            .orElseThrow(
                () -> PointsError.NOT_FOUND.exception("account " + memberId + " does not exist"));
    if (account.balance() < points) {
      throw PointsError.INSUFFICIENT_POINTS.exception(
          "balance " + account.balance() + " is below " + points);
    }
    final Lots.Taken taken = account.lots().takeOldest(points);
    final Account after = account.spend(points, taken.after(), tx.now());
    final Entry entry =
        Entry.movement(
                entryId,
                memberId,
                EntryKind.REDEMPTION,
                -points,
                points,
                actor,
                null,
                rewardId,
                null,
                after.balance(),
                tx)
            .withLots(taken.byYear())
            .settled(account.lots(), after);
    tx.state().putAccount(after);
    tx.state().putEntry(entry, after.entryCount());
    return entry;
  }
}
