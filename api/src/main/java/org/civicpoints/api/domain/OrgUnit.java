package org.civicpoints.api.domain;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A node of the city (city → district → street → community) or of the party (committee → branch).
 * {@code code} is the unit's external reference (the one a CSV import matches on); {@code
 * retiredAt} is set once the unit is retired: it keeps its history and boards but takes nothing
 * new.
 */
public record OrgUnit(
    String unitId, Kind kind, String name, String parentId, String code, Instant retiredAt) {

  public static final int MAX_NAME_LENGTH = 100;
  private static final Pattern CODE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  /**
   * Every kind sits strictly below its parents' kinds, and units never move, so the tree has no
   * cycles by construction. Party committees hang under the city, a district or a street (a
   * street's party working committee); branches under a committee.
   */
  public enum Kind {
    CITY(Set.of()),
    DISTRICT(Set.of("CITY")),
    STREET(Set.of("DISTRICT")),
    COMMUNITY(Set.of("STREET")),
    PARTY_COMMITTEE(Set.of("CITY", "DISTRICT", "STREET")),
    PARTY_BRANCH(Set.of("PARTY_COMMITTEE"));

    private final Set<String> parents;

    Kind(Set<String> parents) {
      this.parents = parents;
    }

    public boolean isRoot() {
      return parents.isEmpty();
    }

    public boolean fitsUnder(Kind parent) {
      return parents.contains(parent.name());
    }

    /** "STREET", "CITY/DISTRICT/STREET": what this kind goes under, the same in every language. */
    public String parentsText() {
      return String.join("/", parents.stream().sorted().toList());
    }
  }

  /**
   * Why {@code name} is not a unit name (1 to 100 characters, no control characters): a field
   * message.
   */
  public static Optional<Text> nameProblem(String name) {
    if (name == null || name.isBlank()) {
      return Optional.of(Text.of("field.blank"));
    }
    if (name.codePointCount(0, name.length()) > MAX_NAME_LENGTH) {
      return Optional.of(Text.of("field.longerThan", Map.of("max", MAX_NAME_LENGTH)));
    }
    return name.chars().anyMatch(Character::isISOControl)
        ? Optional.of(Text.of("field.controlCharacters"))
        : Optional.empty();
  }

  /**
   * Why {@code code} is not an external code (1 to 64 letters, digits, '.', '_', '-'): a field
   * message.
   */
  public static Optional<Text> codeProblem(String code) {
    return code != null && CODE.matcher(code).matches()
        ? Optional.empty()
        : Optional.of(Text.of("field.notUnitCode"));
  }

  public boolean active() {
    return retiredAt == null;
  }

  public OrgUnit renamed(String newName) {
    return new OrgUnit(unitId, kind, newName, parentId, code, retiredAt);
  }
}
