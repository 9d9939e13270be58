package org.civicpoints.chaincode;

import org.hyperledger.fabric.contract.annotation.DataType;
import org.hyperledger.fabric.contract.annotation.Property;
import org.json.JSONObject;

/**
 * A member's balance asset. {@code balance == earned - spent - reversed + refunded} always holds;
 * {@code entryCount} numbers the member's entries for the newest-first entry index. Accounts
 * written before refunds existed have no {@code refunded} and read as 0.
 */
@DataType
public record Account(
    @Property String memberId,
    @Property long balance,
    @Property long earned,
    @Property long spent,
    @Property long reversed,
    @Property long refunded,
    @Property long entryCount,
    @Property String createdAt,
    @Property String updatedAt) {

  static Account open(final String memberId, final String now) {
    return new Account(memberId, 0, 0, 0, 0, 0, 0, now, now);
  }

  Account earn(final long points, final String now) {
    return new Account(
        memberId,
        Points.add(balance, points),
        Points.add(earned, points),
        spent,
        reversed,
        refunded,
        entryCount + 1,
        createdAt,
        now);
  }

  Account spend(final long points, final String now) {
    return new Account(
        memberId,
        Points.subtract(balance, points),
        earned,
        Points.add(spent, points),
        reversed,
        refunded,
        entryCount + 1,
        createdAt,
        now);
  }

  Account reverse(final long points, final String now) {
    return new Account(
        memberId,
        Points.subtract(balance, points),
        earned,
        spent,
        Points.add(reversed, points),
        refunded,
        entryCount + 1,
        createdAt,
        now);
  }

  Account refund(final long points, final String now) {
    return new Account(
        memberId,
        Points.add(balance, points),
        earned,
        spent,
        reversed,
        Points.add(refunded, points),
        entryCount + 1,
        createdAt,
        now);
  }

  String toJson() {
    return JsonWriter.object()
        .put("memberId", memberId)
        .put("balance", balance)
        .put("earned", earned)
        .put("spent", spent)
        .put("reversed", reversed)
        .put("refunded", refunded)
        .put("entryCount", entryCount)
        .put("createdAt", createdAt)
        .put("updatedAt", updatedAt)
        .toString();
  }

  static Account fromJson(final String json) {
    final JSONObject o = new JSONObject(json);
    return new Account(
        o.getString("memberId"),
        o.getLong("balance"),
        o.getLong("earned"),
        o.getLong("spent"),
        o.getLong("reversed"),
        o.optLong("refunded", 0),
        o.getLong("entryCount"),
        o.getString("createdAt"),
        o.getString("updatedAt"));
  }
}
