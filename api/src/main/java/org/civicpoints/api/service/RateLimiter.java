package org.civicpoints.api.service;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.civicpoints.api.domain.RateLimitedException;

/**
 * Token buckets per key (a client IP, a phone number, a member at an activity), in memory: enough
 * for one API instance. A bucket holds {@code attempts} and refills continuously over {@code
 * window}.
 */
public final class RateLimiter {

  /** Beyond this many tracked keys, full buckets are forgotten so memory stays bounded. */
  private static final int PRUNE_ABOVE = 10_000;

  private final double capacity;
  private final double refillPerMilli;
  private final Clock clock;
  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

  public RateLimiter(int perMinute, Clock clock) {
    this(perMinute, Duration.ofMinutes(1), clock);
  }

  public RateLimiter(int attempts, Duration window, Clock clock) {
    this.capacity = attempts;
    this.refillPerMilli = attempts / (double) window.toMillis();
    this.clock = clock;
  }

  private record Bucket(double tokens, long updatedAtMillis) {}

  /** Takes one attempt for {@code key}, or throws RateLimitedException saying when to retry. */
  public void acquire(String key) {
    long now = clock.millis();
    Bucket bucket = buckets.compute(key, (k, old) -> take(old, now));
    if (bucket.tokens() < 0) {
      double missing = -bucket.tokens();
      throw new RateLimitedException(Duration.ofMillis((long) Math.ceil(missing / refillPerMilli)));
    }
    if (buckets.size() > PRUNE_ABOVE) {
      buckets.values().removeIf(b -> refilled(b, now) >= capacity);
    }
  }

  /**
   * Throws RateLimitedException while {@code key} has no attempt left, without taking one: for
   * requests that only failures count against, but that must wait like them once the limit is hit.
   */
  public void requireAvailable(String key) {
    Bucket bucket = buckets.get(key);
    if (bucket == null) {
      return;
    }
    double available = refilled(bucket, clock.millis());
    if (available < 1) {
      throw new RateLimitedException(
          Duration.ofMillis((long) Math.ceil((1 - available) / refillPerMilli)));
    }
  }

  private Bucket take(Bucket old, long now) {
    double available = old == null ? capacity : refilled(old, now);
    // Below zero means refused: -tokens is what is missing for one attempt. refilled() clamps it
    // back to zero, so refused attempts do not push the next allowed one further away.
    return new Bucket(available - 1, now);
  }

  private double refilled(Bucket bucket, long now) {
    double tokens = Math.max(bucket.tokens(), 0);
    return Math.min(capacity, tokens + (now - bucket.updatedAtMillis()) * refillPerMilli);
  }
}
