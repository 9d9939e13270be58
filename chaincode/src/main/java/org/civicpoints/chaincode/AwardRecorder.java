package org.civicpoints.chaincode;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hyperledger.fabric.shim.ChaincodeException;
import org.json.JSONObject;

/**
 * Records the items of one RecordAwards batch, in order. A bad item is rejected alone; each item
 * computes everything before it writes, so a rejected item leaves no trace in the batch.
 */
final class AwardRecorder {
  private final TxScope tx;
  private final List<Entry> recorded = new ArrayList<>();

  AwardRecorder(final TxScope tx) {
    this.tx = tx;
  }

  AwardResult record(final Object item) {
    try {
      return record(AwardRequest.from(item, tx.date()));
    } catch (ChaincodeException e) {
      // A business rejection of this item only; the rest of the batch still records.
      return AwardResult.rejected(entryIdOf(item), e);
    }
  }

  /** The entries this batch wrote, in order, for the PointsMoved event. */
  List<Entry> recorded() {
    return List.copyOf(recorded);
  }

  private AwardResult record(final AwardRequest request) {
    final Optional<Entry> existing = tx.state().entry(request.entryId());
    if (existing.isPresent()) {
      return request.isRecordedAs(existing.get())
          ? AwardResult.duplicate(existing.get())
          : AwardResult.conflict(request.entryId());
    }
    final Rule rule = activeRule(request.ruleId());
    final long requested = Points.multiply(rule.points(), request.units());
    final CapPeriod day = CapPeriod.day(request.memberId(), rule.category(), request.occurredOn());
    final CapPeriod year =
        CapPeriod.year(request.memberId(), rule.category(), request.occurredOn());
    final long grantedToday = tx.state().capCounter(day);
    final long grantedThisYear = tx.state().capCounter(year);
    final CapGrant grant = CapGrant.of(requested, rule, grantedToday, grantedThisYear);
    final int earningYear = LocalDate.parse(request.occurredOn()).getYear();
    final Account before =
        tx.state()
            .account(request.memberId())
            .orElseGet(() -> Account.open(request.memberId(), tx.now()));
    if (before.lots().isExpired(earningYear)) {
      // Its points would land in a lot that can no longer expire.
      throw PointsError.LOT_EXPIRED.exception(
          "the points of " + earningYear + " of member " + request.memberId() + " have expired");
    }
    final Account account = before.earn(grant.points(), earningYear, tx.now());
    final long dayAfter = Points.add(grantedToday, grant.points());
    final long yearAfter = Points.add(grantedThisYear, grant.points());
    final Entry entry =
        award(request, rule, requested, grant, account.balance())
            .withLots(Map.of(earningYear, grant.points()))
            .settled(before.lots(), account);

    tx.state().putAccount(account);
    tx.state().putEntry(entry, account.entryCount());
    if (grant.points() > 0) {
      tx.state().putCapCounter(day, dayAfter);
      tx.state().putCapCounter(year, yearAfter);
    }
    recorded.add(entry);
    return AwardResult.recorded(entry);
  }

  private Rule activeRule(final String ruleId) {
    final Rule rule =
        tx.state()
            .rule(ruleId)
            .orElseThrow(
                () -> PointsError.NOT_FOUND.exception("rule " + ruleId + " does not exist"));
    if (!rule.active()) {
      throw PointsError.RULE_INACTIVE.exception("rule " + ruleId + " is inactive");
    }
    return rule;
  }

  private Entry award(
      final AwardRequest request,
      final Rule rule,
      final long requested,
      final CapGrant grant,
      final long balanceAfter) {
    return new Entry(
        request.entryId(),
        request.memberId(),
        EntryKind.AWARD.name(),
        grant.points(),
        requested,
        request.units(),
        rule.category(),
        rule.ruleId(),
        rule.version(),
        request.orgUnitId(),
        request.occurredOn(),
        request.actor(),
        grant.reason(),
        null,
        null,
        balanceAfter,
        tx.txId(),
        tx.now(),
        Map.of(),
        Map.of());
  }

  /** Echoes the caller's entryId in a rejection when it is at least a string. */
  private static String entryIdOf(final Object item) {
    if (item instanceof JSONObject object && object.opt("entryId") instanceof String entryId) {
      return entryId;
    }
    return null;
  }
}
