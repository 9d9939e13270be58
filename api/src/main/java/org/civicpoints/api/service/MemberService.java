package org.civicpoints.api.service;

import io.vertx.core.Future;
import java.time.Clock;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.civicpoints.api.domain.Caller;
import org.civicpoints.api.domain.CommunityChange;
import org.civicpoints.api.domain.DomainException;
import org.civicpoints.api.domain.ErrorCode;
import org.civicpoints.api.domain.Ids;
import org.civicpoints.api.domain.Language;
import org.civicpoints.api.domain.LeaderboardVisibility;
import org.civicpoints.api.domain.Member;
import org.civicpoints.api.domain.OrgUnit.Kind;
import org.civicpoints.api.domain.PartyMembership;
import org.civicpoints.api.domain.Role;
import org.civicpoints.api.domain.Scopes;
import org.civicpoints.api.port.CommunityChanges;
import org.civicpoints.api.port.Members;
import org.civicpoints.api.port.ProfileChanges;

/**
 * The caller's own record, staff work on the members of their communities, and admin grants.
 *
 * <p>Object-level rule: a staff member acts only on members of communities in their scope; an
 * object outside the caller's scope answers NOT_FOUND, so ids of others cannot be probed. Nobody
 * verifies their own party membership, grants themselves a role or scope, or decides their own
 * community change (SELF_DECISION).
 */
public final class MemberService {

  private final Members members;
  private final CommunityChanges communityChanges;
  private final OrganisationService organisation;
  private final AuditLog audit;
  private final Clock clock;
  private VisibilityChanges visibilityChanges = (memberId, visibility) -> Future.succeededFuture();

  public MemberService(
      Members members,
      CommunityChanges communityChanges,
      OrganisationService organisation,
      AuditLog audit,
      Clock clock) {
    this.members = members;
    this.communityChanges = communityChanges;
    this.organisation = organisation;
    this.audit = audit;
    this.clock = clock;
  }

  /** A member with the community change they asked for, if one is pending. */
  public record MemberView(Member member, CommunityChange pendingCommunityChange) {}

  public record MeUpdate(ProfileChanges profile, Optional<String> communityId) {}

  public Future<MemberView> me(Caller caller) {
    return existing(caller.memberId()).compose(this::withPendingChange);
  }

  /**
   * Told of every leaderboard visibility a member sets in their profile, after it is stored (a
   * consent to record, boards to refresh).
   */
  public interface VisibilityChanges {
    Future<Void> changed(String memberId, LeaderboardVisibility visibility);
  }

  public void tellVisibilityChangesTo(VisibilityChanges listener) {
    this.visibilityChanges = listener;
  }

  public Future<MemberView> updateMe(Caller caller, MeUpdate update) {
    update.communityId().ifPresent(this::requireCommunity);
    return existing(caller.memberId())
        .compose(
            member ->
                update.profile().isEmpty()
                    ? Future.succeededFuture(member)
                    : members.updateProfile(member.memberId(), update.profile()))
        .compose(
            member ->
                update.profile().leaderboardVisibility().isEmpty()
                    ? Future.succeededFuture(member)
                    : visibilityChanges
                        .changed(member.memberId(), member.leaderboardVisibility())
                        .map(member))
        .compose(member -> requestCommunityChange(member, update.communityId()))
        .compose(this::withPendingChange);
  }

  /** The language a member chose; the default one when they chose none or are gone. */
  public Future<Language> languageOf(String memberId) {
    return members.languageOf(memberId);
  }

  public Future<List<Member>> listMembers(Caller caller, String communityId) {
    requireStaff(caller);
    requireInScope(caller, communityId);
    return members.listByCommunity(communityId);
  }

