package org.civicpoints.chaincode;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import org.hyperledger.fabric.contract.annotation.DataType;
import org.hyperledger.fabric.contract.annotation.Property;
import org.json.JSONObject;

/**
 * One point movement, immutable once written. {@code points} is signed: what changed the balance.
 * Fields that do not apply to a kind are null (text) or 0 (numbers), e.g. a redemption has no rule.
 * {@code lots} says which earning years' lots the entry moved, and by how much (unsigned); {@code
 * lotsAfter} what each lot the transaction touched holds after the entry (see {@link
 * Lots#leftAfter}), so a read model sets its lots to the chain's instead of recomputing them.
 */
@DataType
public record Entry(
    @Property String entryId,
    @Property String memberId,
    @Property String kind,
    @Property long points,
    @Property long requestedPoints,
    @Property long units,
    @Property String category,
    @Property String ruleId,
    @Property long ruleVersion,
    @Property String orgUnitId,
    @Property String occurredOn,
    @Property String actor,
    @Property String reason,
    @Property String rewardId,
    @Property String targetEntryId,
    @Property long balanceAfter,
    @Property String txId,
    @Property String recordedAt,
    Map<Integer, Long> lots,
    Map<Integer, Long> lotsAfter) {

  public Entry {
    lots = Collections.unmodifiableMap(new TreeMap<>(lots));
    lotsAfter = Collections.unmodifiableMap(new TreeMap<>(lotsAfter));
  }

  /**
   * A movement that no rule made (a redemption, its refund, an expiry): no category, rule, units or
   * community; dated the transaction's day; its lots are added with {@link #withLots}.
   */
  static Entry movement(
      final String entryId,
      final String memberId,
      final EntryKind kind,
      final long points,
      final long requestedPoints,
      final String actor,
      final String reason,
      final String rewardId,
      final String targetEntryId,
      final long balanceAfter,
      final TxScope tx) {
    return new Entry(
        entryId,
        memberId,
        kind.name(),
        points,
        requestedPoints,
        0,
        null,
        null,
        0,
        null,
        tx.date().toString(),
        actor,
        reason,
        rewardId,
        targetEntryId,
        balanceAfter,
        tx.txId(),
        tx.now(),
        Map.of(),
        Map.of());
  }

  /** The same entry, recording the points it moved per earning year. */
  Entry withLots(final Map<Integer, Long> byYear) {
    return withLots(byYear, lotsAfter);
  }

  /**
   * The same entry, recording what the lots it touched hold after it: those it moved, and every lot
   * the account held before or holds after ({@code before} is the account's lots before the entry,
   * migrated ones included).
   */
  Entry settled(final Lots before, final Account after) {
    return withLots(lots, after.lots().leftAfter(before, lots.keySet()));
  }

  private Entry withLots(final Map<Integer, Long> moved, final Map<Integer, Long> left) {
    return new Entry(
        entryId,
        memberId,
        kind,
        points,
        requestedPoints,
        units,
        category,
        ruleId,
        ruleVersion,
        orgUnitId,
        occurredOn,
        actor,
        reason,
        rewardId,
        targetEntryId,
        balanceAfter,
        txId,
        recordedAt,
        moved,
        left);
  }

  boolean is(final EntryKind entryKind) {
    return kind.equals(entryKind.name());
  }

  String toJson() {
    return JsonWriter.object()
        .put("entryId", entryId)
        .put("memberId", memberId)
        .put("kind", kind)
        .put("points", points)
        .put("requestedPoints", requestedPoints)
        .put("units", units)
        .put("category", category)
        .put("ruleId", ruleId)
        .put("ruleVersion", ruleVersion)
        .put("orgUnitId", orgUnitId)
        .put("occurredOn", occurredOn)
        .put("actor", actor)
        .put("reason", reason)
        .put("rewardId", rewardId)
        .put("targetEntryId", targetEntryId)
        .put("balanceAfter", balanceAfter)
        .put("txId", txId)
        .put("recordedAt", recordedAt)
        .put("lots", Lots.byYear(lots))
        .put("lotsAfter", Lots.byYear(lotsAfter))
        .toString();
  }

  /** The entry as the PointsMoved event carries it: exactly these fields, in this order. */
  String toEventJson() {
    return JsonWriter.object()
        .put("entryId", entryId)
        .put("memberId", memberId)
        .put("kind", kind)
        .put("points", points)
        .put("category", category)
        .put("orgUnitId", orgUnitId)
        .put("occurredOn", occurredOn)
        .put("balanceAfter", balanceAfter)
        .put("lots", Lots.byYear(lots))
        .put("lotsAfter", Lots.byYear(lotsAfter))
        .toString();
  }

  static Entry fromJson(final String json) {
    final JSONObject o = new JSONObject(json);
    return new Entry(
        o.getString("entryId"),
        o.getString("memberId"),
        o.getString("kind"),
        o.getLong("points"),
        o.getLong("requestedPoints"),
        o.getLong("units"),
        text(o, "category"),
        text(o, "ruleId"),
        o.getLong("ruleVersion"),
        text(o, "orgUnitId"),
        o.getString("occurredOn"),
        o.getString("actor"),
        text(o, "reason"),
        text(o, "rewardId"),
        text(o, "targetEntryId"),
        o.getLong("balanceAfter"),
        o.getString("txId"),
        o.getString("recordedAt"),
        lotsOf(o.optJSONObject("lots")),
        lotsOf(o.optJSONObject("lotsAfter")));
  }

  /** Entries written before lots (or their resulting amounts) existed have none. */
  private static Map<Integer, Long> lotsOf(final JSONObject lots) {
    final Map<Integer, Long> byYear = new TreeMap<>();
    if (lots != null) {
      lots.keySet().forEach(year -> byYear.put(Integer.parseInt(year), lots.getLong(year)));
    }
    return byYear;
  }

  private static String text(final JSONObject o, final String name) {
    return o.isNull(name) ? null : o.getString(name);
  }
}
