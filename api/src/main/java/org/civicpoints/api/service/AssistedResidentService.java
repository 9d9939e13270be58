package org.civicpoints.api.service;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import org.civicpoints.api.domain.Attendance;
import org.civicpoints.api.domain.Caller;
import org.civicpoints.api.domain.DomainException;
import org.civicpoints.api.domain.ErrorCode;
import org.civicpoints.api.domain.Ids;
import org.civicpoints.api.domain.Member;
import org.civicpoints.api.domain.Role;
import org.civicpoints.api.domain.Submission;
import org.civicpoints.api.port.Members;
import org.civicpoints.api.service.SubmissionService.Claimant;
import org.civicpoints.api.service.SubmissionService.NewSubmission;

/**
 * Residents without a smartphone: staff of a community register them (an assisted resident), record
 * their attendance and claim points for them (PROXY claims, under the residents' own rules: keys,
 * one claim a day, caps). Staff act only for assisted residents of communities they staff, never
 * for themselves.
 *
 * <p>The name and phone number stay in the member record (MongoDB); the audit trail and the chain
 * get the random member id only. A phone number belongs to one member: registering one that is
 * taken is refused (PHONE_ALREADY_REGISTERED), so staff cannot attach claims to an app user's
 * account nor take it over. When the phone's owner later signs in (Firebase has verified they hold
 * the number), the sign-in finds the member by phone and they take over the same member id and
 * balance; whoever typed the number in cannot sign in as them.
 */
public final class AssistedResidentService {

  private final Members members;
  private final OrganisationService organisation;
  private final ActivityService activities;
  private final SubmissionService submissions;
  private final AuditLog audit;
  private final Clock clock;

  public AssistedResidentService(
      Members members,
      OrganisationService organisation,
      ActivityService activities,
      SubmissionService submissions,
      AuditLog audit,
      Clock clock) {
    this.members = members;
    this.organisation = organisation;
    this.activities = activities;
    this.submissions = submissions;
    this.audit = audit;
    this.clock = clock;
  }

  public record NewResident(String displayName, String communityId, Optional<String> phone) {}

  public Future<Member> register(Caller staff, NewResident request) {
    requireStaff(staff);
    if (!staff.staffsCommunity(request.communityId())
        || organisation.organisation().activeCommunity(request.communityId()).isEmpty()) {
      throw DomainException.notFound(
          "communityInScope", Map.of("communityId", request.communityId()));
    }
    Member fresh = newResident(staff, request);
    return members
        .register(fresh)
        .compose(
            stored -> {
              if (!stored) {
                throw new DomainException(
                    ErrorCode.PHONE_ALREADY_REGISTERED, "useExisting", Map.of());
              }
              return audit
                  .record(
                      staff.memberId(),
                      "RESIDENT_REGISTER",
                      fresh.memberId(),
                      null,
                      new JsonObject()
                          .put("communityId", fresh.communityId())
                          .put("withPhone", fresh.phone() != null),
                      fresh.communityId())
                  .map(fresh);
            });
  }

  public Future<Attendance> recordAttendance(Caller staff, String activityId, String memberId) {
    return resident(staff, memberId)
        .compose(resident -> activities.recordAttendance(staff, activityId, resident));
  }

  public Future<Submission> claimFor(
      Caller staff, String memberId, String idempotencyKey, NewSubmission request) {
    return resident(staff, memberId)
        .compose(
            resident -> submissions.submit(new Claimant(resident, staff), idempotencyKey, request));
  }

  /**
   * The assisted resident, as activities see them, if the caller staffs their community; never the
   * caller themselves.
   */
  private Future<Caller> resident(Caller staff, String memberId) {
    requireStaff(staff);
    if (staff.memberId().equals(memberId)) {
      throw new DomainException(ErrorCode.SELF_DECISION, "ownProxyClaim", Map.of());
    }
    return members
        .findById(memberId)
        .map(
            member -> {
              if (member == null
                  || member.communityId() == null
                  || !staff.staffsCommunity(member.communityId())) {
                throw DomainException.notFound("memberInScope", Map.of("memberId", memberId));
              }
              if (!member.isAssisted()) {
                throw new DomainException(
                    ErrorCode.INVALID_STATE, "notAssisted", Map.of("memberId", memberId));
              }
              return new Caller(member.memberId(), member.roles(), member.scopes(), staff.tree());
            });
  }

  private Member newResident(Caller staff, NewResident request) {
    return Member.assisted(
        Ids.memberId(),
        request.phone().orElse(null),
        request.displayName(),
        request.communityId(),
        clock.instant(),
        staff.memberId());
  }

  private static void requireStaff(Caller caller) {
    if (!caller.has(Role.STAFF) && !caller.isAdmin()) {
      throw DomainException.forbidden("staffOrAdmin", Map.of());
    }
  }
}
