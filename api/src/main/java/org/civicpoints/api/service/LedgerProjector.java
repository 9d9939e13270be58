package org.civicpoints.api.service;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.civicpoints.api.domain.ChainPosition;
import org.civicpoints.api.domain.MovedEntry;
import org.civicpoints.api.domain.NotificationKind;
import org.civicpoints.api.port.Ledger;
import org.civicpoints.api.port.Ledger.ChainEvent;
import org.civicpoints.api.port.Notifier;
import org.civicpoints.api.port.PointsProjection;
import org.civicpoints.api.port.PointsReadModel;
import org.civicpoints.api.port.PointsReadModel.Awaiting;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the chaincode events from the checkpoint in MongoDB, strictly in chain order, and
 * updates every read model: first each {@link PointsProjection} it was given, then its own
 * (entries, balances, submissions, notifications, rules), then the checkpoint. It resumes at the
 * start of the checkpointed block and skips what the checkpoint covers; every write is idempotent
 * by chain position or state, so a crash between them repeats work and changes nothing. One
 * projector runs per deployment: it holds a lease in MongoDB and stops when it loses it.
 */
public final class LedgerProjector {

  static final String POINTS_MOVED = "PointsMoved";
  static final String RULE_CHANGED = "RuleChanged";
  private static final Duration LEASE = Duration.ofSeconds(15);
  private static final long RENEW_MILLIS = 5_000;
  private static final long RESTART_MILLIS = 1_000;
  private static final Logger LOG = LoggerFactory.getLogger(LedgerProjector.class);

  private final Vertx vertx;
  private final Ledger ledger;
  private final PointsReadModel readModel;
  private final List<PointsProjection> projections;
  private final Notifier notifier;
  private final String owner;
  private final Clock clock;
  private Ledger.Following following;
  private ChainPosition checkpoint = ChainPosition.NONE;
  private long leaseTimer = -1;
  private boolean stopped;
  private volatile String lastError;

  public LedgerProjector(Vertx vertx, Ledger ledger, PointsReadModel readModel, List<PointsProjection> projections,
      Notifier notifier, String owner, Clock clock) {
    this.vertx = vertx;
    this.ledger = ledger;
    this.readModel = readModel;
    this.projections = List.copyOf(projections);
    this.notifier = notifier;
    this.owner = owner;
    this.clock = clock;
  }

  public record ProjectorState(boolean active, long checkpointBlock, String lastError) {}

  public void start() {
    leaseTimer = vertx.setPeriodic(RENEW_MILLIS, id -> holdLease());
    holdLease();
  }

  /** Stops following and gives the lease up, so a restarted or other instance takes over at once. */
  public Future<Void> stop() {
    stopped = true;
    vertx.cancelTimer(leaseTimer);
    stopFollowing();
    return readModel.releaseProjectorLease(owner);
  }

  public ProjectorState state() {
    return new ProjectorState(following != null, checkpoint.blockNumber(), lastError);
  }

  private void holdLease() {
    if (stopped) {
      return;
    }
    Instant now = clock.instant();
    readModel.holdProjectorLease(owner, now, now.plus(LEASE)).onComplete(held -> {
      if (held.succeeded() && held.result()) {
        if (following == null && !stopped) {
          follow();
        }
      } else {
        // Lost or unknown: another instance may be projecting; never run two at once.
        stopFollowing();
      }
    });
  }

  private void follow() {
    following = () -> { }; // taken: a lease renewal during the checkpoint read must not start a second feed
    readModel.checkpoint().onComplete(read -> {
      if (read.failed() || stopped) {
        following = null;
        return;
      }
      checkpoint = read.result().orElse(ChainPosition.NONE);
      long startBlock = Math.max(0, checkpoint.blockNumber());
      LOG.info("Ledger projector following chaincode events from block {}", startBlock);
      following = ledger.follow(startBlock, this::apply, this::feedStopped);
    });
  }

  private void feedStopped(Throwable failure) {
    vertx.runOnContext(v -> {
      lastError = failure.getClass().getSimpleName();
      LOG.warn("Ledger projector stopped on a failure; resuming from the checkpoint", failure);
      following = null;
      vertx.setTimer(RESTART_MILLIS, id -> holdLease());
    });
  }

  private void stopFollowing() {
    if (following != null) {
      following.stop();
      following = null;
    }
  }

