package org.civicpoints.chaincode;

import java.util.Map;
import org.json.JSONObject;

/** A validated Expire request: closes one earning year's lot of one member. */
record ExpireRequest(String entryId, String memberId, int year, String actor) {
  static final int FIRST_YEAR = 2000;

  static ExpireRequest from(final JSONObject json) {
    final Fields fields = Fields.of(json);
    final long year = fields.positiveLong("year");
    if (year < FIRST_YEAR || year > 9999) {
      throw PointsError.INVALID_ARGUMENT.exception(
          "year must be from " + FIRST_YEAR + " to 9999, not " + year);
    }
    return new ExpireRequest(
        fields.id("entryId"), fields.id("memberId"), (int) year, fields.id("actor"));
  }

  boolean isRecordedAs(final Entry entry) {
    return entry.is(EntryKind.EXPIRY)
        && memberId.equals(entry.memberId())
        && entry.targetEntryId() == null
        && entry.lots().containsKey(year);
  }

  /**
   * Moves what is left of the lot (0 when nothing is) to {@code expired} and closes the year: later
   * refunds into it expire at once, awards for it are refused. Only a year that has ended can
   * expire; which years have expired by policy is the caller's decision.
   */
  Entry apply(final TxScope tx) {
    if (year >= tx.date().getYear()) {
      throw PointsError.INVALID_ARGUMENT.exception(
          "year " + year + " has not ended on " + tx.date());
    }
    final Account account =
        tx.state()
            .account(memberId)
            .orElseThrow(
                () -> PointsError.NOT_FOUND.exception("account " + memberId + " does not exist"));
    if (account.lots().isExpired(year)) {
      throw PointsError.ALREADY_EXPIRED.exception(
          "the lot of " + year + " of member " + memberId + " has expired already");
    }
    final long left = Math.max(0, account.lots().left(year));
    final Account after =
        account.expire(left, account.lots().expire(year, tx.date().getYear()), tx.now());
    final Entry entry =
        Expiry.entry(entryId, after, -left, actor, null, tx)
            .withLots(Map.of(year, left))
            .settled(account.lots(), after);
    tx.state().putAccount(after);
    tx.state().putEntry(entry, after.entryCount());
    return entry;
  }
}
