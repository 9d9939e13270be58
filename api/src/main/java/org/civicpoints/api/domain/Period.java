package org.civicpoints.api.domain;

import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.temporal.IsoFields;
import java.time.temporal.TemporalAdjusters;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A leaderboard period: {@code week:2026-W48} (ISO week of the week-based year), {@code
 * month:2026-11}, {@code quarter:2026-Q4}, {@code year:2026} or {@code all}. Standings are kept per
 * period of the day an activity happened, so a reversal lands in the period of the award it
 * cancels.
 */
public record Period(String key, LocalDate firstDay, LocalDate lastDay) {

  public static final Period ALL = new Period("all", null, null);

  private static final Pattern WEEK = Pattern.compile("week:(\\d{4})-W(\\d{2})");
  private static final Pattern MONTH = Pattern.compile("month:(\\d{4})-(\\d{2})");
  private static final Pattern QUARTER = Pattern.compile("quarter:(\\d{4})-Q([1-4])");
  private static final Pattern YEAR = Pattern.compile("year:(\\d{4})");

  /** Every period a day belongs to, from the shortest to all time. */
  public static List<Period> containing(LocalDate day) {
    return List.of(week(day), month(day), quarter(day), year(day), ALL);
  }

  public static Period week(LocalDate day) {
    int weekYear = day.get(IsoFields.WEEK_BASED_YEAR);
    int week = day.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR);
    LocalDate monday = day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
    return new Period(String.format("week:%04d-W%02d", weekYear, week), monday, monday.plusDays(6));
  }

  public static Period month(LocalDate day) {
    YearMonth month = YearMonth.from(day);
    return new Period(
        String.format("month:%04d-%02d", month.getYear(), month.getMonthValue()),
        month.atDay(1),
        month.atEndOfMonth());
  }

  public static Period quarter(LocalDate day) {
    int quarter = (day.getMonthValue() - 1) / 3 + 1;
    LocalDate first = LocalDate.of(day.getYear(), quarter * 3 - 2, 1);
    return new Period(
        String.format("quarter:%04d-Q%d", day.getYear(), quarter),
        first,
        first.plusMonths(3).minusDays(1));
  }

  public static Period year(LocalDate day) {
    return new Period(
        String.format("year:%04d", day.getYear()),
        LocalDate.of(day.getYear(), 1, 1),
        LocalDate.of(day.getYear(), 12, 31));
  }

  /** The period a client named, or empty when the text is not exactly one of the five forms. */
  public static Optional<Period> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    if (text.equals(ALL.key)) {
      return Optional.of(ALL);
    }
    try {
      return parseBounded(text).filter(period -> period.key.equals(text));
    } catch (DateTimeException outOfRange) {
      return Optional.empty();
    }
  }

  private static Optional<Period> parseBounded(String text) {
    Matcher m;
    if ((m = WEEK.matcher(text)).matches()) {
      int weekYear = Integer.parseInt(m.group(1));
      int week = Integer.parseInt(m.group(2));
      // Jan 4th is always in week 1; a week past the year's last week (52 or 53) is refused below.
      LocalDate day =
          LocalDate.of(weekYear, 1, 4)
              .with(IsoFields.WEEK_OF_WEEK_BASED_YEAR, 1)
              .with(DayOfWeek.MONDAY)
              .plusWeeks(week - 1L);
      return week < 1 ? Optional.empty() : Optional.of(week(day));
    }
    if ((m = MONTH.matcher(text)).matches()) {
      return Optional.of(
          month(LocalDate.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), 1)));
    }
    if ((m = QUARTER.matcher(text)).matches()) {
      int quarter = Integer.parseInt(m.group(2));
      return Optional.of(quarter(LocalDate.of(Integer.parseInt(m.group(1)), quarter * 3 - 2, 1)));
    }
    if ((m = YEAR.matcher(text)).matches()) {
      return Optional.of(year(LocalDate.of(Integer.parseInt(m.group(1)), 1, 1)));
    }
    return Optional.empty();
  }

  public boolean isAllTime() {
    return firstDay == null;
  }

  /** Every day of a bounded period, first to last. */
  public List<LocalDate> days() {
    if (isAllTime()) {
      throw new IllegalStateException("all time has no list of days");
    }
    return firstDay.datesUntil(lastDay.plusDays(1)).toList();
  }
}
