package org.civicpoints.api.support;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock that stands still at the instant a test sets. Its views in other zones ({@link
 * #withZone}, as the server takes it) share that instant, so moving the test's clock moves the
 * server's.
 */
public final class SettableClock extends Clock {

  private final AtomicReference<Instant> now;
  private final ZoneId zone;

  public SettableClock(Instant start) {
    this(new AtomicReference<>(start), ZoneOffset.UTC);
  }

  private SettableClock(AtomicReference<Instant> now, ZoneId zone) {
    this.now = now;
    this.zone = zone;
  }

  public void set(Instant instant) {
    now.set(instant);
  }

  @Override
  public Instant instant() {
    return now.get();
  }

  @Override
  public ZoneId getZone() {
    return zone;
  }

  @Override
  public Clock withZone(ZoneId other) {
    return new SettableClock(now, other);
  }
}