  public Future<Member> verifyPartyMembership(Caller caller, String memberId, String branchId) {
    requireStaff(caller);
    if (organisation.organisation().unit(branchId, Kind.PARTY_BRANCH).isEmpty()) {
      throw DomainException.invalidField("branchId", "notBranch", Map.of());
    }
    return memberInScope(caller, memberId, branchId)
        .compose(
            member -> {
              requireNotSelf(caller, memberId, "ownPartyMembership");
              Set<Role> roles = EnumSet.copyOf(member.roles());
              roles.add(Role.PARTY_MEMBER);
              return leaveOtherBranch(member, branchId)
                  .compose(
                      v ->
                          members.setPartyMembership(
                              memberId, PartyMembership.verified(branchId, clock.instant())))
                  .compose(updated -> members.setAccess(memberId, roles, updated.scopes()))
                  .compose(
                      after ->
                          audit
                              .record(
                                  caller.memberId(),
                                  "PARTY_VERIFY",
                                  memberId,
                                  access(member),
                                  access(after).put("branchId", branchId),
                                  member.communityId())
                              .map(after));
            });
  }

  public Future<Member> grantRole(Caller caller, String memberId, Role role, Set<String> scopes) {
    requireAdmin(caller);
    requireNotSelf(caller, memberId, "ownGrant");
    scopes.forEach(scope -> requireScopeFits(role, scope));
    if ((role == Role.STAFF || role == Role.ORGANIZER) && scopes.isEmpty()) {
      throw DomainException.invalidField("scopes", "requiredForRole", Map.of("role", role));
    }
    return existingForAdmin(memberId)
        .compose(
            member -> {
              Set<Role> roles = EnumSet.copyOf(member.roles());
              roles.add(role);
              Set<String> allScopes = new HashSet<>(member.scopes());
              allScopes.addAll(scopes);
              return members
                  .setAccess(memberId, roles, allScopes)
                  .compose(after -> audited(caller, "ROLE_GRANT", member, after));
            });
  }

  public Future<Member> revokeRole(Caller caller, String memberId, Role role) {
    requireAdmin(caller);
    if (role == Role.RESIDENT) {
      throw DomainException.invalidField("path.role", "residentForever", Map.of());
    }
    if (role == Role.ADMIN && caller.memberId().equals(memberId)) {
      throw DomainException.forbidden("ownAdminRole", Map.of());
    }
    return existingForAdmin(memberId)
        .compose(
            member -> {
              Set<Role> roles = EnumSet.copyOf(member.roles());
              roles.remove(role);
              Set<String> scopes = new HashSet<>(member.scopes());
              scopes.removeIf(scope -> !scopeStillNeeded(scope, roles));
              return members
                  .setAccess(memberId, roles, scopes)
                  .compose(
                      after ->
                          role == Role.PARTY_MEMBER ? endPartyMembership(after) : succeeded(after))
                  .compose(after -> audited(caller, "ROLE_REVOKE", member, after));
            });
  }

  public Future<Member> revokeScope(Caller caller, String memberId, String scope) {
    requireAdmin(caller);
    return existingForAdmin(memberId)
        .compose(
            member -> {
              Set<String> scopes = new HashSet<>(member.scopes());
              scopes.remove(scope);
              return members
                  .setAccess(memberId, member.roles(), scopes)
                  .compose(after -> audited(caller, "SCOPE_REVOKE", member, after));
            });
  }

  public Future<List<CommunityChange>> listCommunityChanges(Caller caller, String communityId) {
    requireStaff(caller);
    requireInScope(caller, communityId);
    return communityChanges.listPendingInto(communityId);
  }

  /** Deciding an already decided request changes nothing and answers it as it is. */
  public Future<CommunityChange> decideCommunityChange(
      Caller caller, String requestId, boolean approve) {
    requireStaff(caller);
    return communityChanges
        .findById(requestId)
        .compose(
            request -> {
              if (request == null || !caller.staffsCommunity(request.toCommunityId())) {
                return Future.failedFuture(
                    DomainException.notFound(
                        "communityChangeInScope", Map.of("requestId", requestId)));
              }
              requireNotSelf(caller, request.memberId(), "ownCommunityChange");
              if (request.status() != CommunityChange.Status.PENDING) {
                return answerDecided(request);
              }
              CommunityChange.Status decided =
                  approve ? CommunityChange.Status.APPROVED : CommunityChange.Status.REJECTED;
              return communityChanges
                  .decide(requestId, decided)
                  .compose(done -> applyDecision(caller, request, done));
            });
  }

