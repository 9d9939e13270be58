package org.civicpoints.api.service;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.civicpoints.api.domain.Activity;
import org.civicpoints.api.domain.Caller;
import org.civicpoints.api.domain.DomainException;
import org.civicpoints.api.domain.ErrorCode;
import org.civicpoints.api.domain.NotificationKind;
import org.civicpoints.api.domain.Role;
import org.civicpoints.api.domain.Submission;
import org.civicpoints.api.domain.SubmissionStatus;
import org.civicpoints.api.port.Activities;
import org.civicpoints.api.port.Attendances;
import org.civicpoints.api.port.Attendances.Attendee;
import org.civicpoints.api.port.Ledger;
import org.civicpoints.api.port.LedgerOutbox.Claimed;
import org.civicpoints.api.port.LedgerOutbox.Lease;
import org.civicpoints.api.port.Members;
import org.civicpoints.api.port.Notifier;
import org.civicpoints.api.port.Submissions;
import org.civicpoints.api.port.Submissions.ApprovalAttempt;
import org.civicpoints.api.port.Submissions.Approving;

/**
 * Staff decisions on submissions. Approval is one conditional update that moves PENDING to APPROVED
 * and queues the award for the ledger in the same document, so approving twice (or fifty times at
 * once) queues exactly one command. Reversal requests work the same way on RECORDED.
 *
 * <p>Nobody decides on their own submission (SELF_DECISION). An approval re-checks the activity:
 * none of a cancelled one (ACTIVITY_CANCELLED), and for a CODE activity only with the member's
 * verified check-in (CHECK_IN_REQUIRED) unless staff override it with a reason, which is audited.
 *
 * <p>Four eyes: a PROXY claim (filed by staff for an assisted resident) is not approved by its
 * filer while another staff member staffs its community (FOUR_EYES_REQUIRED); in a one-staff
 * community the filer may approve it, and every approval is audited with who filed.
 */
public final class ApprovalService {

  private final Submissions submissions;
  private final Members members;
  private final Activities activities;
  private final Attendances attendances;
  private final AuditLog audit;
  private final Notifier notifier;
  private final LedgerRelay relay;
  private final Clock clock;

  /**
   * Approvals queue their awards under the first lease of this instance's {@code relay} and hand
   * them to it, so it sends them at once without claiming them; a reversal request pokes it.
   */
  public ApprovalService(
      Submissions submissions,
      Members members,
      Activities activities,
      Attendances attendances,
      AuditLog audit,
      Notifier notifier,
      LedgerRelay relay,
      Clock clock) {
    this.submissions = submissions;
    this.members = members;
    this.activities = activities;
    this.attendances = attendances;
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
    INVALID_STATE,
    SELF_DECISION,
    ACTIVITY_CANCELLED,
    CHECK_IN_REQUIRED,
    FOUR_EYES_REQUIRED
  }

  public record BatchResult(String submissionId, BatchOutcome outcome) {}

