package org.civicpoints.api.port;

import io.vertx.core.Future;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The ledger commands waiting in MongoDB: awards ({@code submissions.ledger}), reversals ({@code
 * submissions.reversal}), rule versions ({@code point_rules.ledger}) and redemptions ({@code
 * redemptions.ledger}). A command is claimed with a lease; every later change is conditioned on the
 * claim still being ours and the command still QUEUED, so a lapsed lease or a projector that got
 * there first is never overwritten.
 */
public interface LedgerOutbox {

  enum Command {
    AWARD,
    REVERSAL,
    RULE,
    REDEMPTION,
    /** A cancelled redemption's RefundRedemption ({@code redemptions.refund}). */
    REFUND,
    /** The Expire of one member's lot of one earning year ({@code point_expiries.ledger}). */
    EXPIRY
  }

  /** A kind of command together with the type its claims answer. */
  record CommandType<T>(Command command, Class<T> type) {
    public static final CommandType<Ledger.Award> AWARD =
        new CommandType<>(Command.AWARD, Ledger.Award.class);
    public static final CommandType<Ledger.Reversal> REVERSAL =
        new CommandType<>(Command.REVERSAL, Ledger.Reversal.class);
    public static final CommandType<Ledger.RuleVersion> RULE =
        new CommandType<>(Command.RULE, Ledger.RuleVersion.class);
    public static final CommandType<Ledger.Redemption> REDEMPTION =
        new CommandType<>(Command.REDEMPTION, Ledger.Redemption.class);
    public static final CommandType<Ledger.Refund> REFUND =
        new CommandType<>(Command.REFUND, Ledger.Refund.class);
    public static final CommandType<Ledger.Expiry> EXPIRY =
        new CommandType<>(Command.EXPIRY, Ledger.Expiry.class);
  }

  /** A queued command, before claiming: enough to plan batches. */
  record Candidate(String id, String memberId, String ruleId) {}

  /** A command this relay holds the lease of; {@code attempts} counts this one. */
  record Claimed<T>(String id, String memberId, int attempts, T command) {}

  /** Who may send a command, until when; another relay may claim it once the lease has lapsed. */
  record Lease(String owner, Instant until) {

    /**
     * A lease that ended just before {@code now}: claims take leases that ended before their own
     * now, so any relay's next scan takes the command, even on a clock that stands still.
     */
    public static Lease lapsed(String owner, Instant now) {
      return new Lease(owner, now.minusMillis(1));
    }
  }

  /** Commands of every kind not done yet: awards, reversals and rule versions alike. */
  record Backlog(long queued, Optional<Instant> oldestQueuedAt, long submitted) {

    public static final Backlog NONE = new Backlog(0, Optional.empty(), 0);

    public Backlog plus(Backlog other) {
      return new Backlog(
          queued + other.queued,
          Stream.concat(oldestQueuedAt.stream(), other.oldestQueuedAt.stream())
              .min(Comparator.naturalOrder()),
          submitted + other.submitted);
    }
  }

  /** Claimable commands (queued, lease lapsed); awards of {@code ruleIdsToSkip} are left out. */
  Future<List<Candidate>> queued(
      Command command, Instant now, int limit, Set<String> ruleIdsToSkip);

  /** Rules whose first version has not reached the chain yet: their awards wait. */
  Future<Set<String>> rulesAwaitingChain();

  /**
   * Takes the lease of those of {@code ids} that are claimable at {@code now}: the commands of one
   * kind, read as {@code type} says.
   */
  <T> Future<List<Claimed<T>>> claim(
      CommandType<T> type, List<String> ids, String owner, Instant now, Instant leaseUntil);

  /**
   * QUEUED → SUBMITTED with the transaction that carried it, for commands whose chaincode event
   * will not say so (a rule version, a reversal, an award the chain already held). An award the
   * transaction recorded is left QUEUED under the lease: the projector records it from the event.
   */
  Future<Void> submitted(Command command, List<String> ids, String owner, String txId, Instant now);

  /**
   * QUEUED → FAILED with the reason (and the submission's or redemption's status FAILED); answers
   * the ids it changed.
   */
  Future<List<String>> failed(
      Command command, Map<String, String> reasonById, String owner, Instant now);

  /**
   * Our lease given up: claimable at once by any relay (commands this relay holds but will not
   * send).
   */
  Future<Void> release(Command command, List<String> ids, String owner, Instant now);

  /** Back in the queue, claimable again from {@code nextAttemptAt}. */
  Future<Void> retry(
      Command command, List<String> ids, String owner, Instant nextAttemptAt, String error);

  Future<Backlog> backlog();
}
