package org.civicpoints.api.service;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.civicpoints.api.domain.EntryKind;
import org.civicpoints.api.domain.MovedEntry;
import org.civicpoints.api.domain.NotificationKind;
import org.civicpoints.api.port.Ledger;
import org.civicpoints.api.port.Ledger.ChainEvent;
import org.civicpoints.api.port.Notifier;
import org.civicpoints.api.port.Notifier.Notice;
import org.civicpoints.api.port.PointsReadModel;
import org.civicpoints.api.port.PointsReadModel.AwardSubmission;
import org.civicpoints.api.port.PointsReadModel.RecordedAward;

/**
 * The points projector's work on each chaincode event: entries, balances, the ledger outcome of
 * submissions (RECORDED, with a cap's reason; REVERSED) and rules, and the member's notification,
 * told once however often the event is applied.
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

  /**
   * The entries of all PointsMoved events at once (one write per read model), then the rule
   * versions.
   */
  @Override
  public Future<Void> handle(List<ChainEvent> events) {
    return pointsMoved(LedgerProjector.movedEntries(events))
        .compose(
            v -> {
              Future<Void> rules = Future.succeededFuture();
              for (ChainEvent event : events) {
                if (LedgerProjector.RULE_CHANGED.equals(event.name())) {
                  rules =
                      rules.compose(
                          done ->
                              readModel.ruleOnChain(
                                  event.payload().getString("ruleId"),
                                  event.payload().getLong("version")));
                }
              }
              return rules;
            });
  }

  /**
   * Entries and balances are written side by side (different collections, each idempotent), and
   * both before any submission shows RECORDED, so a resident who sees RECORDED sees the points too.
   */
  private Future<Void> pointsMoved(List<MovedEntry> entries) {
    if (entries.isEmpty()) {
      return Future.succeededFuture();
    }
    List<MovedEntry> awards =
        entries.stream().filter(entry -> entry.kind() == EntryKind.AWARD).toList();
    Future<Map<String, AwardSubmission>> submissions =
        readModel.awardSubmissions(awards.stream().map(MovedEntry::entryId).toList());
    return Future.all(
            readModel.recordEntries(entries), readModel.applyBalances(entries), submissions)
        .compose(v -> awardOutcomes(awards, submissions.result()))
        .compose(
            v ->
                Future.all(
                        entries.stream()
                            .filter(entry -> entry.kind() == EntryKind.REVERSAL)
                            .map(this::reversalOutcome)
                            .toList())
                    .mapEmpty());
  }

  /**
   * The awards moved: their submissions (read in one lookup) marked RECORDED in one bulk write, and
   * their members told once each — the notification's id comes from the submission, so a replay
   * (even after a crash between the two writes) neither repeats nor loses it.
   */
  private Future<Void> awardOutcomes(
      List<MovedEntry> awards, Map<String, AwardSubmission> submissions) {
    return Future.all(
            awards.stream()
                .filter(award -> submissions.containsKey(award.entryId()))
                .map(award -> recorded(award, submissions.get(award.entryId())))
                .toList())
        .compose(
            all -> {
              List<RecordedAward> recorded = all.list();
              return readModel
                  .awardsRecorded(recorded)
                  .compose(
                      v ->
                          notifier.notifyOnce(
                              recorded.stream().map(PointsReadModelProjection::notice).toList()));
            });
  }

  /**
   * Granted below the request means a cap applied; the chain's entry names which (DAILY_CAP or
   * YEARLY_CAP).
   */
  private Future<RecordedAward> recorded(MovedEntry award, AwardSubmission submission) {
    if (award.points() >= submission.requestedPoints()) {
      return Future.succeededFuture(new RecordedAward(award, submission, null));
    }
    return ledger
        .entry(award.entryId())
        .map(
            chain ->
                new RecordedAward(
                    award, submission, chain.map(found -> found.getString("reason")).orElse(null)));
  }

  private static Notice notice(RecordedAward award) {
    MovedEntry entry = award.entry();
    long requested = award.submission().requestedPoints();
    NotificationKind kind =
        entry.points() < requested
            ? NotificationKind.SUBMISSION_CAPPED
            : NotificationKind.SUBMISSION_RECORDED;
    JsonObject data =
        new JsonObject()
            .put("submissionId", entry.entryId())
            .put("points", entry.points())
            .put("requestedPoints", requested)
            .put("txId", entry.txId())
            .put("blockNumber", entry.position().blockNumber());
    if (award.capReason() != null) {
      data.put("reason", award.capReason());
    }
    return new Notice(entry.entryId() + ":" + kind, award.submission().memberId(), kind, data);
  }

  private Future<Void> reversalOutcome(MovedEntry entry) {
    return readModel
        .reversalRecorded(reversedSubmission(entry.entryId()), entry)
        .compose(
            applied ->
                applied.isPresent()
                    ? notifier.notify(
                        applied.get().memberId(),
                        NotificationKind.SUBMISSION_REVERSED,
                        new JsonObject()
                            .put("submissionId", applied.get().submissionId())
                            .put("points", entry.points()))
                    : Future.succeededFuture());
  }

  /** A reversal's entryId is "rv_" + the submission id of the award it reverses. */
  private static String reversedSubmission(String reversalEntryId) {
    return reversalEntryId.startsWith("rv_") ? reversalEntryId.substring(3) : reversalEntryId;
  }
}
