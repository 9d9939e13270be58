package org.civicpoints.api.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import org.civicpoints.api.domain.RateLimitedException;
import org.junit.jupiter.api.Test;

class RateLimiterTest {

  private static final class MovableClock extends Clock {
    private Instant now = Instant.parse("2026-11-26T12:00:00Z");

    void advance(Duration duration) {
      now = now.plus(duration);
    }

    @Override
    public ZoneId getZone() {
      return ZoneId.of("UTC");
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  private final MovableClock clock = new MovableClock();
  private final RateLimiter limiter = new RateLimiter(6, clock);

  @Test
  void a_full_bucket_allows_its_capacity_then_says_when_to_retry() {
    for (int i = 0; i < 6; i++) {
      limiter.acquire("ip:10.0.0.1");
    }
    assertThatThrownBy(() -> limiter.acquire("ip:10.0.0.1"))
        .isInstanceOfSatisfying(
            RateLimitedException.class, e -> assertThat(e.retryAfterSeconds()).isEqualTo(10));
  }

  @Test
  void keys_have_separate_buckets() {
    for (int i = 0; i < 6; i++) {
      limiter.acquire("phone:+8613800000001");
    }
    limiter.acquire("phone:+8613800000002");
  }

  @Test
  void the_bucket_refills_with_time_and_refusals_do_not_push_it_back() {
    for (int i = 0; i < 6; i++) {
      limiter.acquire("k");
    }
    for (int i = 0; i < 5; i++) {
      assertThatThrownBy(() -> limiter.acquire("k")).isInstanceOf(RateLimitedException.class);
    }
    clock.advance(Duration.ofSeconds(10));
    limiter.acquire("k");
    assertThatThrownBy(() -> limiter.acquire("k")).isInstanceOf(RateLimitedException.class);
  }

  @Test
  void a_window_longer_than_a_minute_refills_over_that_window() {
    RateLimiter wrongCodes = new RateLimiter(5, Duration.ofMinutes(10), clock);
    for (int i = 0; i < 5; i++) {
      wrongCodes.acquire("act/m");
    }
    assertThatThrownBy(() -> wrongCodes.acquire("act/m"))
        .isInstanceOfSatisfying(
            RateLimitedException.class, e -> assertThat(e.retryAfterSeconds()).isEqualTo(120));
    clock.advance(Duration.ofMinutes(2));
    wrongCodes.acquire("act/m");
  }

  @Test
  void require_available_waits_like_acquire_but_takes_nothing() {
    limiter.requireAvailable("fresh");
    for (int i = 0; i < 6; i++) {
      limiter.requireAvailable("k");
      limiter.acquire("k");
    }
    assertThatThrownBy(() -> limiter.requireAvailable("k"))
        .isInstanceOfSatisfying(
            RateLimitedException.class, e -> assertThat(e.retryAfterSeconds()).isEqualTo(10));
    clock.advance(Duration.ofSeconds(10));
    limiter.requireAvailable("k");
    limiter.requireAvailable("k");
    limiter.acquire("k");
    assertThatThrownBy(() -> limiter.requireAvailable("k"))
        .isInstanceOf(RateLimitedException.class);
  }
}
