package org.civicpoints.api.support;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;

/** The system clock plus an offset a test moves forward: a day passes without waiting a day. */
public final class MovableClock extends Clock {

  private final ZoneId zone;
  private volatile Duration offset = Duration.ZERO;

  public MovableClock() {
    this(ZoneId.of("UTC"));
  }

  private MovableClock(ZoneId zone) {
    this.zone = zone;
  }

  public void advance(Duration duration) {
    offset = offset.plus(duration);
  }

  @Override
  public ZoneId getZone() {
    return zone;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    MovableClock moved = new MovableClock(zone);
    moved.offset = offset;
    return moved;
  }

  @Override
  public Instant instant() {
    return Instant.now().plus(offset);
  }
}