  /**
   * APPROVED or RECORDED already: answered as it is (a no-op). REJECTED, FAILED, REVERSED:
   * INVALID_STATE. {@code checkInOverride}, when not null, is why staff approve without the
   * member's verified check-in.
   */
  public Future<Submission> approve(
      Caller caller, String submissionId, String note, String checkInOverride) {
    requireStaff(caller);
    return inScope(caller, submissionId)
        .compose(
            submission ->
                refusals(caller, List.of(submission), checkInOverride != null)
                    .compose(
                        refused ->
                            refused.isEmpty()
                                ? approveAll(caller, List.of(submission))
                                : Future.failedFuture(refused.get(submissionId))))
        .compose(
            approvals ->
                audit
                    .recordAll(caller.memberId(), approvalEntries(approvals, note, checkInOverride))
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
              List<Submission> othersInScope =
                  ids.stream()
                      .map(byId::get)
                      .filter(
                          submission ->
                              submission != null
                                  && caller.staffsCommunity(submission.communityId())
                                  && !isOwn(caller, submission))
                      .toList();
              return refusals(caller, othersInScope, false)
                  .compose(
                      refused ->
                          approveAll(
                                  caller,
                                  othersInScope.stream()
                                      .filter(s -> !refused.containsKey(s.submissionId()))
                                      .toList())
                              .compose(
                                  approvals ->
                                      auditBatch(caller, ids, approvals, refused.size())
                                          .map(
                                              batchResults(
                                                  caller,
                                                  ids,
                                                  byId,
                                                  approvals,
                                                  refusedOutcomes(refused)))));
            });
  }

  private Future<Void> auditBatch(
      Caller caller, List<String> ids, List<Approval> approvals, int refused) {
    List<AuditLog.Entry> entries = approvalEntries(approvals, null, null);
    entries.add(
        new AuditLog.Entry(
            "SUBMISSION_BATCH_APPROVE",
            null,
            null,
            new JsonObject()
                .put("requested", ids.size())
                .put("approved", entries.size())
                .put("refused", refused),
            null));
    return audit.recordAll(caller.memberId(), entries);
  }

  /** A refusal's outcome is named like its error code. */
  private static Map<String, BatchOutcome> refusedOutcomes(Map<String, DomainException> refused) {
    Map<String, BatchOutcome> outcomes = new HashMap<>();
    refused.forEach((id, refusal) -> outcomes.put(id, BatchOutcome.valueOf(refusal.code().name())));
    return outcomes;
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
  private static List<AuditLog.Entry> approvalEntries(
      List<Approval> approvals, String note, String checkInOverride) {
    List<AuditLog.Entry> entries = new ArrayList<>();
    approvals.stream()
        .filter(approval -> approval.outcome() == BatchOutcome.APPROVED)
        .map(Approval::found)
        .forEach(
            found -> {
              JsonObject after = state(found).put("status", SubmissionStatus.APPROVED.name());
              if (checkInOverride != null) {
                after.put("checkInOverride", checkInOverride);
              }
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
   * In the order of the request: what approving decided or why it was refused, else NOT_FOUND,
   * FORBIDDEN (out of scope) or SELF_DECISION.
   */
  private static List<BatchResult> batchResults(
      Caller caller,
      List<String> ids,
      Map<String, Submission> byId,
      List<Approval> approvals,
      Map<String, BatchOutcome> refused) {
    Map<String, BatchOutcome> decided = new HashMap<>(refused);
    approvals.forEach(approval -> decided.put(approval.found().submissionId(), approval.outcome()));
    return ids.stream()
        .map(id -> new BatchResult(id, outcome(caller, byId.get(id), decided.get(id))))
        .toList();
  }

  private static BatchOutcome outcome(Caller caller, Submission found, BatchOutcome decided) {
    if (decided != null) {
      return decided;
    }
    if (found == null) {
      return BatchOutcome.NOT_FOUND;
    }
    return caller.staffsCommunity(found.communityId())
        ? BatchOutcome.SELF_DECISION
        : BatchOutcome.FORBIDDEN;
  }

  /** The submission, if the caller staffs its community and it is not their own. */
  private Future<Submission> inScope(Caller caller, String submissionId) {
    return submissions
        .findById(submissionId)
        .compose(
            submission -> {
              if (submission == null || !caller.staffsCommunity(submission.communityId())) {
                return Future.failedFuture(
                    DomainException.notFound(
                        "submissionInScope", Map.of("submissionId", submissionId)));
              }
              return isOwn(caller, submission)
                  ? Future.failedFuture(ownSubmission(submission))
                  : Future.succeededFuture(submission);
            });
  }

  private static boolean isOwn(Caller caller, Submission submission) {
    return submission.memberId().equals(caller.memberId());
  }

  private static DomainException ownSubmission(Submission submission) {
    return new DomainException(
        ErrorCode.SELF_DECISION,
        "ownSubmission",
        Map.of("submissionId", submission.submissionId()));
  }

  /**
   * The PENDING ones among {@code found} that cannot be approved now, by id, with why: their
   * activity is cancelled, or it is a CODE activity and the member did not check in with the code
   * (unless {@code checkInOverridden}).
   */
  private Future<Map<String, DomainException>> refusals(
      Caller caller, List<Submission> found, boolean checkInOverridden) {
    List<Submission> pending =
        found.stream()
            .filter(submission -> submission.status() == SubmissionStatus.PENDING)
            .toList();
    if (pending.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    return activityRefusals(pending, checkInOverridden)
        .compose(
            refused ->
                fourEyes(caller, pending)
                    .map(
                        filedByCaller -> {
                          Map<String, DomainException> all = new HashMap<>(filedByCaller);
                          all.putAll(refused);
                          return all;
                        }));
  }

  /**
   * The caller's own PROXY claims among {@code pending} whose community has another staff member,
   * who must approve them instead.
   */
  private Future<Map<String, DomainException>> fourEyes(Caller caller, List<Submission> pending) {
    List<Submission> filedByCaller =
        pending.stream().filter(s -> caller.memberId().equals(s.filedBy())).toList();
    List<String> communities =
        filedByCaller.stream().map(Submission::communityId).distinct().toList();
    List<Future<Long>> counts =
        communities.stream()
            .map(c -> members.countStaff(caller.tree().scopesCovering(c), caller.memberId()))
            .toList();
    return Future.all(counts)
        .map(
            done -> {
              Map<String, DomainException> refused = new HashMap<>();
              filedByCaller.stream()
                  .filter(s -> counts.get(communities.indexOf(s.communityId())).result() > 0)
                  .forEach(s -> refused.put(s.submissionId(), anotherStaffApproves(s)));
              return refused;
            });
  }

  private static DomainException anotherStaffApproves(Submission submission) {
    return new DomainException(
        ErrorCode.FOUR_EYES_REQUIRED,
        "anotherStaffApproves",
        Map.of("submissionId", submission.submissionId()));
  }

  private Future<Map<String, DomainException>> activityRefusals(
      List<Submission> pending, boolean checkInOverridden) {
    return activities
        .findByIds(pending.stream().map(Submission::activityId).distinct().toList())
        .compose(
            activitiesFound -> {
              Map<String, Activity> byId =
                  activitiesFound.stream()
                      .collect(Collectors.toMap(Activity::activityId, Function.identity()));
              Set<Attendee> needCheckIn =
                  checkInOverridden
                      ? Set.of()
                      : pending.stream()
                          .filter(submission -> needsCheckIn(byId.get(submission.activityId())))
                          .map(ApprovalService::attendee)
                          .collect(Collectors.toSet());
              return (needCheckIn.isEmpty()
                      ? Future.succeededFuture(Set.<Attendee>of())
                      : attendances.verified(needCheckIn))
                  .map(verified -> refusals(pending, byId, needCheckIn, verified));
            });
  }

  private static Map<String, DomainException> refusals(
      List<Submission> pending,
      Map<String, Activity> activityById,
      Set<Attendee> needCheckIn,
      Set<Attendee> verified) {
    Map<String, DomainException> refused = new HashMap<>();
    for (Submission submission : pending) {
      Activity activity = activityById.get(submission.activityId());
      if (activity != null && !activity.isOpen()) {
        refused.put(
            submission.submissionId(),
            new DomainException(
                ErrorCode.ACTIVITY_CANCELLED,
                "noApproval",
                Map.of("activityId", activity.activityId())));
      } else if (needCheckIn.contains(attendee(submission))
          && !verified.contains(attendee(submission))) {
        refused.put(
            submission.submissionId(),
            new DomainException(
                ErrorCode.CHECK_IN_REQUIRED,
                "noCheckIn",
                Map.of("memberId", submission.memberId(), "activityId", submission.activityId())));
      }
    }
    return refused;
  }

  private static boolean needsCheckIn(Activity activity) {
    return activity != null && activity.checkIn() == Activity.CheckInMode.CODE;
  }

  private static Attendee attendee(Submission submission) {
    return new Attendee(submission.activityId(), submission.memberId());
  }

  private static DomainException notApprovable(Submission submission) {
    return new DomainException(
        ErrorCode.INVALID_STATE,
        "notApprovable",
        Map.of("submissionId", submission.submissionId(), "status", submission.status()));
  }

  /** A PROXY claim's state names who filed it. */
  private static JsonObject state(Submission submission) {
    JsonObject state =
        new JsonObject()
            .put("status", submission.status().name())
            .put("memberId", submission.memberId())
            .put("requestedPoints", submission.requestedPoints());
    return submission.filedBy() == null
        ? state
        : state.put("origin", submission.origin()).put("filedBy", submission.filedBy());
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
