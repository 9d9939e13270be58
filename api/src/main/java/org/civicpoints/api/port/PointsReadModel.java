package org.civicpoints.api.port;

import io.vertx.core.Future;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.civicpoints.api.domain.EntryKind;
import org.civicpoints.api.domain.MovedEntry;

/**
 * What the points projector writes and the points endpoints read: balances, the entries of each
 * member, and the ledger outcome of submissions and rules. Every write is idempotent by chain
 * position or by a condition on the current state.
 */
public interface PointsReadModel {

  record Balance(
      String memberId,
      long balance,
      long earned,
      long spent,
      long reversed,
      long refunded,
      long expired,
      long asOfBlock) {
    public static Balance empty(String memberId) {
      return new Balance(memberId, 0, 0, 0, 0, 0, 0, -1);
    }
  }

  /** One entry as the member sees it. */
  record EntryView(
      String entryId,
      String memberId,
      EntryKind kind,
      long points,
      String category,
      String occurredOn,
      String txId,
      long blockNumber,
      long position) {

    /**
     * The submission the entry is about: an award's entry id is its submission's id, a reversal's
     * is "rv_" + that id; none for other kinds.
     */
    public Optional<String> submissionId() {
      return switch (kind) {
        case AWARD -> Optional.of(entryId);
        case REVERSAL -> Optional.of(entryId.startsWith("rv_") ? entryId.substring(3) : entryId);
        default -> Optional.empty();
      };
    }
  }

  /** An award's submission as the projector finds it. */
  record AwardSubmission(
      String memberId, long requestedPoints, String seenState, String seenLeaseOwner) {
    public boolean recorded() {
      return "DONE".equals(seenState);
    }
  }

  /**
   * What the chain granted for an award's submission, and why less than requested when a cap
   * applied.
   */
  record RecordedAward(MovedEntry entry, AwardSubmission submission, String capReason) {}

  record ReversalApplied(String submissionId, String memberId, long points) {}

  /**
   * What is left of the points a member earned in one calendar year (the chain's lot of that
   * earning year), while the year has not expired.
   */
  record Lot(String memberId, int year, long points) {
    /** The lot's id, deterministic: also the expiry's and the notices' ids derive from it. */
    public String id() {
      return memberId + ":" + year;
    }
  }

  Future<Void> recordEntries(List<MovedEntry> entries);

  Future<Void> applyBalances(List<MovedEntry> entries);

  /**
   * The award submissions among {@code submissionIds}, by id, with the outbox state seen (DONE once
   * recorded).
   */
  Future<Map<String, AwardSubmission>> awardSubmissions(Collection<String> submissionIds);

  /**
   * Marks each award's submission RECORDED with what the chain granted (and a cap's reason), by
   * compare-and-set on the outbox state seen — looking again at those that changed in between — in
   * bulk; those recorded already are left as they are.
   */
  Future<Void> awardsRecorded(List<RecordedAward> awards);

  Future<Optional<ReversalApplied>> reversalRecorded(String submissionId, MovedEntry entry);

  Future<Void> ruleOnChain(String ruleId, long version);

  Future<Balance> balance(String memberId);

  /** Sum of the requested points of the member's approved submissions not yet recorded. */
  Future<Long> pendingPoints(String memberId);

  /** Newest first; {@code before} is the position of the last entry of the previous page. */
  Future<List<EntryView>> entries(String memberId, Long before, int limit);

  Future<Optional<EntryView>> entry(String entryId);

  /**
   * Open lots with points left, earned from {@code fromYear} to {@code throughYear}, in the order
   * of their ids, after {@code afterLotId} (null: from the first).
   */
  Future<List<Lot>> openLots(int fromYear, int throughYear, String afterLotId, int limit);

  /** The member's open lots with points left, oldest first. */
  Future<List<Lot>> openLots(String memberId);

  /**
   * Writes the member's entries, balance and lots anew from {@code entries}, all of the member's
   * entries on the chain in chain order (a repair after a reconciliation), and deletes the member's
   * entries that are not among them. Fails, leaving the projector's writes, when the projector took
   * in a later entry of the member meanwhile.
   */
  Future<Void> rebuildMember(String memberId, List<MovedEntry> entries);

  /** Drops the balances and entries read models (a replay from block 0 rebuilds them). */
  Future<Void> dropForReplay();
}
