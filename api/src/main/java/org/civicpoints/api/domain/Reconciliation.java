package org.civicpoints.api.domain;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A run comparing the read model with the chain: every account on the chain with the member's
 * balance and entries in the read model, and every board's standings with the sum of the entries
 * that count on it. Runs queue and run one at a time, nightly or when an admin asks.
 */
public record Reconciliation(
    String reconciliationId,
    Trigger trigger,
    String requestedBy,
    State state,
    Instant createdAt,
    Instant startedAt,
    Instant finishedAt,
    long accountsChecked,
    long boardsChecked,
    long mismatchCount,
    List<Mismatch> mismatches) {

  /** At most this many mismatches are kept with a run; {@code mismatchCount} counts them all. */
  public static final int KEPT_MISMATCHES = 1_000;

  public enum Trigger {
    NIGHTLY,
    ON_DEMAND
  }

  public enum State {
    QUEUED,
    RUNNING,
    DONE,
    FAILED
  }

  /**
   * What disagrees: a member's ACCOUNT (the chain's account against the balance read model), their
   * ENTRIES (the chain's account totals against the sums of the member's entries in the read
   * model), a member's STANDING on a board (the sum of their entries counting on it against the
   * standing), or a BOARD whose totals differ although no single standing does.
   */
  public enum Subject {
    ACCOUNT,
    ENTRIES,
    STANDING,
    BOARD
  }

  /**
   * Both sides, by field: {@code expected} is the chain's (for standings and boards: the sum of the
   * entries), {@code actual} the read model's. Only the fields that differ are listed.
   */
  public record Mismatch(
      Subject subject,
      String memberId,
      String board,
      Map<String, Long> expected,
      Map<String, Long> actual) {}

  public static Reconciliation queued(
      String reconciliationId, Trigger trigger, String requestedBy, Instant now) {
    return new Reconciliation(
        reconciliationId, trigger, requestedBy, State.QUEUED, now, null, null, 0, 0, 0, List.of());
  }

  /** Whether {@code memberId} shows in this run's kept mismatches. */
  public boolean mismatched(String memberId) {
    return mismatches.stream().anyMatch(mismatch -> memberId.equals(mismatch.memberId()));
  }
}
