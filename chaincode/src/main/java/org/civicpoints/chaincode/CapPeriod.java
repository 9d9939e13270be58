package org.civicpoints.chaincode;

/**
 * One cap counter: a member's granted points in one category for one day ({@code YYYY-MM-DD}) or
 * one year ({@code YYYY}).
 */
record CapPeriod(String memberId, String category, String period) {

  static CapPeriod day(final String memberId, final String category, final String occurredOn) {
    return new CapPeriod(memberId, category, occurredOn);
  }

  static CapPeriod year(final String memberId, final String category, final String occurredOn) {
    return new CapPeriod(memberId, category, occurredOn.substring(0, 4));
  }

  boolean isDay() {
    return period.length() > 4;
  }
}
