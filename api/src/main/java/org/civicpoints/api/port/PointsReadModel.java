package org.civicpoints.api.port;

import io.vertx.core.Future;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.civicpoints.api.domain.MovedEntry;

/**
 * What the points projector writes and the points endpoints read: balances, the entries of each member, and the ledger outcome of submissions and rules.
 * Every write is idempotent by chain position or by a condition on the current state.
 */
public interface PointsReadModel {

  record Balance(String memberId, long balance, long earned, long spent, long reversed, long asOfBlock) {
    public static Balance empty(String memberId) {
      return new Balance(memberId, 0, 0, 0, 0, -1);
    }
  }

  /** One entry as the member sees it. */
  record EntryView(String entryId, String memberId, String kind, long points, String category, String occurredOn,
      String txId, long blockNumber, long position) {}

  /** What the award's submission asked for, handed back when the projector applied it first. */
  record Awaiting(long requestedPoints, String seenState) {}

  record AwardApplied(String submissionId, String memberId, long requestedPoints) {}

  record ReversalApplied(String submissionId, String memberId, long points) {}

  Future<Void> createIndexes();

  Future<Void> recordEntries(List<MovedEntry> entries);

  Future<Void> applyBalances(List<MovedEntry> entries);

  /**
   * The submissions among {@code submissionIds} not yet recorded, by id: their requested points
   * and the outbox state seen, which {@link #awardRecorded} compares before it writes.
   */
  Future<Map<String, Awaiting>> awaitingRecord(Collection<String> submissionIds);

  /**
   * Marks the award's submission RECORDED with what the chain granted (and the cap's reason when
   * one applied), by compare-and-set on the outbox state seen (looking again when it changed in
   * between); present only when this call changed it.
   */
  Future<Optional<AwardApplied>> awardRecorded(MovedEntry entry, Awaiting awaiting, String reason);

  Future<Optional<ReversalApplied>> reversalRecorded(String submissionId, MovedEntry entry);

  Future<Void> ruleOnChain(String ruleId, long version);

  Future<Balance> balance(String memberId);

  /** Sum of the requested points of the member's approved submissions not yet recorded. */
  Future<Long> pendingPoints(String memberId);

  /** Newest first; {@code before} is the position of the last entry of the previous page. */
  Future<List<EntryView>> entries(String memberId, Long before, int limit);

  Future<Optional<EntryView>> entry(String entryId);

  /** Drops the balances and entries read models (a replay from block 0 rebuilds them). */
  Future<Void> dropForReplay();
}
