package org.civicpoints.chaincode;

import java.time.LocalDate;
import org.json.JSONObject;

/** One validated item of a RecordAwards batch. */
record AwardRequest(
    String entryId,
    String memberId,
    String ruleId,
    long units,
    String occurredOn,
    String orgUnitId,
    String actor) {

  static AwardRequest from(final Object item, final LocalDate txDate) {
    if (!(item instanceof JSONObject object)) {
      throw PointsError.INVALID_ARGUMENT.exception("award must be a JSON object");
    }
    final Fields fields = Fields.of(object);
    return new AwardRequest(
        fields.id("entryId"),
        fields.id("memberId"),
        fields.id("ruleId"),
        fields.units("units"),
        fields.date("occurredOn", txDate),
        fields.id("orgUnitId"),
        fields.id("actor"));
  }

  /** A retry of this request: the same award as it was stored (the actor may differ). */
  boolean isRecordedAs(final Entry entry) {
    return entry.is(EntryKind.AWARD)
        && memberId.equals(entry.memberId())
        && ruleId.equals(entry.ruleId())
        && units == entry.units()
        && occurredOn.equals(entry.occurredOn())
        && orgUnitId.equals(entry.orgUnitId());
  }
}
