package org.civicpoints.api.domain;

/**
 * Scope strings: where a STAFF ("community:") or ORGANIZER ("street:", "district:", "city") role
 * applies.
 */
public final class Scopes {

  public static final String CITY = "city";

  private Scopes() {}

  public static String community(String communityId) {
    return "community:" + communityId;
  }

  public static String street(String streetId) {
    return "street:" + streetId;
  }

  public static String kind(String scope) {
    int colon = scope.indexOf(':');
    return colon < 0 ? scope : scope.substring(0, colon);
  }

  public static String unitId(String scope) {
    int colon = scope.indexOf(':');
    return colon < 0 ? "" : scope.substring(colon + 1);
  }
}
