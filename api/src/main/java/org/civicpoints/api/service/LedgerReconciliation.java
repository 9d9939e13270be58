package org.civicpoints.api.service;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.micrometer.backends.BackendRegistries;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.atomic.AtomicLong;
import org.civicpoints.api.domain.Reconciliation;
import org.civicpoints.api.port.Ledger;
import org.civicpoints.api.port.Reconciliations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs reconciliations one at a time: the queued ones (asked for by admins) and one a night, queued
 * by the first round between 03:00 and 04:00 of the server's day (a night the server is down
 * through that hour has no run). One instance of the deployment runs them, a {@link LeasedJob}
 * whose lease is renewed after each page of accounts; a run whose holder crashed is started again
 * from the beginning by the next holder. The mismatches of the last finished run are the gauge
 * {@code civic_ledger_reconciliation_mismatches}.
 */
public final class LedgerReconciliation {

  static final String JOB = "ledger-reconciliation";
  static final String GAUGE = "civic.ledger.reconciliation.mismatches";
  private static final Duration LEASE = Duration.ofSeconds(60);
  private static final LocalTime NIGHTLY = LocalTime.of(3, 0);
  private static final DateTimeFormatter NIGHT = DateTimeFormatter.BASIC_ISO_DATE;
  private static final Logger LOG = LoggerFactory.getLogger(LedgerReconciliation.class);

  private final Ledger ledger;
  private final Reconciliations runs;
  private final StandingsProjection boards;
  private final Clock clock;
  private final LeasedJob job;
  private final AtomicLong lastMismatches = new AtomicLong();
  private Gauge gauge;

  public LedgerReconciliation(
      LeasedJob.Runner jobs,
      Ledger ledger,
      Reconciliations runs,
      StandingsProjection boards,
      Duration period) {
    this.ledger = ledger;
    this.runs = runs;
    this.boards = boards;
    this.clock = jobs.clock();
    this.job = jobs.every(period, JOB, LEASE, now -> queueTonight().compose(v -> drain()));
  }

  public void start() {
    MeterRegistry registry = BackendRegistries.getDefaultNow();
    if (registry != null) {
      gauge =
          Gauge.builder(GAUGE, lastMismatches, AtomicLong::get)
              .description("Mismatches the last finished ledger reconciliation found")
              .register(registry);
    }
    runs.lastDone()
        .onSuccess(last -> last.ifPresent(run -> lastMismatches.set(run.mismatchCount())));
    job.start();
  }

  public Future<Void> stop() {
    MeterRegistry registry = BackendRegistries.getDefaultNow();
    if (gauge != null && registry != null) {
      registry.remove(gauge);
    }
    return job.stop();
  }

  /** A run was queued: start a round now rather than at the next tick. */
  void wake() {
    job.runNow();
  }

  private Future<Void> queueTonight() {
    LocalDateTime now = LocalDateTime.now(clock);
    if (now.getHour() != NIGHTLY.getHour()) {
      return Future.succeededFuture();
    }
    Reconciliation tonight =
        Reconciliation.queued(
            "rc_nightly_" + NIGHT.format(now.toLocalDate()),
            Reconciliation.Trigger.NIGHTLY,
            null,
            clock.instant());
    return runs.queue(tonight).mapEmpty();
  }

  private Future<Void> drain() {
    return runs.claimNext(clock.instant())
        .compose(
            next ->
                next.isEmpty()
                    ? Future.succeededFuture()
                    : execute(next.get()).compose(v -> drain()));
  }

  private Future<Void> execute(Reconciliation run) {
    ReconciliationRun comparison = new ReconciliationRun(run, ledger, runs, boards, job::keepLease);
    long started = System.nanoTime();
    return comparison
        .execute()
        .compose(
            found -> {
              lastMismatches.set(found);
              LOG.info(
                  "Ledger reconciliation {} found {} mismatches in {} ms",
                  run.reconciliationId(),
                  found,
                  Duration.ofNanos(System.nanoTime() - started).toMillis());
              return runs.finish(
                  run.reconciliationId(),
                  Reconciliation.State.DONE,
                  comparison.boardsChecked(),
                  clock.instant());
            })
        .recover(
            failure ->
                failure instanceof LeasedJob.LeaseLost
                    ? Future.failedFuture(failure)
                    : runs.finish(
                            run.reconciliationId(),
                            Reconciliation.State.FAILED,
                            comparison.boardsChecked(),
                            clock.instant())
                        .compose(v -> Future.failedFuture(failure)));
  }
}
