package org.civicpoints.chaincode;

import org.hyperledger.fabric.contract.annotation.DataType;
import org.hyperledger.fabric.contract.annotation.Property;
import org.json.JSONObject;

/**
 * How many points one unit of an activity earns, and the member's daily and yearly caps for the
 * rule's category (0 = no cap). A new version never rewrites past entries: each entry records the
 * version that produced it.
 */
@DataType
public record Rule(
    @Property String ruleId,
    @Property long version,
    @Property String category,
    @Property long points,
    @Property long dailyCap,
    @Property long yearlyCap,
    @Property boolean active) {

  static Rule fromRequest(final Fields fields) {
    return new Rule(
        fields.id("ruleId"),
        fields.positiveLong("version"),
        fields.category("category"),
        fields.positiveLong("points"),
        fields.nonNegativeLong("dailyCap", 0),
        fields.nonNegativeLong("yearlyCap", 0),
        fields.bool("active", true));
  }

  String toJson() {
    return JsonWriter.object()
        .put("ruleId", ruleId)
        .put("version", version)
        .put("category", category)
        .put("points", points)
        .put("dailyCap", dailyCap)
        .put("yearlyCap", yearlyCap)
        .put("active", active)
        .toString();
  }

  static Rule fromJson(final String json) {
    final JSONObject o = new JSONObject(json);
    return new Rule(
        o.getString("ruleId"),
        o.getLong("version"),
        o.getString("category"),
        o.getLong("points"),
        o.getLong("dailyCap"),
        o.getLong("yearlyCap"),
        o.getBoolean("active"));
  }
}
