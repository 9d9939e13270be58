package org.civicpoints.api.domain;

import java.time.Duration;
import java.util.Map;

public final class RateLimitedException extends DomainException {

  private final Duration retryAfter;

  public RateLimitedException(Duration retryAfter) {
    super(ErrorCode.RATE_LIMITED, "tryAgainIn", Map.of("seconds", seconds(retryAfter)));
    this.retryAfter = retryAfter;
  }

  public long retryAfterSeconds() {
    return seconds(retryAfter);
  }

  private static long seconds(Duration duration) {
    return Math.max(1, (duration.toMillis() + 999) / 1000);
  }
}
