package org.civicpoints.api.service;

import java.time.Clock;
import java.time.Duration;

/**
 * Wrong check-in codes, limited so that a six-digit code cannot be guessed: per member at an
 * activity (5 per 10 minutes) and per activity from everyone (200 per minute). Only wrong codes
 * count, but once a limit is reached every attempt waits, a right code too.
 */
public final class CheckInLimits {

  static final int PER_MEMBER = 5;
  static final Duration PER_MEMBER_WINDOW = Duration.ofMinutes(10);
  static final int PER_ACTIVITY = 200;
  static final Duration PER_ACTIVITY_WINDOW = Duration.ofMinutes(1);

  private final RateLimiter perMember;
  private final RateLimiter perActivity;

  public CheckInLimits(Clock clock) {
    this.perMember = new RateLimiter(PER_MEMBER, PER_MEMBER_WINDOW, clock);
    this.perActivity = new RateLimiter(PER_ACTIVITY, PER_ACTIVITY_WINDOW, clock);
  }

  /** Throws RateLimitedException while either limit is reached. */
  public void requireAttemptLeft(String activityId, String memberId) {
    perMember.requireAvailable(memberKey(activityId, memberId));
    perActivity.requireAvailable(activityId);
  }

  /** Counts a wrong code; throws RateLimitedException when it went over a limit. */
  public void wrongCode(String activityId, String memberId) {
    perActivity.acquire(activityId);
    perMember.acquire(memberKey(activityId, memberId));
  }

  private static String memberKey(String activityId, String memberId) {
    return activityId + "/" + memberId;
  }
}
