package org.civicpoints.api.support;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The system clock plus an offset a test moves forward: a day passes without waiting a day. Its
 * views in other zones ({@link #withZone}, as the server takes it) share the offset, so moving the
 * test's clock moves the server's.
 */
public final class MovableClock extends Clock {

  private final AtomicReference<Duration> offset;
  private final ZoneId zone;

  public MovableClock() {
    this(new AtomicReference<>(Duration.ZERO), ZoneId.of("UTC"));
  }

  private MovableClock(AtomicReference<Duration> offset, ZoneId zone) {
    this.offset = offset;
    this.zone = zone;
  }

  public void advance(Duration duration) {
    offset.updateAndGet(current -> current.plus(duration));
  }

  @Override
  public ZoneId getZone() {
    return zone;
  }

  @Override
  public Clock withZone(ZoneId other) {
    return new MovableClock(offset, other);
  }

  @Override
  public Instant instant() {
    return Instant.now().plus(offset.get());
  }
}
