package org.civicpoints.chaincode;

import java.time.LocalDate;
import java.util.Map;
import org.json.JSONObject;

/** A validated Reverse request. */
record ReverseRequest(String entryId, String targetEntryId, String reason, String actor) {
  static final int MAX_REASON_LENGTH = 500;

  static ReverseRequest from(final JSONObject json) {
    final Fields fields = Fields.of(json);
    return new ReverseRequest(
        fields.id("entryId"),
        fields.id("targetEntryId"),
        fields.text("reason", MAX_REASON_LENGTH),
        fields.id("actor"));
  }

  boolean isRecordedAs(final Entry entry) {
    return entry.is(EntryKind.REVERSAL)
        && targetEntryId.equals(entry.targetEntryId())
        && reason.equals(entry.reason());
  }

  /**
   * Takes back what the target award granted, gives it back to the member's caps, and marks the
   * target reversed (entries themselves are never rewritten). The points leave the lot of the year
   * they were earned in (see {@link Lots#takeBack}). The balance may go negative.
   */
  Entry apply(final TxScope tx) {
    final Entry target = reversibleTarget(tx);
    final long points = target.points();
    final Account before =
        tx.state()
            .account(target.memberId())
            .orElseThrow(
                () ->
                    PointsError.NOT_FOUND.exception(
                        "account " + target.memberId() + " does not exist"));
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
            Map.of(earningYear, points));

    tx.state().putAccount(account);
    tx.state().putEntry(entry, account.entryCount());
    tx.state().putReversal(targetEntryId, entryId);
    if (points > 0) {
      tx.state().putCapCounter(day, dayAfter);
      tx.state().putCapCounter(year, yearAfter);
    }
    return entry;
  }

  private Entry reversibleTarget(final TxScope tx) {
    final Entry target =
        tx.state()
            .entry(targetEntryId)
            .orElseThrow(
                () ->
                    PointsError.NOT_FOUND.exception("entry " + targetEntryId + " does not exist"));
    if (!target.is(EntryKind.AWARD)) {
      throw PointsError.INVALID_ARGUMENT.exception(
          "entry " + targetEntryId + " is a " + target.kind() + "; only an AWARD can be reversed");
    }
    tx.state()
        .reversalOf(targetEntryId)
        .ifPresent(
            previous -> {
              throw PointsError.ALREADY_REVERSED.exception(
                  "entry " + targetEntryId + " was already reversed by " + previous);
            });
    return target;
  }
}
