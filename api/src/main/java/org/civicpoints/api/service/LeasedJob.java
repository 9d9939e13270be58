package org.civicpoints.api.service;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Function;
import org.civicpoints.api.port.ProjectorCheckpoints;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Periodic work that one instance of the deployment does at a time: each round first holds a lease
 * in MongoDB, like the projectors' (a crashed holder's lease lapses after {@link #LEASE}), and a
 * round never overlaps the one before. A failed round is logged and the next one goes on, so each
 * round's work must be idempotent.
 */
public final class LeasedJob {

  static final Duration LEASE = Duration.ofSeconds(30);
  private static final Logger LOG = LoggerFactory.getLogger(LeasedJob.class);

  /** What the jobs of one instance share: its event loop, the leases and its owner id. */
  public record Runner(Vertx vertx, ProjectorCheckpoints leases, String owner, Clock clock) {

    /** A job named {@code name} whose round is given the time it starts. */
    public LeasedJob every(Duration period, String name, Function<Instant, Future<Void>> round) {
      return new LeasedJob(this, period, name, round);
    }
  }

  private final Runner runner;
  private final long periodMillis;
  private final String name;
  private final Function<Instant, Future<Void>> round;
  private long timerId = -1;
  private boolean running;

  private LeasedJob(
      Runner runner, Duration period, String name, Function<Instant, Future<Void>> round) {
    this.runner = runner;
    this.periodMillis = period.toMillis();
    this.name = name;
    this.round = round;
  }

  public void start() {
    timerId = runner.vertx().setPeriodic(periodMillis, id -> runOnce());
  }

  /** Gives the lease up at once (a job never started holds none). */
  public Future<Void> stop() {
    if (timerId == -1) {
      return Future.succeededFuture();
    }
    runner.vertx().cancelTimer(timerId);
    return runner.leases().releaseLease(name, runner.owner());
  }

  private void runOnce() {
    if (running) {
      return;
    }
    running = true;
    Instant now = runner.clock().instant();
    runner
        .leases()
        .holdLease(name, runner.owner(), now, now.plus(LEASE))
        .compose(held -> held ? round.apply(now) : Future.succeededFuture())
        .onComplete(
            done -> {
              running = false;
              if (done.failed()) {
                LOG.warn("A round of {} failed; the next round goes on", name, done.cause());
              }
            });
  }
}
