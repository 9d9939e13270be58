package org.civicpoints.api.service;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.civicpoints.api.domain.Community;
import org.civicpoints.api.domain.OrgUnit;
import org.civicpoints.api.domain.OrgUnit.Kind;
import org.civicpoints.api.domain.PartyBranch;

/** An immutable snapshot of the org units, for lookups on the request path without a query. */
public final class Organisation {

  private final Map<String, OrgUnit> units;

  public Organisation(List<OrgUnit> units) {
    this.units =
        units.stream().collect(Collectors.toUnmodifiableMap(OrgUnit::unitId, Function.identity()));
  }

  public Optional<OrgUnit> unit(String unitId, Kind kind) {
    return Optional.ofNullable(units.get(unitId)).filter(u -> u.kind() == kind);
  }

  public Optional<Community> community(String communityId) {
    return unit(communityId, Kind.COMMUNITY).map(this::toCommunity);
  }

  public List<Community> communities() {
    return units.values().stream()
        .filter(u -> u.kind() == Kind.COMMUNITY)
        .map(this::toCommunity)
        .sorted(Comparator.comparing(Community::communityId))
        .toList();
  }

  public List<PartyBranch> partyBranches() {
    return units.values().stream()
        .filter(u -> u.kind() == Kind.PARTY_BRANCH)
        .map(this::toBranch)
        .sorted(Comparator.comparing(PartyBranch::branchId))
        .toList();
  }

  private Community toCommunity(OrgUnit community) {
    OrgUnit street = units.get(community.parentId());
    OrgUnit district = street == null ? null : units.get(street.parentId());
    return new Community(
        community.unitId(),
        community.name(),
        street == null ? null : street.unitId(),
        street == null ? null : street.name(),
        district == null ? null : district.unitId(),
        district == null ? null : district.name());
  }

  private PartyBranch toBranch(OrgUnit branch) {
    OrgUnit committee = units.get(branch.parentId());
    return new PartyBranch(
        branch.unitId(),
        branch.name(),
        branch.parentId(),
        committee == null ? null : committee.name());
  }
}
