package org.civicpoints.api.service;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import org.civicpoints.api.port.RefreshTokens;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes expired refresh tokens and sign-ins every hour. MongoDB's TTL indexes do the same on
 * their own; the embedded store accepts those indexes but never expires anything, so this job is
 * what keeps it small. Every instance runs it without a lease: the delete is idempotent (what
 * another instance deleted first is simply not found again), so two sweeps at once are harmless.
 */
public final class RefreshTokenSweeper {

  private static final Logger LOG = LoggerFactory.getLogger(RefreshTokenSweeper.class);
  static final Duration EVERY = Duration.ofHours(1);
  private static final Duration FIRST_AFTER = Duration.ofMinutes(1);

  private final Vertx vertx;
  private final RefreshTokens refreshTokens;
  private final Clock clock;
  private long timer = -1;

  public RefreshTokenSweeper(Vertx vertx, RefreshTokens refreshTokens, Clock clock) {
    this.vertx = vertx;
    this.refreshTokens = refreshTokens;
    this.clock = clock;
  }

  public void start() {
    timer = vertx.setPeriodic(FIRST_AFTER.toMillis(), EVERY.toMillis(), id -> sweep());
  }

  /** Deletes what expired before now; answers how many documents went. */
  public Future<Long> sweep() {
    return refreshTokens
        .deleteExpired(clock.instant())
        .onSuccess(deleted -> LOG.info("Swept {} expired refresh tokens and sign-ins", deleted))
        .onFailure(
            failure -> LOG.warn("The refresh-token sweep failed; the next one retries", failure));
  }

  public void stop() {
    vertx.cancelTimer(timer);
  }
}
