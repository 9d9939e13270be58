package org.civicpoints.chaincode;

import java.nio.charset.StandardCharsets;
import org.hyperledger.fabric.shim.ChaincodeException;

/**
 * The outcome of one RecordAwards item, as returned to the caller. {@code code} is the {@link
 * PointsError} of a CONFLICT or REJECTED item (null otherwise), so callers never read it out of
 * {@code reason}, which stays the message (a cap reason on RECORDED items).
 */
record AwardResult(
    String entryId,
    WriteStatus status,
    long points,
    long requestedPoints,
    String reason,
    String code) {

  static AwardResult recorded(final Entry entry) {
    return of(entry, WriteStatus.RECORDED);
  }

  static AwardResult duplicate(final Entry entry) {
    return of(entry, WriteStatus.DUPLICATE);
  }

  static AwardResult conflict(final String entryId) {
    return new AwardResult(
        entryId,
        WriteStatus.CONFLICT,
        0,
        0,
        PointsError.CONFLICT.message("entry " + entryId + " exists with different content"),
        PointsError.CONFLICT.name());
  }

  /** The item broke a rule: the exception's payload is its {@link PointsError} code. */
  static AwardResult rejected(final String entryId, final ChaincodeException rejection) {
    final byte[] payload = rejection.getPayload();
    return new AwardResult(
        entryId,
        WriteStatus.REJECTED,
        0,
        0,
        rejection.getMessage(),
        payload == null ? null : new String(payload, StandardCharsets.UTF_8));
  }

  private static AwardResult of(final Entry entry, final WriteStatus status) {
    return new AwardResult(
        entry.entryId(), status, entry.points(), entry.requestedPoints(), entry.reason(), null);
  }

  /** Fields are only ever added, never renamed: the API reads them by name. */
  String toJson() {
    return JsonWriter.object()
        .put("entryId", entryId)
        .put("status", status.name())
        .put("points", points)
        .put("requestedPoints", requestedPoints)
        .put("reason", reason)
        .put("code", code)
        .toString();
  }
}
