package org.civicpoints.api.domain;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;

/**
 * A member's claim of points for an activity. {@code ledger} is what the chain answered once the
 * award was recorded (entryId, txId, blockNumber, points, requestedPoints, reason), else null;
 * {@code reversalState} is the state of a requested reversal, else null.
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
    String reversalState) {}