  /** A decided request is answered as it is; a withdrawn one cannot be decided any more. */
  private static Future<CommunityChange> answerDecided(CommunityChange request) {
    if (request.status() == CommunityChange.Status.WITHDRAWN) {
      return Future.failedFuture(
          new DomainException(
              ErrorCode.INVALID_STATE,
              "changeRequestWithdrawn",
              Map.of("requestId", request.requestId())));
    }
    return Future.succeededFuture(request);
  }

  private Future<CommunityChange> applyDecision(
      Caller caller, CommunityChange request, CommunityChange decided) {
    if (decided == null) {
      // Someone else decided (or the member withdrew) it at the same moment: answer that.
      return communityChanges.findById(request.requestId()).compose(MemberService::answerDecided);
    }
    Future<CommunityChange> applied =
        decided.status() == CommunityChange.Status.APPROVED
            ? members
                .setCommunity(decided.memberId(), decided.toCommunityId())
                .map(member -> decided)
            : Future.succeededFuture(decided);
    return applied.compose(
        done ->
            audit
                .record(
                    caller.memberId(),
                    "COMMUNITY_CHANGE_"
                        + (done.status() == CommunityChange.Status.APPROVED ? "APPROVE" : "REJECT"),
                    done.requestId(),
                    changeState(request),
                    changeState(done),
                    done.toCommunityId())
                .map(done));
  }

  /**
   * A request to another community than the pending one is a new request: the pending one is
   * withdrawn first, so staff of its community can no longer decide it, and its decision cannot
   * move the member somewhere else than it said.
   */
  private Future<Member> requestCommunityChange(Member member, Optional<String> communityId) {
    if (communityId.isEmpty() || communityId.get().equals(member.communityId())) {
      return Future.succeededFuture(member);
    }
    CommunityChange request =
        new CommunityChange(
            Ids.communityChangeId(),
            member.memberId(),
            member.communityId(),
            communityId.get(),
            CommunityChange.Status.PENDING,
            clock.instant());
    return communityChanges
        .withdrawPending(member.memberId(), communityId.get())
        .compose(withdrawn -> withdrawn == null ? succeeded(null) : auditWithdrawal(withdrawn))
        .compose(v -> communityChanges.insertPending(request))
        .map(stored -> member);
  }

  private Future<Void> auditWithdrawal(CommunityChange withdrawn) {
    return audit.record(
        withdrawn.memberId(),
        "COMMUNITY_CHANGE_WITHDRAW",
        withdrawn.requestId(),
        changeState(withdrawn).put("status", CommunityChange.Status.PENDING.name()),
        changeState(withdrawn),
        withdrawn.toCommunityId());
  }

  private static io.vertx.core.json.JsonObject changeState(CommunityChange change) {
    return new io.vertx.core.json.JsonObject()
        .put("status", change.status().name())
        .put("memberId", change.memberId())
        .put("fromCommunityId", change.fromCommunityId())
        .put("toCommunityId", change.toCommunityId());
  }

  /**
   * Ends the membership of the branch the member was verified in, so that branch's boards stop
   * counting them.
   */
  private Future<Member> endPartyMembership(Member member) {
    PartyMembership party = member.partyMembership();
    return party.status() == PartyMembership.Status.VERIFIED
        ? members.endPartyMembership(member.memberId(), party.branchId())
        : succeeded(member);
  }

  /** A member verified in another branch leaves it for {@code branchId}. */
  private Future<Member> leaveOtherBranch(Member member, String branchId) {
    PartyMembership party = member.partyMembership();
    return party.status() == PartyMembership.Status.VERIFIED && !branchId.equals(party.branchId())
        ? members.endPartyMembership(member.memberId(), party.branchId())
        : succeeded(member);
  }

  private static <T> Future<T> succeeded(T value) {
    return Future.succeededFuture(value);
  }

  /** {@code decision} names the catalogue entry SELF_DECISION.{decision}. */
  private static void requireNotSelf(Caller caller, String memberId, String decision) {
    if (caller.memberId().equals(memberId)) {
      throw new DomainException(ErrorCode.SELF_DECISION, decision, Map.of());
    }
  }

  /** Roles and scopes only: the audit trail never holds names or phone numbers. */
  private Future<Member> audited(Caller caller, String action, Member before, Member after) {
    return audit
        .record(caller.memberId(), action, after.memberId(), access(before), access(after), null)
        .map(after);
  }

