package org.civicpoints.api.service;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.civicpoints.api.port.ProjectorCheckpoints;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cancels and refunds redemptions not picked up by their deadline, and gives back what requests
 * that died midway still hold (stock, limit slots). One instance of the deployment runs it at a
 * time, holding a lease in MongoDB like the projectors (a crashed holder's lease lapses); each
 * redemption is one compare-and-set and its refund goes through the outbox, so a restart mid-run
 * repeats nothing and loses nothing.
 */
public final class RedemptionExpiry {

  static final String JOB = "redemption-expiry";
  private static final Duration LEASE = Duration.ofSeconds(30);
  private static final int BATCH = 100;
  private static final Logger LOG = LoggerFactory.getLogger(RedemptionExpiry.class);

  private final Vertx vertx;
  private final RedemptionService redemptions;
  private final ProjectorCheckpoints leases;
  private final String owner;
  private final Clock clock;
  private final long periodMillis;
  private long timerId = -1;
  private boolean running;

  public RedemptionExpiry(
      Vertx vertx,
      RedemptionService redemptions,
      ProjectorCheckpoints leases,
      String owner,
      Clock clock,
      Duration period) {
    this.vertx = vertx;
    this.redemptions = redemptions;
    this.leases = leases;
    this.owner = owner;
    this.clock = clock;
    this.periodMillis = period.toMillis();
  }

  public void start() {
    timerId = vertx.setPeriodic(periodMillis, id -> runOnce());
  }

  public Future<Void> stop() {
    vertx.cancelTimer(timerId);
    return leases.releaseLease(JOB, owner);
  }

  /** A round: under the lease, batches until none is overdue. */
  void runOnce() {
    if (running) {
      return;
    }
    running = true;
    Instant now = clock.instant();
    leases
        .holdLease(JOB, owner, now, now.plus(LEASE))
        .compose(held -> held ? drain() : Future.succeededFuture())
        .onComplete(
            done -> {
              running = false;
              if (done.failed()) {
                LOG.warn("Redemption expiry round failed; the next round goes on", done.cause());
              }
            });
  }

  private Future<Void> drain() {
    return redemptions
        .cancelOverdue(BATCH)
        .compose(cancelled -> cancelled == BATCH ? drain() : repair());
  }

  /** What a crashed request or release left held (see RedemptionService#repairInterrupted). */
  private Future<Void> repair() {
    return redemptions
        .repairInterrupted(BATCH)
        .compose(repaired -> repaired == BATCH ? repair() : Future.succeededFuture());
  }
}
