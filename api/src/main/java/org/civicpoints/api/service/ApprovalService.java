package org.civicpoints.api.service;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.ArrayList;
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
import org.civicpoints.api.port.Notifier;
import org.civicpoints.api.port.Submissions;

/**
 * Staff decisions on submissions. Approval is one conditional update that moves PENDING to
 * APPROVED and queues the award for the ledger in the same document, so approving twice (or fifty
 * times at once) queues exactly one command. Reversal requests work the same way on RECORDED.
 */
public final class ApprovalService {

  private final Submissions submissions;
  private final AuditLog audit;
  private final Notifier notifier;
  private final Clock clock;

  public ApprovalService(Submissions submissions, AuditLog audit, Notifier notifier, Clock clock) {
    this.submissions = submissions;
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

  /** APPROVED or RECORDED already: answered as it is (a no-op). REJECTED, FAILED, REVERSED: INVALID_STATE. */
  public Future<Submission> approve(Caller caller, String submissionId, String note) {
    requireStaff(caller);
    return inScope(caller, submissionId).compose(submission -> approveOne(caller, submission, note))
        .map(result -> {
          if (result.outcome() == BatchOutcome.INVALID_STATE) {
            throw notApprovable(result.submission());
          }
          return result.submission();
        });
  }

  /** Rejecting a REJECTED submission again is a no-op; anything past PENDING cannot be rejected. */
  public Future<Submission> reject(Caller caller, String submissionId, String reason) {
    requireStaff(caller);
    return inScope(caller, submissionId).compose(submission -> {
      if (submission.status() == SubmissionStatus.REJECTED) {
        return Future.succeededFuture(submission);
      }
      return submissions.reject(submissionId, caller.memberId(), reason, clock.instant()).compose(rejected -> {
        if (rejected == null) {
          return submissions.findById(submissionId).map(now -> {
            if (now.status() != SubmissionStatus.REJECTED) {
              throw new DomainException(ErrorCode.INVALID_STATE, "Submission " + submissionId + " is " + now.status() + "; only PENDING ones can be rejected.");
            }
            return now;
          });
        }
        return audit.record(caller.memberId(), "SUBMISSION_REJECT", submissionId, state(submission), state(rejected)
                .put("reason", reason), rejected.communityId())
            .compose(v -> notifier.notify(rejected.memberId(), NotificationKind.SUBMISSION_REJECTED, notice(rejected)
                .put("reason", reason)))
            .map(rejected);
      });
    });
  }

  /** Each id is decided on its own; the answer keeps the order of the request (duplicates once). */
  public Future<List<BatchResult>> batchApprove(Caller caller, List<String> submissionIds) {
    requireStaff(caller);
    List<String> ids = new ArrayList<>(new LinkedHashSet<>(submissionIds));
    return submissions.findByIds(ids).compose(found -> {
      Map<String, Submission> byId = found.stream().collect(Collectors.toMap(Submission::submissionId, Function.identity()));
      List<Future<BatchResult>> results = ids.stream().map(id -> batchOne(caller, id, byId.get(id))).toList();
      return Future.all(results).map(all -> results.stream().map(Future::result).toList());
    }).compose(results -> audit.record(caller.memberId(), "SUBMISSION_BATCH_APPROVE", null, null,
        new JsonObject().put("requested", ids.size())
            .put("approved", results.stream().filter(r -> r.outcome() == BatchOutcome.APPROVED).count()), null)
        .map(results));
  }

  /** Only a RECORDED award can be reversed, once: the reversal is queued for the ledger like an award. */
  public Future<Submission> reverse(Caller caller, String submissionId, String reason) {
    requireStaff(caller);
    return inScope(caller, submissionId).compose(submission -> {
      if (submission.status() != SubmissionStatus.RECORDED || submission.reversalState() != null) {
        return Future.failedFuture(new DomainException(ErrorCode.INVALID_STATE, "Submission " + submissionId + " is "
            + submission.status() + (submission.reversalState() != null ? " with a reversal already requested" : "")
            + "; only a RECORDED award can be reversed, once."));
      }
      return submissions.requestReversal(submission, caller.memberId(), reason, clock.instant()).compose(queued ->
          queued == null
              ? Future.failedFuture(new DomainException(ErrorCode.INVALID_STATE,
                  "Submission " + submissionId + " was reversed or changed meanwhile."))
              : audit.record(caller.memberId(), "SUBMISSION_REVERSE", submissionId, state(submission),
                  state(queued).put("reversal", "QUEUED").put("reason", reason), queued.communityId()).map(queued));
    });
  }

  private Future<BatchResult> batchOne(Caller caller, String id, Submission submission) {
    if (submission == null) {
      return Future.succeededFuture(new BatchResult(id, BatchOutcome.NOT_FOUND));
    }
    if (!caller.staffsCommunity(submission.communityId())) {
      return Future.succeededFuture(new BatchResult(id, BatchOutcome.FORBIDDEN));
    }
    return approveOne(caller, submission, null).map(result -> new BatchResult(id, result.outcome()));
  }

  private record Approval(Submission submission, BatchOutcome outcome) {}

  private Future<Approval> approveOne(Caller caller, Submission submission, String note) {
    if (submission.status() != SubmissionStatus.PENDING) {
      return Future.succeededFuture(settled(submission));
    }
    return submissions.approve(submission, caller.memberId(), clock.instant()).compose(approved -> approved == null
        // Someone else decided it between our read and our update: answer what they decided.
        ? submissions.findById(submission.submissionId()).map(ApprovalService::settled)
        : audit.record(caller.memberId(), "SUBMISSION_APPROVE", approved.submissionId(), state(submission),
            note == null ? state(approved) : state(approved).put("note", note), approved.communityId())
            .map(new Approval(approved, BatchOutcome.APPROVED)));
  }

  private static Approval settled(Submission submission) {
    boolean approved = submission.status() == SubmissionStatus.APPROVED || submission.status() == SubmissionStatus.RECORDED;
    return new Approval(submission, approved ? BatchOutcome.ALREADY_APPROVED : BatchOutcome.INVALID_STATE);
  }

  private Future<Submission> inScope(Caller caller, String submissionId) {
    return submissions.findById(submissionId).compose(submission ->
        submission != null && caller.staffsCommunity(submission.communityId())
            ? Future.succeededFuture(submission)
            : Future.failedFuture(DomainException.notFound("No submission " + submissionId + " in your scope.")));
  }

  private static DomainException notApprovable(Submission submission) {
    return new DomainException(ErrorCode.INVALID_STATE,
        "Submission " + submission.submissionId() + " is " + submission.status() + " and cannot be approved.");
  }

  private static JsonObject state(Submission submission) {
    return new JsonObject().put("status", submission.status().name()).put("memberId", submission.memberId())
        .put("requestedPoints", submission.requestedPoints());
  }

  private static JsonObject notice(Submission submission) {
    return new JsonObject().put("submissionId", submission.submissionId()).put("activityId", submission.activityId());
  }

  private static void requireStaff(Caller caller) {
    if (!caller.has(Role.STAFF) && !caller.isAdmin()) {
      throw DomainException.forbidden("This needs the STAFF or ADMIN role.");
    }
  }
}
