package org.civicpoints.api.service;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.civicpoints.api.domain.CivicCalendar;
import org.civicpoints.api.domain.ExpiryPolicy;
import org.civicpoints.api.domain.NotificationKind;
import org.civicpoints.api.port.ExpiryRuns;
import org.civicpoints.api.port.Ledger;
import org.civicpoints.api.port.Notifier;
import org.civicpoints.api.port.Notifier.Notice;
import org.civicpoints.api.port.PointsReadModel;
import org.civicpoints.api.port.PointsReadModel.Lot;

/**
 * Expires points by the configured policy. After each year's end it queues an Expire for every lot
 * of an expired earning year with points left, in batches, through the outbox (the relay sends
 * them); before it, it tells each member whose lot expires next, 30 and 7 days ahead. One instance
 * of the deployment runs it, under a lease like the projectors'. Every item is idempotent: the
 * Expire's id is deterministic ({@code expiry-<memberId>-<year>}, queued once, and the chain
 * expires a lot once), and so is each notice's, so a restart or rerun repeats and loses nothing.
 */
public final class PointsExpiry {

  static final String JOB = "points-expiry";
  static final int BATCH = 100;

  /** The chaincode's first earning year. */
  private static final int FIRST_YEAR = 2000;

  private static final List<Integer> NOTICE_DAYS = List.of(30, 7);

  private final ExpiryPolicy policy;
  private final PointsReadModel lots;
  private final ExpiryRuns runs;
  private final Notifier notifier;
  private final Clock clock;
  private final LeasedJob job;

  /** The day on which a pass found no lot left to expire: nothing to do until the next day. */
  private LocalDate expiredAllOn;

  public PointsExpiry(
      ExpiryPolicy policy,
      PointsReadModel lots,
      ExpiryRuns runs,
      Notifier notifier,
      LeasedJob.Runner jobs,
      Duration period) {
    this.policy = policy;
    this.lots = lots;
    this.runs = runs;
    this.notifier = notifier;
    this.clock = jobs.clock();
    this.job = jobs.every(period, JOB, now -> round(new CivicCalendar(clock).today()));
  }

  /** Nothing runs under the policy NONE. */
  public void start() {
    if (policy.expires()) {
      job.start();
    }
  }

  public Future<Void> stop() {
    return job.stop();
  }

  /**
   * What the ledger status shows: the policy, Expire commands not on the chain yet, the last run,
   * and (when points expire) the earning year expiring next with its last day.
   */
  public record State(
      ExpiryPolicy policy,
      long pending,
      Optional<ExpiryRuns.Run> lastRun,
      OptionalInt nextYear,
      Optional<LocalDate> nextLastDay) {}

  public Future<State> state() {
    int next = policy.nextExpiringYear(new CivicCalendar(clock).today());
    return Future.all(runs.pending(), runs.lastRun())
        .map(
            both ->
                new State(
                    policy,
                    both.<Long>resultAt(0),
                    both.resultAt(1),
                    policy.expires() ? OptionalInt.of(next) : OptionalInt.empty(),
                    policy.expires() ? Optional.of(policy.lastDayOf(next)) : Optional.empty()));
  }

  /** A round: the expiries due, then the notices due. */
  private Future<Void> round(LocalDate today) {
    return expire(today).compose(v -> notices(today));
  }

  /**
   * A pass over every open lot of the expired years. Lots whose Expire is queued stay open until
   * the projector closes them from the chain's event, so passes go on (queueing nothing new) until
   * one finds none.
   */
  private Future<Void> expire(LocalDate today) {
    int through = policy.lastExpiredYear(today);
    if (through < FIRST_YEAR || today.equals(expiredAllOn)) {
      return Future.succeededFuture();
    }
    return queueFrom(through, null, 0)
        .compose(
            found -> {
              if (found == 0) {
                expiredAllOn = today;
              }
              return runs.saveRun(new ExpiryRuns.Run(clock.instant(), through, found));
            });
  }

  private Future<Long> queueFrom(int through, String afterLotId, long found) {
    return lots.openLots(FIRST_YEAR, through, afterLotId, BATCH)
        .compose(
            batch ->
                batch.isEmpty()
                    ? Future.succeededFuture(found)
                    : runs.queue(batch.stream().map(PointsExpiry::expiry).toList(), clock.instant())
                        .compose(
                            v ->
                                batch.size() < BATCH
                                    ? Future.succeededFuture(found + batch.size())
                                    : queueFrom(
                                        through,
                                        batch.get(batch.size() - 1).id(),
                                        found + batch.size())));
  }

  /** The id the chaincode documents for an Expire, so a second one for the lot is DUPLICATE. */
  static Ledger.Expiry expiry(Lot lot) {
    return new Ledger.Expiry(
        "expiry-" + lot.memberId() + "-" + lot.year(),
        lot.memberId(),
        lot.year(),
        RedemptionService.SYSTEM);
  }

  /**
   * The round of notices due today for the lot expiring next: the 30-day one while more than 7 days
   * are left, then the 7-day one; each round once (kept in MongoDB), each notice once.
   */
  private Future<Void> notices(LocalDate today) {
    int year = policy.nextExpiringYear(today);
    if (year < FIRST_YEAR) {
      return Future.succeededFuture();
    }
    LocalDate lastDay = policy.lastDayOf(year);
    long daysLeft = ChronoUnit.DAYS.between(today, lastDay);
    return NOTICE_DAYS.stream()
        .filter(days -> daysLeft <= days && (days == 7 || daysLeft > 7))
        .findFirst()
        .map(days -> noticeRound(year, lastDay, days))
        .orElse(Future.succeededFuture());
  }

  private Future<Void> noticeRound(int year, LocalDate lastDay, int days) {
    String round = year + "-" + days;
    return runs.noticesSent(round)
        .compose(
            sent ->
                sent
                    ? Future.succeededFuture()
                    : noticesFrom(year, lastDay, days, null)
                        .compose(v -> runs.markNoticesSent(round, clock.instant())));
  }

  private Future<Void> noticesFrom(int year, LocalDate lastDay, int days, String afterLotId) {
    return lots.openLots(year, year, afterLotId, BATCH)
        .compose(
            batch ->
                notifier
                    .notifyOnce(batch.stream().map(lot -> notice(lot, lastDay, days)).toList())
                    .compose(
                        v ->
                            batch.size() < BATCH
                                ? Future.succeededFuture()
                                : noticesFrom(
                                    year, lastDay, days, batch.get(batch.size() - 1).id())));
  }

  private static Notice notice(Lot lot, LocalDate lastDay, int days) {
    return new Notice(
        "points-expiring:" + lot.id() + ":" + days,
        lot.memberId(),
        NotificationKind.POINTS_EXPIRING,
        new JsonObject()
            .put("year", lot.year())
            .put("points", lot.points())
            .put("expiresOn", lastDay.toString())
            .put("days", days));
  }
}
