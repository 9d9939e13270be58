package org.civicpoints.devnet;

import java.time.Duration;
import java.util.function.BooleanSupplier;

final class TestWaits {

  private TestWaits() {}

  static void until(BooleanSupplier condition, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within " + timeout);
      }
      Thread.sleep(10);
    }
  }
}
