package org.civicpoints.api.domain;

/**
 * A node of the city (city → district → street → community) or of the party (committee → branch).
 */
public record OrgUnit(String unitId, Kind kind, String name, String parentId) {

  public enum Kind {
    CITY,
    DISTRICT,
    STREET,
    COMMUNITY,
    PARTY_COMMITTEE,
    PARTY_BRANCH
  }
}
