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

  /** The member's account; NOT_FOUND if the member has none. */
  static Account existing(final WorldState state, final String memberId) {
    return state
        .account(memberId)
        .orElseThrow(
            () -> PointsError.NOT_FOUND.exception("account " + memberId + " does not exist"));
  }

  /** Points earned on a day of {@code year} go to that year's lot. */
  Account earn(final long points, final int year, final String now) {
    return book(Points.add(balance, points), Counter.EARNED, points, lots.add(year, points), now);
  }

  Account spend(final long points, final Lots after, final String now) {
    return book(Points.subtract(balance, points), Counter.SPENT, points, after, now);
  }

  Account reverse(final long points, final Lots after, final String now) {
    return book(Points.subtract(balance, points), Counter.REVERSED, points, after, now);
  }

  Account refund(final long points, final Lots after, final String now) {
    return book(Points.add(balance, points), Counter.REFUNDED, points, after, now);
  }

  Account expire(final long points, final Lots after, final String now) {
    return book(Points.subtract(balance, points), Counter.EXPIRED, points, after, now);
  }

  /** The counters a movement adds its points to; the balance moves with each of them. */
  private enum Counter {
    EARNED,
    SPENT,
    REVERSED,
    REFUNDED,
    EXPIRED
  }

  /** One more entry: the new balance and lots, and {@code points} added to {@code counter}. */
  private Account book(
      final long balanceAfter,
      final Counter counter,
      final long points,
      final Lots after,
      final String now) {
    return new Account(
        memberId,
        balanceAfter,
        counter == Counter.EARNED ? Points.add(earned, points) : earned,
        counter == Counter.SPENT ? Points.add(spent, points) : spent,
        counter == Counter.REVERSED ? Points.add(reversed, points) : reversed,
        counter == Counter.REFUNDED ? Points.add(refunded, points) : refunded,
        counter == Counter.EXPIRED ? Points.add(expired, points) : expired,
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
