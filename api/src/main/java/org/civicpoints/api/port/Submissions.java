package org.civicpoints.api.port;

import io.vertx.core.Future;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Collection;
import java.util.List;
import org.civicpoints.api.domain.Cursor;
import org.civicpoints.api.domain.Page;
import org.civicpoints.api.domain.Submission;
import org.civicpoints.api.domain.SubmissionStatus;
import org.civicpoints.api.port.LedgerOutbox.Lease;

/**
 * Submissions in "submissions", each carrying its own ledger outbox (the {@code ledger} and {@code
 * reversal} sub-documents the relay processes). Every state change is one conditional
 * single-document update; null answers mean the condition no longer held.
 */
public interface Submissions {

  /**
   * Inserts {@code submission} holding claim {@code slot} (0 … claimsPerDay − 1) of its member,
   * activity and day. false when the member already used its idempotency key or another submission
   * holds that slot (unique indexes, so concurrent requests cannot both win); a rejection frees the
   * slot.
   */
  Future<Boolean> insert(Submission submission, int slot);

  /** How many of the first {@code slots} claims of that day are held. */
  Future<Integer> claimsHeld(String memberId, String activityId, LocalDate day, int slots);

  /** The earliest submission holding one of the first {@code slots} claims of that day, or null. */
  Future<Submission> firstClaim(String memberId, String activityId, LocalDate day, int slots);

  Future<Submission> findById(String submissionId);

  Future<List<Submission>> findByIds(Collection<String> submissionIds);

  Future<Submission> findByIdempotencyKey(String memberId, String idempotencyKey);

  Future<Page<Submission>> listOfMember(String memberId, Cursor after, int limit);

  Future<Page<Submission>> listOfCommunity(
      String communityId, SubmissionStatus status, Cursor after, int limit);

  /**
   * Each PENDING submission → APPROVED with its award command queued for the relay under {@code
   * firstLease} (the approving instance's relay sends it without claiming it first): one
   * compare-and-set per submission, all sent in one write. Answers each of them as it is
   * afterwards, and whether this call approved it; one it did not was decided by someone else
   * first.
   */
  Future<List<ApprovalAttempt>> approveAll(
      List<Approving> approvals, String actor, Instant at, Lease firstLease);

  /** PENDING → REJECTED, freeing its claim. */
  Future<Submission> reject(String submissionId, String actor, String reason, Instant at);

  /** RECORDED without a reversal → the reversal command queued for the relay. */
  Future<Submission> requestReversal(Submission recorded, String actor, String reason, Instant at);

  /**
   * A PENDING submission as found and the award its approval queues (its member, rule, units, day
   * and community never change after creation).
   */
  record Approving(Submission pending, Ledger.Award award) {}

  /**
   * A submission after an approval attempt, and whether that attempt was the one that approved it.
   */
  record ApprovalAttempt(Submission submission, boolean approvedHere) {}
}
