package org.civicpoints.api.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PeriodTest {

  private static List<String> keys(String day) {
    return Period.containing(LocalDate.parse(day)).stream().map(Period::key).toList();
  }

  @Test
  void the_last_day_of_2026_is_in_iso_week_53_of_2026() {
    assertThat(keys("2026-12-31"))
        .containsExactly("week:2026-W53", "month:2026-12", "quarter:2026-Q4", "year:2026", "all");
  }

  @Test
  void new_year_2027_is_still_in_week_53_of_the_2026_week_year() {
    assertThat(keys("2027-01-01"))
        .containsExactly("week:2026-W53", "month:2027-01", "quarter:2027-Q1", "year:2027", "all");
  }

  @Test
  void week_1_of_2026_starts_in_december_2025() {
    assertThat(keys("2025-12-29"))
        .containsExactly("week:2026-W01", "month:2025-12", "quarter:2025-Q4", "year:2025", "all");
    assertThat(keys("2025-12-28")).first().isEqualTo("week:2025-W52");
  }

  @Test
  void quarter_and_month_ends_fall_in_their_own_period() {
    assertThat(keys("2026-03-31")).containsSubsequence("month:2026-03", "quarter:2026-Q1");
    assertThat(keys("2026-04-01")).containsSubsequence("month:2026-04", "quarter:2026-Q2");
    assertThat(keys("2026-06-30")).contains("quarter:2026-Q2");
    assertThat(keys("2026-02-28")).contains("month:2026-02");
    assertThat(keys("2028-02-29")).contains("month:2028-02", "quarter:2028-Q1");
  }

  @Test
  void parsed_periods_know_their_days() {
    Period week = Period.parse("week:2026-W53").orElseThrow();
    assertThat(week.firstDay()).isEqualTo(LocalDate.parse("2026-12-28"));
    assertThat(week.lastDay()).isEqualTo(LocalDate.parse("2027-01-03"));
    assertThat(week.days()).hasSize(7);
    assertThat(Period.parse("month:2028-02").orElseThrow().days()).hasSize(29);
    assertThat(Period.parse("quarter:2026-Q4").orElseThrow().lastDay())
        .isEqualTo(LocalDate.parse("2026-12-31"));
    assertThat(Period.parse("year:2026").orElseThrow().days()).hasSize(365);
    assertThat(Period.parse("all")).contains(Period.ALL);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "week:2025-W53",
        "week:2026-W54",
        "week:2026-W00",
        "week:2026-W1",
        "month:2026-13",
        "month:2026-00",
        "quarter:2026-Q5",
        "year:26",
        "all ",
        "ALL",
        "day:2026-01-01",
        "week:2026-w01",
        ""
      })
  void anything_else_is_refused(String text) {
    assertThat(Period.parse(text)).isEmpty();
  }

  @Test
  void periods_parse_back_to_themselves() {
    for (String key :
        List.of(
            "week:2026-W01",
            "week:2026-W53",
            "week:2020-W53",
            "month:2026-11",
            "quarter:2026-Q4",
            "year:2026")) {
      assertThat(Period.parse(key).map(Period::key)).contains(key);
    }
  }
}
