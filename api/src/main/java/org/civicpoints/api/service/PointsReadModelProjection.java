package org.civicpoints.api.service;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Optional;
import org.civicpoints.api.domain.MovedEntry;
import org.civicpoints.api.domain.NotificationKind;
import org.civicpoints.api.port.Ledger;
import org.civicpoints.api.port.Ledger.ChainEvent;
import org.civicpoints.api.port.Notifier;
import org.civicpoints.api.port.PointsReadModel;
import org.civicpoints.api.port.PointsReadModel.Awaiting;

/**
 * The points projector's work on each chaincode event: entries, balances, the ledger outcome of
 * submissions (RECORDED, with a cap's reason) and rules, and the member's notification — sent only
 * by the write that changed the submission, so a replay tells nobody twice.
 */
public final class PointsReadModelProjection implements LedgerProjector.Handler {

  private final Ledger ledger;
  private final PointsReadModel readModel;
  private final Notifier notifier;

  public PointsReadModelProjection(Ledger ledger, PointsReadModel readModel, Notifier notifier) {
    this.ledger = ledger;
    this.readModel = readModel;
    this.notifier = notifier;
  }

  @Override
  public Future<Void> apply(ChainEvent event) {
    return switch (event.name()) {
      case LedgerProjector.POINTS_MOVED -> pointsMoved(event);
      case LedgerProjector.RULE_CHANGED -> readModel.ruleOnChain(event.payload().getString("ruleId"),
          event.payload().getLong("version"));
      default -> Future.succeededFuture();
    };
  }

  private Future<Void> pointsMoved(ChainEvent event) {
    List<MovedEntry> entries = LedgerProjector.movedEntries(event);
    return readModel.recordEntries(entries)
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
