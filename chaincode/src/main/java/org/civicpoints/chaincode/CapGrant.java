package org.civicpoints.chaincode;

/**
 * What a member's caps still allow of a requested award. {@code reason} is null when the whole
 * request is granted, otherwise the cap that cut it: DAILY_CAP or YEARLY_CAP.
 */
record CapGrant(long points, String reason) {
  static final String DAILY_CAP = "DAILY_CAP";
  static final String YEARLY_CAP = "YEARLY_CAP";

  static CapGrant of(
      final long requested, final Rule rule, final long grantedToday, final long grantedThisYear) {
    final long dayRoom = room(rule.dailyCap(), grantedToday);
    final long yearRoom = room(rule.yearlyCap(), grantedThisYear);
    if (requested <= dayRoom && requested <= yearRoom) {
      return new CapGrant(requested, null);
    }
    return dayRoom <= yearRoom
        ? new CapGrant(dayRoom, DAILY_CAP)
        : new CapGrant(yearRoom, YEARLY_CAP);
  }

  /** A cap of 0 means none; a counter above a lowered cap leaves no room, never negative room. */
  private static long room(final long cap, final long used) {
    return cap == 0 ? Long.MAX_VALUE : Math.max(0, cap - used);
  }
}
