package org.civicpoints.api.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Waits for observable state instead of sleeping: the one polling loop of the tests. */
public final class Eventually {

  private static final Duration POLL = Duration.ofMillis(50);

  private Eventually() {}

  /** Polls every 50 ms until the condition holds, failing with {@code what} after the timeout. */
  public static void until(String what, Duration timeout, BooleanSupplier condition) {
    until(what, timeout, POLL, condition);
  }

  /** Polls every {@code poll} (for conditions that are costly to ask) until the condition holds. */
  public static void until(
      String what, Duration timeout, Duration poll, BooleanSupplier condition) {
    Instant deadline = Instant.now().plus(timeout);
    while (!condition.getAsBoolean()) {
      assertThat(Instant.now()).as("waiting for %s", what).isBefore(deadline);
      LockSupport.parkNanos(poll.toNanos());
      if (Thread.interrupted()) {
        throw new IllegalStateException("interrupted while waiting for " + what);
      }
    }
  }
}
