package org.civicpoints.chaincode;

/** The outcome of a Redeem or Reverse: the entry's signed points and the balance after it. */
record MoveResult(String entryId, WriteStatus status, long points, long balanceAfter) {

  static MoveResult of(final Entry entry, final WriteStatus status) {
    return new MoveResult(entry.entryId(), status, entry.points(), entry.balanceAfter());
  }

  String toJson() {
    return JsonWriter.object()
        .put("entryId", entryId)
        .put("status", status.name())
        .put("points", points)
        .put("balanceAfter", balanceAfter)
        .toString();
  }
}
