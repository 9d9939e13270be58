package org.civicpoints.api.domain;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

/**
 * The one place where an instant becomes a day. Every calendar day in the system (a claim's {@code
 * occurredOn} and the daily cap the chain counts it in, leaderboard periods, trend days) is a date
 * in the zone of the server's clock, CIVIC_TIME_ZONE (Asia/Shanghai by default): a resident in
 * Beijing claims "today" at 00:30 local time, not "yesterday" in UTC.
 */
public record CivicCalendar(Clock clock) {

  public ZoneId zone() {
    return clock.getZone();
  }

  public LocalDate today() {
    return LocalDate.now(clock);
  }

  public LocalDate dayOf(Instant instant) {
    return LocalDate.ofInstant(instant, clock.getZone());
  }
}
