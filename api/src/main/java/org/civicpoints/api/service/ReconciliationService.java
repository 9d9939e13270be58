package org.civicpoints.api.service;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.civicpoints.api.domain.Caller;
import org.civicpoints.api.domain.ChainPosition;
import org.civicpoints.api.domain.DomainException;
import org.civicpoints.api.domain.ErrorCode;
import org.civicpoints.api.domain.Ids;
import org.civicpoints.api.domain.MovedEntry;
import org.civicpoints.api.domain.Reconciliation;
import org.civicpoints.api.port.Ledger;
import org.civicpoints.api.port.PointsReadModel;
import org.civicpoints.api.port.ReadModelMovedOn;
import org.civicpoints.api.port.Reconciliations;

/**
 * Reconciliations for admins: one queued on demand, a run's progress and result, and the repair of
 * a member a finished run found mismatching — their entries, balance, lots and standings written
 * anew from the chain's entries, audited.
 */
public final class ReconciliationService {

  /** What a repair wrote: how many of the chain's entries, and the balance they add up to. */
  public record Repair(String memberId, int entriesReplayed, long balance) {}

  private final Reconciliations runs;
  private final LedgerReconciliation job;
  private final Ledger ledger;
  private final PointsReadModel readModel;
  private final StandingsProjection standings;
  private final AuditLog auditLog;
  private final Clock clock;

  public ReconciliationService(
      Reconciliations runs,
      LedgerReconciliation job,
      Ledger ledger,
      PointsReadModel readModel,
      StandingsProjection standings,
      AuditLog auditLog,
      Clock clock) {
    this.runs = runs;
    this.job = job;
    this.ledger = ledger;
    this.readModel = readModel;
    this.standings = standings;
    this.auditLog = auditLog;
    this.clock = clock;
  }

  /** Queues a run; it starts at once unless another is running (runs go one at a time). */
  public Future<String> start(Caller caller) {
    Reconciliation run =
        Reconciliation.queued(
            Ids.reconciliationId(),
            Reconciliation.Trigger.ON_DEMAND,
            caller.memberId(),
            clock.instant());
    return admin(caller)
        .compose(v -> runs.queue(run))
        .map(
            queued -> {
              job.wake();
              return run.reconciliationId();
            });
  }

  public Future<Reconciliation> find(Caller caller, String reconciliationId) {
    return admin(caller)
        .compose(v -> runs.find(reconciliationId))
        .map(
            found ->
                found.orElseThrow(
                    () ->
                        DomainException.notFound(
                            "reconciliation", Map.of("reconciliationId", reconciliationId))));
  }

  /**
   * Replays the member's entries from the chain into the read model. Only a member the finished run
   * found mismatching, so a repair always answers a finding; a member's entry the projector has not
   * taken in yet cannot be placed in chain order, and the repair waits for it (409).
   */
  public Future<Repair> repair(Caller caller, String reconciliationId, String memberId) {
    return find(caller, reconciliationId)
        .compose(
            run -> {
              if (run.state() != Reconciliation.State.DONE) {
                throw new DomainException(
                    ErrorCode.INVALID_STATE,
                    "reconciliationNotDone",
                    Map.of("reconciliationId", reconciliationId, "state", run.state().name()));
              }
              if (!run.mismatched(memberId)) {
                throw new DomainException(
                    ErrorCode.INVALID_STATE,
                    "memberNotMismatched",
                    Map.of("reconciliationId", reconciliationId, "memberId", memberId));
              }
              return replay(memberId);
            })
        .compose(
            repair ->
                auditLog
                    .record(
                        caller.memberId(),
                        "ledger.reconciliation.repair",
                        memberId,
                        null,
                        new JsonObject()
                            .put("reconciliationId", reconciliationId)
                            .put("entriesReplayed", repair.entriesReplayed())
                            .put("balance", repair.balance()),
                        null)
                    .map(repair));
  }

  private Future<Repair> replay(String memberId) {
    return ledger
        .memberEntries(memberId)
        .compose(
            chain ->
                runs.positions(chain.stream().map(entry -> entry.getString("entryId")).toList())
                    .map(positions -> inChainOrder(memberId, chain, positions)))
        .compose(
            entries ->
                readModel
                    .rebuildMember(memberId, entries)
                    .compose(v -> standings.rebuild(memberId, entries))
                    .recover(
                        failure ->
                            Future.failedFuture(
                                failure instanceof ReadModelMovedOn
                                    ? new DomainException(
                                        ErrorCode.INVALID_STATE,
                                        "repairMovedOn",
                                        Map.of("memberId", memberId))
                                    : failure))
                    .map(
                        v ->
                            new Repair(
                                memberId,
                                entries.size(),
                                entries.isEmpty()
                                    ? 0
                                    : entries.get(entries.size() - 1).balanceAfter())));
  }

  /** The chain's entries at the positions the projector gave them, oldest first. */
  private static List<MovedEntry> inChainOrder(
      String memberId, List<JsonObject> chain, Map<String, Long> positions) {
    List<MovedEntry> entries = new ArrayList<>();
    for (JsonObject entry : chain) {
      Long position = positions.get(entry.getString("entryId"));
      if (position == null) {
        throw new DomainException(
            ErrorCode.INVALID_STATE,
            "repairEntryNotProjected",
            Map.of("memberId", memberId, "entryId", entry.getString("entryId")));
      }
      entries.add(
          LedgerProjector.movedEntry(
              entry, ChainPosition.ofLong(position), entry.getString("txId")));
    }
    entries.sort(Comparator.comparing(MovedEntry::position));
    return Collections.unmodifiableList(entries);
  }

  private static Future<Void> admin(Caller caller) {
    return caller.isAdmin()
        ? Future.succeededFuture()
        : Future.failedFuture(DomainException.forbidden("reconciliations", Map.of()));
  }
}
