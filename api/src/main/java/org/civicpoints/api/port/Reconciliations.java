package org.civicpoints.api.port;

import io.vertx.core.Future;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.civicpoints.api.domain.Reconciliation;
import org.civicpoints.api.domain.Reconciliation.Mismatch;

/**
 * Reconciliation runs, and the read model as a run reads it: whole collections in one pass each,
 * summed by member or by board.
 */
public interface Reconciliations {

  /** Queues the run; false when a run of that id exists (a night's run queued twice). */
  Future<Boolean> queue(Reconciliation run);

  Future<Optional<Reconciliation>> find(String reconciliationId);

  /**
   * The oldest queued run, or a running one whose runner is gone, now RUNNING with its progress
   * reset; empty when there is none.
   */
  Future<Optional<Reconciliation>> claimNext(Instant now);

  /**
   * Adds {@code checked} accounts and {@code found} mismatches to the run, keeping {@code kept} of
   * them.
   */
  Future<Void> progress(String reconciliationId, long checked, long found, List<Mismatch> kept);

  Future<Void> finish(
      String reconciliationId, Reconciliation.State state, long boardsChecked, Instant at);

  /** The last finished run, if any. */
  Future<Optional<Reconciliation>> lastDone();

  /** One entry of the read model, with what a board and a member total needs. */
  record EntryRow(
      String entryId,
      String memberId,
      String kind,
      long points,
      String category,
      String orgUnitId,
      String occurredOn) {}

  /** Every member's balance document, by member: balance, earned, … and entries. */
  Future<Map<String, Map<String, Long>>> balances();

  /** Every entry of the read model. */
  Future<List<EntryRow>> entries();

  /** Every board's standings summed: points and entries, by board key. */
  Future<Map<String, Map<String, Long>>> boardTotals();

  /** The standings on {@code boards}: points and entries, by board key and member. */
  Future<Map<String, Map<String, Map<String, Long>>>> standings(Set<String> boards);

  /** The standings of {@code members}: points and entries, by board key and member. */
  Future<Map<String, Map<String, Map<String, Long>>>> standingsOf(Set<String> members);

  /** The chain positions of the read model's entries among {@code entryIds}, by entry id. */
  Future<Map<String, Long>> positions(Collection<String> entryIds);
}
