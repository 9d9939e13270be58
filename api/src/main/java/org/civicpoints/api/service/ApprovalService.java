package org.civicpoints.api.service;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.civicpoints.api.domain.Caller;
import org.civicpoints.api.domain.DomainException;
import org.civicpoints.api.domain.ErrorCode;
import org.civicpoints.api.domain.NotificationKind;
import org.civicpoints.api.domain.Role;
import org.civicpoints.api.domain.Submission;
import org.civicpoints.api.domain.SubmissionStatus;
import org.civicpoints.api.port.Ledger;
import org.civicpoints.api.port.LedgerOutbox.Claimed;
import org.civicpoints.api.port.LedgerOutbox.Lease;
import org.civicpoints.api.port.Notifier;
import org.civicpoints.api.port.Submissions;
import org.civicpoints.api.port.Submissions.ApprovalAttempt;
import org.civicpoints.api.port.Submissions.Approving;

/**
 * Staff decisions on submissions. Approval is one conditional update that moves PENDING to APPROVED
 * and queues the award for the ledger in the same document, so approving twice (or fifty times at
 * once) queues exactly one command. Reversal requests work the same way on RECORDED.
 */
public final class ApprovalService {

  private final Submissions submissions;
  private final AuditLog audit;
  private final Notifier notifier;
  private final LedgerRelay relay;
  private final Clock clock;

  /**
   * Approvals queue their awards under the first lease of this instance's {@code relay} and hand
   * them to it, so it sends them at once without claiming them; a reversal request pokes it.
   */
  public ApprovalService(
      Submissions submissions, AuditLog audit, Notifier notifier, LedgerRelay relay, Clock clock) {
    this.submissions = submissions;
    this.relay = relay;
    this.audit = audit;
    this.notifier = notifier;
    this.clock = clock;
  }

  public enum BatchOutcome {
    APPROVED,
    ALREADY_APPROVED,
    NOT_FOUND,
    FORBIDDEN,
    INVALID_STATE
  }

  public record BatchResult(String submissionId, BatchOutcome outcome) {}

  /**
   * APPROVED or RECORDED already: answered as it is (a no-op). REJECTED, FAILED, REVERSED:
   * INVALID_STATE.
   */
  public Future<Submission> approve(Caller caller, String submissionId, String note) {
    requireStaff(caller);
    return inScope(caller, submissionId)
        .compose(submission -> approveAll(caller, List.of(submission)))
        .compose(
            approvals ->
                audit
                    .recordAll(caller.memberId(), approvalEntries(approvals, note))
                    .map(approvals.get(0)))
        .map(
            approval -> {
              if (approval.outcome() == BatchOutcome.INVALID_STATE) {
                throw notApprovable(approval.now());
              }
              return approval.now();
            });
  }

  /** Rejecting a REJECTED submission again is a no-op; anything past PENDING cannot be rejected. */
  public Future<Submission> reject(Caller caller, String submissionId, String reason) {
    requireStaff(caller);
    return inScope(caller, submissionId)
        .compose(
            submission -> {
              if (submission.status() == SubmissionStatus.REJECTED) {
                return Future.succeededFuture(submission);
              }
              return submissions
                  .reject(submissionId, caller.memberId(), reason, clock.instant())
                  .compose(
                      rejected -> {
                        if (rejected == null) {
                          return submissions
                              .findById(submissionId)
                              .map(
                                  now -> {
                                    if (now.status() != SubmissionStatus.REJECTED) {
                                      throw new DomainException(
                                          ErrorCode.INVALID_STATE,
                                          "notRejectable",
                                          Map.of(
                                              "submissionId",
                                              submissionId,
                                              "status",
                                              now.status()));
                                    }
                                    return now;
                                  });
                        }
                        return audit
                            .record(
                                caller.memberId(),
                                "SUBMISSION_REJECT",
                                submissionId,
                                state(submission),
                                state(rejected).put("reason", reason),
                                rejected.communityId())
                            .compose(
                                v ->
                                    notifier.notify(
                                        rejected.memberId(),
                                        NotificationKind.SUBMISSION_REJECTED,
                                        notice(rejected).put("reason", reason)))
                            .map(rejected);
                      });
            });
  }