  /** One chaincode event: skipped when the checkpoint covers it, else applied, then checkpointed. */
  Future<Void> apply(ChainEvent event) {
    ChainPosition position = new ChainPosition(event.blockNumber(), event.txOrdinal(), 0);
    if (position.compareTo(checkpoint) <= 0) {
      return Future.succeededFuture();
    }
    Future<Void> applied = switch (event.name()) {
      case POINTS_MOVED -> pointsMoved(event);
      case RULE_CHANGED -> readModel.ruleOnChain(event.payload().getString("ruleId"),
          event.payload().getLong("version"));
      default -> Future.succeededFuture();
    };
    return applied.compose(v -> readModel.saveCheckpoint(position)).onSuccess(v -> checkpoint = position);
  }

  private Future<Void> pointsMoved(ChainEvent event) {
    List<MovedEntry> entries = movedEntries(event);
    Future<Void> projected = Future.succeededFuture();
    for (PointsProjection projection : projections) {
      projected = projected.compose(v -> projection.apply(entries));
    }
    return projected
        .compose(v -> readModel.recordEntries(entries))
        .compose(v -> readModel.applyBalances(entries))
        .compose(v -> awardOutcomes(entries))
        .compose(v -> Future.all(entries.stream().filter(entry -> "REVERSAL".equals(entry.kind()))
            .map(this::reversalOutcome).toList()).mapEmpty());
  }

  private Future<Void> awardOutcomes(List<MovedEntry> entries) {
    List<MovedEntry> awards = entries.stream().filter(entry -> "AWARD".equals(entry.kind())).toList();
    return readModel.awaitingRecord(awards.stream().map(MovedEntry::entryId).toList()).compose(awaiting ->
        Future.all(awards.stream().filter(award -> awaiting.containsKey(award.entryId()))
            .map(award -> recordAward(award, awaiting.get(award.entryId()))).toList()).mapEmpty());
  }

  static List<MovedEntry> movedEntries(ChainEvent event) {
    JsonArray items = event.payload().getJsonArray("entries");
    List<MovedEntry> entries = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      JsonObject item = items.getJsonObject(i);
      entries.add(new MovedEntry(new ChainPosition(event.blockNumber(), event.txOrdinal(), i), event.txId(),
          item.getString("entryId"), item.getString("memberId"), item.getString("kind"), item.getLong("points"),
          item.getString("category"), item.getString("orgUnitId"), LocalDate.parse(item.getString("occurredOn")),
          item.getLong("balanceAfter")));
    }
    return entries;
  }

  private Future<Void> reversalOutcome(MovedEntry entry) {
    return readModel.reversalRecorded(reversedSubmission(entry.entryId()), entry).compose(applied ->
        applied.isPresent() ? notifier.notify(applied.get().memberId(), NotificationKind.SUBMISSION_REVERSED,
            new JsonObject().put("submissionId", applied.get().submissionId()).put("points", entry.points()))
            : Future.succeededFuture());
  }

  /**
   * Granted below the request means a cap applied; the chain's entry names which (DAILY_CAP or
   * YEARLY_CAP), so only then is it read back. The member is told only by the call that changed
   * the submission, so a replay notifies nobody twice.
   */
  private Future<Void> recordAward(MovedEntry entry, Awaiting awaiting) {
    long requestedPoints = awaiting.requestedPoints();
    boolean capped = entry.points() < requestedPoints;
    Future<Optional<String>> reason = capped
        ? ledger.entry(entry.entryId()).map(chain -> chain.map(found -> found.getString("reason")))
        : Future.succeededFuture(Optional.empty());
    return reason.compose(why -> readModel.awardRecorded(entry, awaiting, why.orElse(null))
        .compose(applied -> applied.isEmpty() ? Future.succeededFuture() : notifier.notify(applied.get().memberId(),
            capped ? NotificationKind.SUBMISSION_CAPPED : NotificationKind.SUBMISSION_RECORDED,
            outcome(applied.get().submissionId(), entry, requestedPoints, why))));
  }

  private static JsonObject outcome(String submissionId, MovedEntry entry, long requested, Optional<String> reason) {
    JsonObject data = new JsonObject().put("submissionId", submissionId).put("points", entry.points())
        .put("requestedPoints", requested).put("txId", entry.txId()).put("blockNumber", entry.position().blockNumber());
    reason.ifPresent(why -> data.put("reason", why));
    return data;
  }

  /** A reversal's entryId is "rv_" + the submission id of the award it reverses. */
  private static String reversedSubmission(String reversalEntryId) {
    return reversalEntryId.startsWith("rv_") ? reversalEntryId.substring(3) : reversalEntryId;
  }
}
