package org.civicpoints.chaincode;

import java.time.LocalDate;
import java.util.Map;
import org.json.JSONObject;

/** A validated Reverse request. */
record ReverseRequest(String entryId, String targetEntryId, String reason, String actor) {
  static ReverseRequest from(final JSONObject json) {
    return Correction.REVERSAL.parse(json, ReverseRequest::new);
  }

  boolean isRecordedAs(final Entry entry) {
    return Correction.REVERSAL.isRecordedAs(entry, targetEntryId, reason);
  }

  /**
   * Takes back what the target award granted, gives it back to the member's caps, and marks the
   * target reversed (entries themselves are never rewritten). The points leave the lot of the year
   * they were earned in (see {@link Lots#takeBack}). The balance may go negative.
   */
  Entry apply(final TxScope tx) {
    final Entry target = Correction.REVERSAL.target(tx, targetEntryId);
    final long points = target.points();
    final Account before = Account.existing(tx.state(), target.memberId());
    final int earningYear = LocalDate.parse(target.occurredOn()).getYear();
    final Account account =
        before.reverse(
            points, before.lots().takeBack(earningYear, points, tx.date().getYear()), tx.now());
    final CapPeriod day = CapPeriod.day(target.memberId(), target.category(), target.occurredOn());
    final CapPeriod year =
        CapPeriod.year(target.memberId(), target.category(), target.occurredOn());
    final long dayAfter = Points.subtract(tx.state().capCounter(day), points);
    final long yearAfter = Points.subtract(tx.state().capCounter(year), points);
    final Entry entry =
        new Entry(
                entryId,
                target.memberId(),
                EntryKind.REVERSAL.name(),
                -points,
                points,
                target.units(),
                target.category(),
                target.ruleId(),
                target.ruleVersion(),
                target.orgUnitId(),
                target.occurredOn(),
                actor,
                reason,
                null,
                targetEntryId,
                account.balance(),
                tx.txId(),
                tx.now(),
                Map.of(earningYear, points),
                Map.of())
            .settled(before.lots(), account);

    tx.state().putAccount(account);
    tx.state().putEntry(entry, account.entryCount());
    tx.state().putReversal(targetEntryId, entryId);
    if (points > 0) {
      tx.state().putCapCounter(day, dayAfter);
      tx.state().putCapCounter(year, yearAfter);
    }
    return entry;
  }
}
