package org.civicpoints.api.service;

import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.civicpoints.api.domain.Community;
import org.civicpoints.api.domain.OrgTree;
import org.civicpoints.api.domain.OrgUnit;
import org.civicpoints.api.domain.OrgUnit.Kind;
import org.civicpoints.api.domain.PartyBranch;
import org.civicpoints.api.domain.Scopes;
import org.civicpoints.api.domain.Text;

/**
 * An immutable snapshot of the org units, for lookups on the request path without a query. Lookups
 * by id include retired units (their history and boards stay readable); listings and the places
 * where something new starts (a member joining, an activity, a grant) take active units only.
 */
public final class Organisation implements OrgTree {

  private final Map<String, OrgUnit> units;
  private final Map<String, OrgUnit> byCode;

  public Organisation(List<OrgUnit> units) {
    this.units =
        units.stream().collect(Collectors.toUnmodifiableMap(OrgUnit::unitId, Function.identity()));
    // Codes are unique by index; a unit seeded before codes existed reads its id as its code, which
    // the index cannot see, so a clash keeps the first rather than failing the whole snapshot.
    this.byCode =
        units.stream()
            .collect(
                Collectors.toUnmodifiableMap(
                    OrgUnit::code, Function.identity(), (first, x) -> first));
  }

  public Optional<OrgUnit> unit(String unitId) {
    return Optional.ofNullable(units.get(unitId));
  }

  public Optional<OrgUnit> unit(String unitId, Kind kind) {
    return unit(unitId).filter(u -> u.kind() == kind);
  }

  public Optional<OrgUnit> activeUnit(String unitId, Kind kind) {
    return unit(unitId, kind).filter(OrgUnit::active);
  }

  public Optional<OrgUnit> byCode(String code) {
    return Optional.ofNullable(byCode.get(code));
  }

  /** Every unit, retired ones included, by id. */
  public List<OrgUnit> units() {
    return units.values().stream().sorted(Comparator.comparing(OrgUnit::unitId)).toList();
  }

  public boolean hasActiveChildren(String unitId) {
    return units.values().stream().anyMatch(u -> unitId.equals(u.parentId()) && u.active());
  }

  public Optional<OrgUnit> activeCity() {
    return units.values().stream().filter(u -> u.kind() == Kind.CITY && u.active()).findFirst();
  }

  /**
   * Why a unit of {@code kind} cannot go under {@code parent} (null: no parent), or empty when it
   * can. There is one city.
   */
  public Optional<Text> misplacement(Kind kind, OrgUnit parent) {
    if (kind.isRoot()) {
      return parent != null
          ? Optional.of(Text.of("field.rootHasNoParent", Map.of("kind", kind)))
          : activeCity().map(city -> Text.of("field.cityExists", Map.of("code", city.code())));
    }
    if (parent == null) {
      return Optional.of(
          Text.of("field.goesUnder", Map.of("kind", kind, "parents", kind.parentsText())));
    }
    if (!parent.active()) {
      return Optional.of(Text.of("field.parentRetired", Map.of("code", parent.code())));
    }
    return kind.fitsUnder(parent.kind())
        ? Optional.empty()
        : Optional.of(notUnder(kind, parent.kind()));
  }

  /** "a COMMUNITY goes under STREET, not DISTRICT". */
  public static Text notUnder(Kind kind, Object parentKind) {
    return Text.of(
        "field.goesUnderNot",
        Map.of("kind", kind, "parents", kind.parentsText(), "parentKind", parentKind));
  }

  public Optional<Community> community(String communityId) {
    return unit(communityId, Kind.COMMUNITY).map(this::toCommunity);
  }

  /** The name of a community; empty for no community (null) or one this snapshot does not know. */
  public Optional<String> communityName(String communityId) {
    return communityId == null ? Optional.empty() : community(communityId).map(Community::name);
  }

  /** A community members may join and activities may start in. */
  public Optional<Community> activeCommunity(String communityId) {
    return activeUnit(communityId, Kind.COMMUNITY).map(this::toCommunity);
  }

  public List<Community> communities() {
    return units.values().stream()
        .filter(u -> u.kind() == Kind.COMMUNITY && u.active())
        .map(this::toCommunity)
        .sorted(Comparator.comparing(Community::communityId))
        .toList();
  }

  public List<PartyBranch> partyBranches() {
    return units.values().stream()
        .filter(u -> u.kind() == Kind.PARTY_BRANCH && u.active())
        .map(this::toBranch)
        .sorted(Comparator.comparing(PartyBranch::branchId))
        .toList();
  }

  @Override
  public Set<String> scopesCovering(String communityId) {
    Set<String> scopes = new HashSet<>(Set.of(Scopes.community(communityId)));
    community(communityId)
        .ifPresent(
            community -> {
              Optional.ofNullable(community.streetId()).map(Scopes::street).ifPresent(scopes::add);
              Optional.ofNullable(community.districtId())
                  .map(Scopes::district)
                  .ifPresent(scopes::add);
            });
    return scopes;
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
