package org.civicpoints.api.service;

import io.vertx.core.Future;
import java.time.Duration;

/**
 * Cancels and refunds redemptions not picked up by their deadline, as a leased job (one instance of
 * the deployment at a time); each redemption is one compare-and-set and its refund goes through the
 * outbox, so a restart mid-run repeats nothing and loses nothing.
 */
public final class RedemptionExpiry {

  static final String JOB = "redemption-expiry";
  private static final int BATCH = 100;

  private final RedemptionService redemptions;
  private final LeasedJob job;

  public RedemptionExpiry(RedemptionService redemptions, LeasedJob.Runner jobs, Duration period) {
    this.redemptions = redemptions;
    this.job = jobs.every(period, JOB, now -> drain());
  }

  public void start() {
    job.start();
  }

  public Future<Void> stop() {
    return job.stop();
  }

  /** Batches until none is overdue. */
  private Future<Void> drain() {
    return redemptions
        .cancelOverdue(BATCH)
        .compose(cancelled -> cancelled == BATCH ? drain() : Future.succeededFuture());
  }
}
