package org.civicpoints.api.domain;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;

/**
 * Something residents take part in to earn points under a rule. {@code checkInSecret} (base64)
 * derives the rotating check-in code and never leaves the API. {@code claimsPerDay} is how many
 * submissions a member may have for it on one day (rejected ones do not count).
 */
public record Activity(
    String activityId,
    String communityId,
    Category type,
    String title,
    String ruleId,
    Instant startsAt,
    Instant endsAt,
    Integer capacity,
    GeoFence location,
    CheckInMode checkIn,
    int claimsPerDay,
    Status status,
    int enrolled,
    String checkInSecret,
    String createdBy,
    Instant createdAt,
    Instant updatedAt,
    Details details) {

  public static final int DEFAULT_CLAIMS_PER_DAY = 1;

  /** Check-in opens this long before the start and closes this long after the end. */
  public static final Duration CHECK_IN_MARGIN = Duration.ofMinutes(30);

  private static final long SECONDS_PER_HOUR = 3600;

  public enum CheckInMode {
    NONE,
    CODE
  }

  public enum Status {
    OPEN,
    CANCELLED
  }

  /**
   * What residents read to find the activity: free text, where to go, a cover photo (the id of an
   * evidence upload by staff, readable by whoever sees the activity) and a few tags.
   */
  public record Details(String description, String address, String coverImage, List<String> tags) {

    public static final Details NONE = new Details(null, null, null, List.of());
    public static final int MAX_TAGS = 10;

    public Details {
      tags = List.copyOf(tags);
    }
  }

  /** Seats still free; null for an activity without a capacity. */
  public Integer seatsLeft() {
    return capacity == null ? null : Math.max(0, capacity - enrolled);
  }

  public boolean isOpen() {
    return status == Status.OPEN;
  }

  /**
   * The most units (hours) a claim for {@code day} may ask: the hours the activity runs on that day
   * in {@code zone}, rounded up, at least 1.
   */
  public int maxUnitsOn(LocalDate day, ZoneId zone) {
    Instant dayStart = day.atStartOfDay(zone).toInstant();
    Instant dayEnd = day.plusDays(1).atStartOfDay(zone).toInstant();
    Instant from = startsAt.isAfter(dayStart) ? startsAt : dayStart;
    Instant to = endsAt.isBefore(dayEnd) ? endsAt : dayEnd;
    long seconds = Math.max(0, Duration.between(from, to).getSeconds());
    return (int) Math.max(1, (seconds + SECONDS_PER_HOUR - 1) / SECONDS_PER_HOUR);
  }

  /** Whether members may check in (or out) at {@code now}. */
  public boolean checkInOpenAt(Instant now) {
    return !now.isBefore(startsAt.minus(CHECK_IN_MARGIN))
        && !now.isAfter(endsAt.plus(CHECK_IN_MARGIN));
  }
}
