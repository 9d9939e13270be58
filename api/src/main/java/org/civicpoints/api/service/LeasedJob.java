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
 * round's work must be idempotent. A long round keeps its lease with {@link #keepLease()}.
 */
public final class LeasedJob {

  static final Duration LEASE = Duration.ofSeconds(30);
  private static final Logger LOG = LoggerFactory.getLogger(LeasedJob.class);

  /** What the jobs of one instance share: its event loop, the leases and its owner id. */
  public record Runner(Vertx vertx, ProjectorCheckpoints leases, String owner, Clock clock) {

    /** A job named {@code name} whose round is given the time it starts. */
    public LeasedJob every(Duration period, String name, Function<Instant, Future<Void>> round) {
      return every(period, name, LEASE, round);
    }

    /** A job whose lease lasts {@code lease} from each round's start or {@link #keepLease()}. */
    public LeasedJob every(
        Duration period, String name, Duration lease, Function<Instant, Future<Void>> round) {
      return new LeasedJob(this, period, name, lease, round);
    }
  }

  private final Runner runner;
  private final long periodMillis;
  private final String name;
  private final Duration lease;
  private final Function<Instant, Future<Void>> round;
  private long timerId = -1;
  private boolean running;

  private LeasedJob(
      Runner runner,
      Duration period,
      String name,
      Duration lease,
      Function<Instant, Future<Void>> round) {
    this.runner = runner;
    this.periodMillis = period.toMillis();
    this.name = name;
    this.lease = lease;
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

  /** A round now rather than at the next tick (none if one is going on). */
  public void runNow() {
    runner.vertx().runOnContext(v -> runOnce());
  }

  /**
   * The lease renewed during a long round; fails with {@link LeaseLost} if another instance holds
   * it now, so the round stops (the new holder does the work again).
   */
  public Future<Void> keepLease() {
    return holdLease(runner.clock().instant())
        .compose(
            held -> held ? Future.succeededFuture() : Future.failedFuture(new LeaseLost(name)));
  }

  /** Another instance took the lease during a round. */
  public static final class LeaseLost extends RuntimeException {
    LeaseLost(String name) {
      super("another instance took the lease of " + name + " during a round", null, false, false);
    }
  }

  private Future<Boolean> holdLease(Instant now) {
    return runner.leases().holdLease(name, runner.owner(), now, now.plus(lease));
  }

  private void runOnce() {
    if (running) {
      return;
    }
    running = true;
    Instant now = runner.clock().instant();
    holdLease(now)
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
