package org.civicpoints.api.domain;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;

/**
 * A member's claim of points for an activity. {@code ledger} is what the chain answered once the
 * award was recorded (entryId, txId, blockNumber, points, requestedPoints, reason), else null;
 * {@code reversalState} is the state of a requested reversal, else null. {@code activityTitle} is
 * the activity's title when the claim was made (null on claims older than it); {@code
 * reversalReason} is what staff gave when they asked for a reversal. {@code filedBy} is the staff
 * member who claimed for an assisted resident (a PROXY claim), else null.
 */
public record Submission(
    String submissionId,
    String memberId,
    String activityId,
    String communityId,
    String ruleId,
    long ruleVersion,
    Category category,
    int units,
    LocalDate occurredOn,
    long requestedPoints,
    Map<String, Object> evidence,
    SubmissionStatus status,
    String idempotencyKey,
    String requestHash,
    Instant createdAt,
    Instant updatedAt,
    String approvedBy,
    Instant approvedAt,
    String rejectedBy,
    String rejectionReason,
    Map<String, Object> ledger,
    String reversalState,
    String activityTitle,
    String reversalReason,
    String filedBy) {

  /** APP when the member claimed themselves, PROXY when staff claimed for them. */
  public String origin() {
    return filedBy == null ? "APP" : "PROXY";
  }

  /**
   * The cap that cut the recorded award below the request (DAILY_CAP or YEARLY_CAP, as the chain
   * named it), else null.
   */
  public String cap() {
    if (ledger == null || !(ledger.get("points") instanceof Number granted)) {
      return null;
    }
    return granted.longValue() < requestedPoints ? (String) ledger.get("reason") : null;
  }
}