  /**
   * Each id is decided on its own; the answer keeps the order of the request (duplicates once). One
   * read finds them all, one write approves those PENDING in the caller's scope, one append audits.
   */
  public Future<List<BatchResult>> batchApprove(Caller caller, List<String> submissionIds) {
    requireStaff(caller);
    List<String> ids = new ArrayList<>(new LinkedHashSet<>(submissionIds));
    return submissions
        .findByIds(ids)
        .compose(
            found -> {
              Map<String, Submission> byId =
                  found.stream()
                      .collect(Collectors.toMap(Submission::submissionId, Function.identity()));
              List<Submission> inScope =
                  ids.stream()
                      .map(byId::get)
                      .filter(
                          submission ->
                              submission != null
                                  && caller.staffsCommunity(submission.communityId()))
                      .toList();
              return approveAll(caller, inScope)
                  .compose(
                      approvals -> {
                        List<AuditLog.Entry> entries = approvalEntries(approvals, null);
                        entries.add(
                            new AuditLog.Entry(
                                "SUBMISSION_BATCH_APPROVE",
                                null,
                                null,
                                new JsonObject()
                                    .put("requested", ids.size())
                                    .put("approved", entries.size()),
                                null));
                        return audit
                            .recordAll(caller.memberId(), entries)
                            .map(batchResults(ids, byId, approvals));
                      });
            });
  }

  /**
   * Only a RECORDED award can be reversed, once: the reversal is queued for the ledger like an
   * award.
   */
  public Future<Submission> reverse(Caller caller, String submissionId, String reason) {
    requireStaff(caller);
    return inScope(caller, submissionId)
        .compose(
            submission -> {
              if (submission.status() != SubmissionStatus.RECORDED
                  || submission.reversalState() != null) {
                return Future.failedFuture(
                    new DomainException(
                        ErrorCode.INVALID_STATE,
                        submission.reversalState() != null ? "reversalRequested" : "notReversible",
                        Map.of("submissionId", submissionId, "status", submission.status())));
              }
              return submissions
                  .requestReversal(submission, caller.memberId(), reason, clock.instant())
                  .compose(
                      queued ->
                          queued == null
                              ? Future.failedFuture(
                                  new DomainException(
                                      ErrorCode.INVALID_STATE,
                                      "submissionChangedMeanwhile",
                                      Map.of("submissionId", submissionId)))
                              : audit
                                  .record(
                                      caller.memberId(),
                                      "SUBMISSION_REVERSE",
                                      submissionId,
                                      state(submission),
                                      state(queued).put("reversal", "QUEUED").put("reason", reason),
                                      queued.communityId())
                                  .onSuccess(v -> relay.poke())
                                  .map(queued));
            });
  }

  /**
   * One found submission after this call's approval attempt: as it was found, as it is now, and
   * what that means.
   */
  private record Approval(Submission found, Submission now, BatchOutcome outcome) {}

  /**
   * The PENDING ones among {@code found} (all in the caller's scope) approved in one write; each of
   * found answered.
   */
  private Future<List<Approval>> approveAll(Caller caller, List<Submission> found) {
    Map<String, Approving> pending =
        found.stream()
            .filter(submission -> submission.status() == SubmissionStatus.PENDING)
            .collect(
                Collectors.toMap(
                    Submission::submissionId,
                    submission -> new Approving(submission, award(submission, caller.memberId())),
                    (first, second) -> first,
                    LinkedHashMap::new));
    Instant now = clock.instant();
    Lease lease = relay.firstLease(now);
    return submissions
        .approveAll(List.copyOf(pending.values()), caller.memberId(), now, lease)
        .map(
            attempts -> {
              List<Claimed<Ledger.Award>> queued =
                  attempts.stream()
                      .filter(ApprovalAttempt::approvedHere)
                      .map(attempt -> pending.get(attempt.submission().submissionId()))
                      .map(
                          approving ->
                              new Claimed<>(
                                  approving.pending().submissionId(),
                                  approving.pending().memberId(),
                                  1,
                                  approving.award()))
                      .toList();
              if (!queued.isEmpty()) {
                relay.queued(queued, lease);
              }
              Map<String, ApprovalAttempt> attemptById =
                  attempts.stream()
                      .collect(
                          Collectors.toMap(
                              attempt -> attempt.submission().submissionId(), Function.identity()));
              return found.stream()
                  .map(
                      submission ->
                          approval(submission, attemptById.get(submission.submissionId())))
                  .toList();
            });
  }

