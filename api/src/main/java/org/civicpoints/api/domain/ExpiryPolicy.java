package org.civicpoints.api.domain;

import java.time.LocalDate;

/**
 * When points expire (CIVIC_EXPIRY_POLICY, CIVIC_EXPIRY_YEARS): never, or at the end of the year
 * {@code years} after the calendar year they were earned in (the year of the day the award counts
 * for, in CIVIC_TIME_ZONE). Points earned in 2025 with one year expire at the end of 31 Dec 2026.
 */
public record ExpiryPolicy(Kind kind, int years) {

  public enum Kind {
    NONE,
    END_OF_YEAR_AFTER
  }

  /**
   * At least one year: the chain expires only a year that has ended by the transaction's UTC date,
   * and a year's end in the configured zone may come hours before it does in UTC.
   */
  public static final int MIN_YEARS = 1;

  public static final int MAX_YEARS = 50;

  public ExpiryPolicy {
    if (years < MIN_YEARS || years > MAX_YEARS) {
      throw new IllegalArgumentException(
          "years must be from " + MIN_YEARS + " to " + MAX_YEARS + ", not " + years);
    }
  }

  public static ExpiryPolicy none() {
    return new ExpiryPolicy(Kind.NONE, 1);
  }

  public boolean expires() {
    return kind == Kind.END_OF_YEAR_AFTER;
  }

  /** The last day the points earned in {@code earningYear} count; they are gone after it. */
  public LocalDate lastDayOf(int earningYear) {
    return LocalDate.of(earningYear + years, 12, 31);
  }

  /** The youngest earning year whose points have expired by {@code today}. */
  public int lastExpiredYear(LocalDate today) {
    return today.getYear() - years - 1;
  }

  /** The earning year whose points expire at the end of {@code today}'s year. */
  public int nextExpiringYear(LocalDate today) {
    return today.getYear() - years;
  }
}
