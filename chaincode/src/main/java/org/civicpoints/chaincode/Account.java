package org.civicpoints.chaincode;

import org.hyperledger.fabric.contract.annotation.DataType;
import org.hyperledger.fabric.contract.annotation.Property;
import org.json.JSONObject;

/**
 * A member's balance asset. {@code balance == earned - spent - reversed - expired + refunded} and
 * {@code balance == sum of lots} always hold; {@code entryCount} numbers the member's entries for
 * the newest-first entry index. Accounts written before refunds and expiry existed read {@code
 * refunded} and {@code expired} as 0 and get their lots by {@link Lots#migrated}.
 */
@DataType
public record Account(
    @Property String memberId,
    @Property long balance,
    @Property long earned,
    @Property long spent,
    @Property long reversed,
    @Property long refunded,
    @Property long expired,
    @Property long entryCount,
    @Property String createdAt,
    @Property String updatedAt,
    Lots lots) {

  static Account open(final String memberId, final String now) {
    return new Account(memberId, 0, 0, 0, 0, 0, 0, 0, now, now, Lots.none());
  }

  /** Points earned on a day of {@code year} go to that year's lot. */
  Account earn(final long points, final int year, final String now) {
    return new Account(
        memberId,
        Points.add(balance, points),
        Points.add(earned, points),
        spent,
        reversed,
        refunded,
        expired,
        entryCount + 1,
        createdAt,
        now,
        lots.add(year, points));
  }

  Account spend(final long points, final Lots after, final String now) {
    return new Account(
        memberId,
        Points.subtract(balance, points),
        earned,
        Points.add(spent, points),
        reversed,
        refunded,
        expired,
        entryCount + 1,
        createdAt,
        now,
        after);
  }

  Account reverse(final long points, final Lots after, final String now) {
    return new Account(
        memberId,
        Points.subtract(balance, points),
        earned,
        spent,
        Points.add(reversed, points),
        refunded,
        expired,
        entryCount + 1,
        createdAt,
        now,
        after);
  }

  Account refund(final long points, final Lots after, final String now) {
    return new Account(
        memberId,
        Points.add(balance, points),
        earned,
        spent,
        reversed,
        Points.add(refunded, points),
        expired,
        entryCount + 1,
        createdAt,
        now,
        after);
  }

  Account expire(final long points, final Lots after, final String now) {
    return new Account(
        memberId,
        Points.subtract(balance, points),
        earned,
        spent,
        reversed,
        refunded,
        Points.add(expired, points),
        entryCount + 1,
        createdAt,
        now,
        after);
  }

  String toJson() {
    return JsonWriter.object()
        .put("memberId", memberId)
        .put("balance", balance)
        .put("earned", earned)
        .put("spent", spent)
        .put("reversed", reversed)
        .put("refunded", refunded)
        .put("expired", expired)
        .put("entryCount", entryCount)
        .put("createdAt", createdAt)
        .put("updatedAt", updatedAt)
        .put("lots", lots.toJson())
        .toString();
  }

  static Account fromJson(final String json) {
    final JSONObject o = new JSONObject(json);
    final long balance = o.getLong("balance");
    final String updatedAt = o.getString("updatedAt");
    return new Account(
        o.getString("memberId"),
        balance,
        o.getLong("earned"),
        o.getLong("spent"),
        o.getLong("reversed"),
        o.optLong("refunded", 0),
        o.optLong("expired", 0),
        o.getLong("entryCount"),
        o.getString("createdAt"),
        updatedAt,
        o.has("lots") ? Lots.fromJson(o.getJSONObject("lots")) : Lots.migrated(balance, updatedAt));
  }
}
