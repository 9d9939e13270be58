package org.civicpoints.chaincode;

/** The outcome of one RecordAwards item, as returned to the caller. */
record AwardResult(
    String entryId, String status, long points, long requestedPoints, String reason) {
  static final String RECORDED = "RECORDED";
  static final String DUPLICATE = "DUPLICATE";
  static final String CONFLICT = "CONFLICT";
  static final String REJECTED = "REJECTED";

  static AwardResult recorded(final Entry entry) {
    return new AwardResult(
        entry.entryId(), RECORDED, entry.points(), entry.requestedPoints(), entry.reason());
  }

  static AwardResult duplicate(final Entry entry) {
    return new AwardResult(
        entry.entryId(), DUPLICATE, entry.points(), entry.requestedPoints(), entry.reason());
  }

  static AwardResult conflict(final String entryId) {
    return new AwardResult(
        entryId,
        CONFLICT,
        0,
        0,
        PointsError.CONFLICT.message("entry " + entryId + " exists with different content"));
  }

  static AwardResult rejected(final String entryId, final String reason) {
    return new AwardResult(entryId, REJECTED, 0, 0, reason);
  }

  String toJson() {
    return JsonWriter.object()
        .put("entryId", entryId)
        .put("status", status)
        .put("points", points)
        .put("requestedPoints", requestedPoints)
        .put("reason", reason)
        .toString();
  }
}