  /**
   * What the chain is asked to record for an approved submission: its entry is the submission's id.
   */
  private static Ledger.Award award(Submission submission, String actor) {
    return new Ledger.Award(
        submission.submissionId(),
        submission.memberId(),
        submission.ruleId(),
        submission.units(),
        submission.occurredOn().toString(),
        submission.communityId(),
        actor);
  }

  /**
   * Not attempted (it was not PENDING), approved by this call, or decided by someone else in
   * between.
   */
  private static Approval approval(Submission found, ApprovalAttempt attempt) {
    if (attempt == null) {
      return settled(found, found);
    }
    return attempt.approvedHere()
        ? new Approval(found, attempt.submission(), BatchOutcome.APPROVED)
        : settled(found, attempt.submission());
  }

  private static Approval settled(Submission found, Submission now) {
    boolean approved =
        now.status() == SubmissionStatus.APPROVED || now.status() == SubmissionStatus.RECORDED;
    return new Approval(
        found, now, approved ? BatchOutcome.ALREADY_APPROVED : BatchOutcome.INVALID_STATE);
  }

  /**
   * One SUBMISSION_APPROVE per submission this call approved, none for the others. Its after state
   * is what the approval wrote, even if the relay has moved the submission on by the time it was
   * read back.
   */
  private static List<AuditLog.Entry> approvalEntries(List<Approval> approvals, String note) {
    List<AuditLog.Entry> entries = new ArrayList<>();
    approvals.stream()
        .filter(approval -> approval.outcome() == BatchOutcome.APPROVED)
        .map(Approval::found)
        .forEach(
            found -> {
              JsonObject after = state(found).put("status", SubmissionStatus.APPROVED.name());
              entries.add(
                  new AuditLog.Entry(
                      "SUBMISSION_APPROVE",
                      found.submissionId(),
                      state(found),
                      note == null ? after : after.put("note", note),
                      found.communityId()));
            });
    return entries;
  }

  /**
   * In the order of the request: what approving decided, else FORBIDDEN (out of scope) or
   * NOT_FOUND.
   */
  private static List<BatchResult> batchResults(
      List<String> ids, Map<String, Submission> byId, List<Approval> approvals) {
    Map<String, BatchOutcome> decided =
        approvals.stream()
            .collect(
                Collectors.toMap(approval -> approval.found().submissionId(), Approval::outcome));
    return ids.stream()
        .map(
            id ->
                new BatchResult(
                    id,
                    decided.getOrDefault(
                        id,
                        byId.containsKey(id) ? BatchOutcome.FORBIDDEN : BatchOutcome.NOT_FOUND)))
        .toList();
  }

  private Future<Submission> inScope(Caller caller, String submissionId) {
    return submissions
        .findById(submissionId)
        .compose(
            submission ->
                submission != null && caller.staffsCommunity(submission.communityId())
                    ? Future.succeededFuture(submission)
                    : Future.failedFuture(
                        DomainException.notFound(
                            "submissionInScope", Map.of("submissionId", submissionId))));
  }

  private static DomainException notApprovable(Submission submission) {
    return new DomainException(
        ErrorCode.INVALID_STATE,
        "notApprovable",
        Map.of("submissionId", submission.submissionId(), "status", submission.status()));
  }

  private static JsonObject state(Submission submission) {
    return new JsonObject()
        .put("status", submission.status().name())
        .put("memberId", submission.memberId())
        .put("requestedPoints", submission.requestedPoints());
  }

  private static JsonObject notice(Submission submission) {
    return new JsonObject()
        .put("submissionId", submission.submissionId())
        .put("activityId", submission.activityId());
  }

  private static void requireStaff(Caller caller) {
    if (!caller.has(Role.STAFF) && !caller.isAdmin()) {
      throw DomainException.forbidden("staffOrAdmin", Map.of());
    }
  }
}
