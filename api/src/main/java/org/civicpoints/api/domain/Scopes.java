package org.civicpoints.api.domain;

/**
 * Scope strings: where a member's roles apply. STAFF: "community:", "street:" or "district:" (every
 * community below) and "branch:" (a party branch's secretary); ORGANIZER: "street:", "district:" or
 * "city".
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

  public static String district(String districtId) {
    return "district:" + districtId;
  }

  public static String branch(String branchId) {
    return "branch:" + branchId;
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
