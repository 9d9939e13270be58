package org.civicpoints.api.service;

import io.vertx.core.Future;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.civicpoints.api.domain.Caller;
import org.civicpoints.api.domain.Community;
import org.civicpoints.api.domain.DomainException;
import org.civicpoints.api.domain.Member;
import org.civicpoints.api.domain.OrgUnit.Kind;
import org.civicpoints.api.domain.PartyMembership;
import org.civicpoints.api.domain.Role;
import org.civicpoints.api.domain.Scopes;
import org.civicpoints.api.port.Members;

/**
 * Who may see which board. Reading: anyone signed in reads the city and the boards of their own
 * community, street, district and verified party branch; staff and organizers also the boards their
 * scopes cover; admins every board. Trends: staff of the community, organizers covering the scope,
 * admins. Exports: organizers covering the scope, admins. An organizer's scope (street, district or
 * city) covers the units under it; party branches are covered by the city.
 */
final class LeaderboardAccess {

  private final Members members;
  private final OrganisationService organisation;

  LeaderboardAccess(Members members, OrganisationService organisation) {
    this.members = members;
    this.organisation = organisation;
  }

  /** A scope whose unit does not exist is a 404, whoever asks: org units are public. */
  void requireExisting(String scope) {
    String unitId = Scopes.unitId(scope);
    boolean exists =
        switch (Scopes.kind(scope)) {
          case "city" -> true;
          case "community" -> organisation.organisation().unit(unitId, Kind.COMMUNITY).isPresent();
          case "street" -> organisation.organisation().unit(unitId, Kind.STREET).isPresent();
          case "district" -> organisation.organisation().unit(unitId, Kind.DISTRICT).isPresent();
          case "branch" -> organisation.organisation().unit(unitId, Kind.PARTY_BRANCH).isPresent();
          default -> false;
        };
    if (!exists) {
      throw DomainException.notFound("boardScope", Map.of("scope", scope));
    }
  }

  Future<Void> requireReader(Caller caller, String scope) {
    requireExisting(scope);
    if (caller.isAdmin() || Scopes.CITY.equals(scope) || grantCovers(caller, scope)) {
      return Future.succeededFuture();
    }
    return members
        .findById(caller.memberId())
        .compose(
            member ->
                ownBoard(member, scope)
                    ? Future.succeededFuture()
                    : Future.failedFuture(
                        DomainException.forbidden("boardReader", Map.of("scope", scope))));
  }

  void requireTrendReader(Caller caller, String scope) {
    requireExisting(scope);
    if (!(caller.isAdmin() || organizerCovers(caller, scope) || staffsScope(caller, scope))) {
      throw DomainException.forbidden("trendReader", Map.of("scope", scope));
    }
  }

  void requireExporter(Caller caller, String scope) {
    requireExisting(scope);
    if (!(caller.isAdmin() || organizerCovers(caller, scope))) {
      throw DomainException.forbidden("exporter", Map.of("scope", scope));
    }
  }

  /** Community comparisons of a street or district: as trends, its staff, organizers, admins. */
  void requireComparisonReader(Caller caller, String scope) {
    requireExisting(scope);
    if (!(caller.isAdmin() || organizerCovers(caller, scope) || staffsScope(caller, scope))) {
      throw DomainException.forbidden("comparisonReader", Map.of("scope", scope));
    }
  }

  /**
   * Whose exports the caller may list: null for every board (admins), else the board scopes their
   * organizer grants cover. Others are refused.
   */
  Set<String> exportHistoryScopes(Caller caller) {
    if (caller.isAdmin()) {
      return null;
    }
    if (!caller.has(Role.ORGANIZER)) {
      throw DomainException.forbidden("exportHistory", Map.of());
    }
    Set<String> scopes = new LinkedHashSet<>(List.of(Scopes.CITY));
    for (Community c : organisation.communities()) {
      scopes.addAll(
          List.of(
              Scopes.district(c.districtId()),
              Scopes.street(c.streetId()),
              Scopes.community(c.communityId())));
    }
    organisation.partyBranches().forEach(b -> scopes.add(Scopes.branch(b.branchId())));
    scopes.removeIf(scope -> !organizerCovers(caller, scope));
    return scopes;
  }

  private boolean grantCovers(Caller caller, String scope) {
    return organizerCovers(caller, scope) || staffsScope(caller, scope);
  }

  /** Staff see their own scopes' boards and those of every community below them. */
  private static boolean staffsScope(Caller caller, String scope) {
    return caller.has(Role.STAFF)
        && (caller.scopes().contains(scope)
            || (scope.startsWith("community:") && caller.staffsCommunity(Scopes.unitId(scope))));
  }

  private boolean organizerCovers(Caller caller, String scope) {
    if (!caller.has(Role.ORGANIZER)) {
      return false;
    }
    return caller.scopes().stream().anyMatch(granted -> covers(granted, scope));
  }

  /** Whether an organizer's granted scope (street, district or city) covers {@code scope}. */
  boolean covers(String granted, String scope) {
    if (Scopes.CITY.equals(granted) || granted.equals(scope)) {
      return true;
    }
    String unitId = Scopes.unitId(scope);
    return switch (Scopes.kind(granted)) {
      case "district" ->
          switch (Scopes.kind(scope)) {
            case "street" ->
                organisation
                    .organisation()
                    .unit(unitId, Kind.STREET)
                    .map(street -> street.parentId().equals(Scopes.unitId(granted)))
                    .orElse(false);
            case "community" -> isCommunityIn(scope, granted);
            default -> false;
          };
      case "street" -> "community".equals(Scopes.kind(scope)) && isCommunityIn(scope, granted);
      default -> false;
    };
  }

  private boolean isCommunityIn(String communityScope, String granted) {
    Optional<Community> community =
        organisation.organisation().community(Scopes.unitId(communityScope));
    String unit = Scopes.unitId(granted);
    return community
        .map(
            c ->
                switch (Scopes.kind(granted)) {
                  case "street" -> unit.equals(c.streetId());
                  case "district" -> unit.equals(c.districtId());
                  default -> false;
                })
        .orElse(false);
  }

  private boolean ownBoard(Member member, String scope) {
    if (member == null) {
      return false;
    }
    String unitId = Scopes.unitId(scope);
    PartyMembership party = member.partyMembership();
    return switch (Scopes.kind(scope)) {
      case "community" -> unitId.equals(member.communityId());
      case "street", "district" ->
          member.communityId() != null
              && isCommunityIn(Scopes.community(member.communityId()), scope);
      case "branch" ->
          party.status() == PartyMembership.Status.VERIFIED && unitId.equals(party.branchId());
      default -> false;
    };
  }
}