  private static io.vertx.core.json.JsonObject access(Member member) {
    return new io.vertx.core.json.JsonObject()
        .put(
            "roles",
            new io.vertx.core.json.JsonArray(
                member.roles().stream().map(Enum::name).sorted().toList()))
        .put(
            "scopes", new io.vertx.core.json.JsonArray(member.scopes().stream().sorted().toList()));
  }

  private Future<MemberView> withPendingChange(Member member) {
    return communityChanges
        .findPendingOf(member.memberId())
        .map(pending -> new MemberView(member, pending));
  }

  private Future<Member> existing(String memberId) {
    return found(memberId, () -> DomainException.notFound("memberGone", Map.of()));
  }

  private Future<Member> existingForAdmin(String memberId) {
    return found(memberId, () -> DomainException.notFound("member", Map.of("memberId", memberId)));
  }

  private Future<Member> found(String memberId, Supplier<DomainException> missing) {
    return members
        .findById(memberId)
        .compose(
            member ->
                member != null
                    ? Future.succeededFuture(member)
                    : Future.failedFuture(missing.get()));
  }

  /** A member of the caller's communities, or any member for the secretary of {@code branchId}. */
  private Future<Member> memberInScope(Caller caller, String memberId, String branchId) {
    return members
        .findById(memberId)
        .compose(
            member -> {
              if (member == null
                  || !(caller.staffsBranch(branchId)
                      || (member.communityId() != null
                          && caller.staffsCommunity(member.communityId())))) {
                return Future.failedFuture(
                    DomainException.notFound("memberInScope", Map.of("memberId", memberId)));
              }
              return Future.succeededFuture(member);
            });
  }

  private void requireCommunity(String communityId) {
    if (organisation.organisation().activeCommunity(communityId).isEmpty()) {
      throw DomainException.invalidField("communityId", "notActiveCommunity", Map.of());
    }
  }

  private void requireInScope(Caller caller, String communityId) {
    if (!caller.staffsCommunity(communityId)
        || organisation.organisation().community(communityId).isEmpty()) {
      throw DomainException.notFound("communityInScope", Map.of("communityId", communityId));
    }
  }

  /**
   * A scope must name an active unit of a kind the role works on: STAFF a community, a street or a
   * district (every community below) or a party branch (its secretary); ORGANIZER a street, a
   * district or the city.
   */
  private void requireScopeFits(Role role, String scope) {
    String kind = Scopes.kind(scope);
    boolean fits =
        switch (role) {
          case STAFF ->
              Set.of("community", "street", "district", "branch").contains(kind)
                  && activeUnit(scope);
          case ORGANIZER ->
              scope.equals(Scopes.CITY)
                  || (Set.of("street", "district").contains(kind) && activeUnit(scope));
          default -> false;
        };
    if (!fits) {
      throw DomainException.invalidField(
          "scopes", "notScopeForRole", Map.of("scope", scope, "role", role));
    }
  }

  private boolean activeUnit(String scope) {
    Kind kind =
        switch (Scopes.kind(scope)) {
          case "community" -> Kind.COMMUNITY;
          case "street" -> Kind.STREET;
          case "district" -> Kind.DISTRICT;
          default -> Kind.PARTY_BRANCH;
        };
    return organisation.organisation().activeUnit(Scopes.unitId(scope), kind).isPresent();
  }

  private static boolean scopeStillNeeded(String scope, Set<Role> remainingRoles) {
    return switch (Scopes.kind(scope)) {
      case "community", "branch" -> remainingRoles.contains(Role.STAFF);
      case "street", "district" ->
          remainingRoles.contains(Role.STAFF) || remainingRoles.contains(Role.ORGANIZER);
      default -> remainingRoles.contains(Role.ORGANIZER);
    };
  }

  private static void requireStaff(Caller caller) {
    if (!caller.has(Role.STAFF) && !caller.isAdmin()) {
      throw DomainException.forbidden("staffOrAdmin", Map.of());
    }
  }

  private static void requireAdmin(Caller caller) {
    if (!caller.isAdmin()) {
      throw DomainException.forbidden("admin", Map.of());
    }
  }
}
