package org.civicpoints.api.service;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import org.civicpoints.api.domain.LedgerFailure;
import org.civicpoints.api.domain.LedgerFailure.Kind;
import org.civicpoints.api.domain.NotificationKind;
import org.civicpoints.api.port.Ledger;
import org.civicpoints.api.port.Ledger.AwardOutcome;
import org.civicpoints.api.port.LedgerOutbox;
import org.civicpoints.api.port.LedgerOutbox.Candidate;
import org.civicpoints.api.port.LedgerOutbox.Claimed;
import org.civicpoints.api.port.LedgerOutbox.Command;
import org.civicpoints.api.port.LedgerOutbox.CommandType;
import org.civicpoints.api.port.LedgerOutbox.Lease;
import org.civicpoints.api.port.Notifier;
import org.civicpoints.api.port.ProjectorCheckpoints;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves queued ledger commands to the chain. One instance of the deployment relays at a time, under
 * the relay's lease ({@link #LEASE_NAME}); the others only queue (their approvals' awards are
 * claimable at once) and take the lease over when its holder's lapses. Each round sends commands
 * this instance holds a lease on: the awards its approvals queued under their first lease, and what
 * it claims from the outbox. Rule versions go first, then reversals and awards, keeping at most one
 * in-flight transaction per member — a member's awards share one batch, so no two concurrent
 * transactions touch the same account (two relaying instances would each keep that only for
 * themselves: MVCC conflicts) — and up to {@link #MAX_IN_FLIGHT} transactions at once. Outcomes the
 * chaincode events will not tell are written back per command; retryable failures return to the
 * queue with an exponential, jittered backoff.
 */
public final class LedgerRelay {

  static final int MAX_BATCH = 500;
  static final int MAX_IN_FLIGHT = 4;
  static final int MAX_INVALID_ATTEMPTS = 5;
  private static final int CANDIDATES_PER_ROUND = MAX_BATCH * MAX_IN_FLIGHT * 2;

  /** How long a command's lease, and the relay's own, lasts unrenewed. */
  public static final Duration LEASE = Duration.ofSeconds(30);

  /**
   * The relay's lease, kept beside the projectors' (its document is {@code
   * ledger-relay-projector-lease}): one instance of the deployment relays at a time, so at most one
   * transaction per member is in flight across all instances, not only within one.
   */
  public static final String LEASE_NAME = "ledger-relay";

  /** An instance that does not relay asks for the relay's lease at most this often. */
  private static final long LEASE_TRY_MILLIS = 1_000;

  /**
   * An award approved here is sent under its first lease only while this much of it is left (the
   * gateway's deadlines stay within the rest); after that it is let lapse, and a scan claims it.
   */
  private static final Duration SEND_MARGIN = LEASE.dividedBy(2);

  /**
   * Approvals do not wait for this: they tell the relay; the period bounds the delay when nobody
   * does.
   */
  private static final long PERIOD_MILLIS = 250;

  /**
   * The outbox is scanned at most this often (a scan is a collection scan on the embedded store);
   * in between, rounds plan from the awards this instance's approvals told it about. A scan finds
   * everything else: reversals, retries whose backoff is over, other instances' leftovers.
   */
  private static final long SCAN_MILLIS = 2_000;

  /** The chaincode's answer to an Expire of a lot that has expired already. */
  private static final String ALREADY_EXPIRED = "ALREADY_EXPIRED";

  private static final long BASE_BACKOFF_MILLIS = 250;
  private static final long MAX_BACKOFF_MILLIS = 8_000;
  private static final Logger LOG = LoggerFactory.getLogger(LedgerRelay.class);

  private final Vertx vertx;
  private final LedgerOutbox outbox;
  private final Ledger ledger;
  private final Notifier notifier;
  private final ProjectorCheckpoints leases;
  private final String owner;
  private final Clock clock;
  private final Set<String> busyMembers = new HashSet<>();

  /** Gives back what refused redemptions reserved (stock, limits); set by the mall's wiring. */
  private Function<List<String>, Future<Void>> redemptionsFailed = ids -> Future.succeededFuture();

  /** Awards this instance's approvals queued under its first lease, not sent yet. */
  private final Map<String, Held> held = new LinkedHashMap<>();

  // The relay's own pace (next scan, next ask for the lease) is counted on the monotonic clock:
  // durations, not the civic time of the day, which a test may hold still or move by days.
  private long nextScanNanos = System.nanoTime();
  private volatile Instant relayingUntil = Instant.EPOCH;
  private long nextLeaseTryNanos = System.nanoTime();
  private int inFlight;
  private boolean roundRunning;
  private boolean roundAgain;
  private boolean stopped;
  private long timerId = -1;
  private volatile String lastError;
  private volatile Instant lastErrorAt;

  public LedgerRelay(
      Vertx vertx,
      LedgerOutbox outbox,
      Ledger ledger,
      Notifier notifier,
      ProjectorCheckpoints leases,
      String owner,
      Clock clock) {
    this.vertx = vertx;
    this.outbox = outbox;
    this.ledger = ledger;
    this.notifier = notifier;
    this.leases = leases;
    this.owner = owner;
    this.clock = clock;
  }

  /** What the status endpoint shows; no personal data. */
  public record RelayState(int inFlightTransactions, String lastError, Instant lastErrorAt) {}

  public void start() {
    timerId = vertx.setPeriodic(PERIOD_MILLIS, id -> poke());
    poke();
  }

  /**
   * Stops relaying and gives up the first leases of the awards approved here and not sent yet, so a
   * restarted or another instance sends them at once instead of after their lease.
   */
  public Future<Void> stop() {
    stopped = true;
    vertx.cancelTimer(timerId);
    List<String> unsent = List.copyOf(held.keySet());
    held.clear();
    return outbox
        .release(Command.AWARD, unsent, owner, clock.instant())
        .compose(v -> leases.releaseLease(LEASE_NAME, owner));
  }

  /** Called with the ids of redemptions the chain refused, once they are FAILED. */
  public void onRedemptionsFailed(Function<List<String>, Future<Void>> release) {
    this.redemptionsFailed = release;
  }

  public RelayState state() {
    return new RelayState(inFlight, lastError, lastErrorAt);
  }

  /**
   * The lease an approval made now gives this relay on the awards it queues; a lapsed one on an
   * instance that does not relay, so the relaying instance's next scan claims them.
   */
  public Lease firstLease(Instant now) {
    return relaying(now) ? new Lease(owner, now.plus(LEASE)) : Lease.lapsed(owner, now);
  }

  /** Awards just queued under {@code lease}: planned from memory at once, sent without a claim. */
  public void queued(List<Claimed<Ledger.Award>> awards, Lease lease) {
    if (!lease.until().isAfter(clock.instant())) {
      return; // queued for the relaying instance
    }
    awards.forEach(award -> held.put(award.id(), new Held(award, lease.until())));
    poke();
  }

  private record Held(Claimed<Ledger.Award> award, Instant leaseUntil) {

    Candidate candidate() {
      return new Candidate(award.id(), award.memberId(), award.command().ruleId());
    }
  }

  /** Runs a round now, or right after the running one. */
  public void poke() {
    if (stopped) {
      return;
    }
    if (roundRunning) {
      roundAgain = true;
      return;
    }
    roundRunning = true;
    round()
        .onComplete(
            done -> {
              roundRunning = false;
              if (done.failed()) {
                noteError("relay round failed: " + done.cause().getClass().getSimpleName());
                LOG.warn("Ledger relay round failed", done.cause());
              }
              if (roundAgain) {
                roundAgain = false;
                poke();
              }
            });
  }

  private record Queued(
      List<Candidate> reversals,
      List<Candidate> redemptions,
      List<Candidate> refunds,
      List<Candidate> awards,
      List<Candidate> expiries) {}

  private Future<Void> round() {
    Instant now = clock.instant();
    return holdLease(now)
        .compose(
            relaying -> {
              if (!relaying) {
                held.clear();
                return Future.succeededFuture();
              }
              return relayRound(now);
            });
  }

  /** Sends only while the relay's lease has more than the send margin left. */
  private boolean relaying(Instant now) {
    return now.isBefore(relayingUntil.minus(SEND_MARGIN));
  }

  /** Renews the relay's lease once half of it is gone; another instance's asks now and then. */
  private Future<Boolean> holdLease(Instant now) {
    if (relaying(now)) {
      return Future.succeededFuture(true);
    }
    if (relayingUntil.equals(Instant.EPOCH) && System.nanoTime() - nextLeaseTryNanos < 0) {
      return Future.succeededFuture(false);
    }
    Instant until = now.plus(LEASE);
    return leases
        .holdLease(LEASE_NAME, owner, now, until)
        .map(
            taken -> {
              relayingUntil = taken ? until : Instant.EPOCH;
              nextLeaseTryNanos = System.nanoTime() + LEASE_TRY_MILLIS * 1_000_000;
              return taken;
            });
  }

  private Future<Void> relayRound(Instant now) {
    boolean scan = System.nanoTime() - nextScanNanos >= 0;
    if (scan) {
      nextScanNanos = System.nanoTime() + SCAN_MILLIS * 1_000_000;
    }
    held.values().removeIf(award -> award.leaseUntil().isBefore(now.plus(SEND_MARGIN)));
    return relayRules(now)
        .compose(v -> outbox.rulesAwaitingChain())
        .compose(
            awaiting ->
                scan
                    ? scanned(now, awaiting)
                    : Future.succeededFuture(
                        new Queued(List.of(), List.of(), List.of(), held(awaiting), List.of())))
        .compose(queued -> plan(queued, now));
  }

  /**
   * The outbox's claimable commands (lapsed leases only, so never one held here), after the held
   * awards.
   */
  private Future<Queued> scanned(Instant now, Set<String> rulesAwaitingChain) {
    return Future.all(
            outbox.queued(Command.REVERSAL, now, CANDIDATES_PER_ROUND, Set.of()),
            outbox.queued(Command.AWARD, now, CANDIDATES_PER_ROUND, rulesAwaitingChain),
            outbox.queued(Command.REDEMPTION, now, CANDIDATES_PER_ROUND, Set.of()),
            outbox.queued(Command.REFUND, now, CANDIDATES_PER_ROUND, Set.of()),
            outbox.queued(Command.EXPIRY, now, CANDIDATES_PER_ROUND, Set.of()))
        .map(
            queued -> {
              List<Candidate> awards = new ArrayList<>(held(rulesAwaitingChain));
              awards.addAll(queued.<List<Candidate>>resultAt(1));
              return new Queued(
                  queued.resultAt(0),
                  queued.resultAt(2),
                  queued.resultAt(3),
                  awards,
                  queued.resultAt(4));
            });
  }

  /**
   * Awards of a rule not on chain yet stay held until their lease runs short; then a scan finds
   * them.
   */
  private List<Candidate> held(Set<String> rulesAwaitingChain) {
    return held.values().stream()
        .map(Held::candidate)
        .filter(award -> !rulesAwaitingChain.contains(award.ruleId()))
        .limit(CANDIDATES_PER_ROUND)
        .toList();
  }

  /** Rule versions go one at a time and before any award, so awards find their rule on chain. */
  private Future<Void> relayRules(Instant now) {
    return outbox
        .queued(Command.RULE, now, 50, Set.of())
        .compose(
            candidates ->
                outbox.claim(CommandType.RULE, ids(candidates), owner, now, now.plus(LEASE)))
        .compose(
            claimed -> {
              Future<Void> chain = Future.succeededFuture();
              for (Claimed<Ledger.RuleVersion> rule : claimed) {
                chain = chain.compose(v -> relayRule(rule));
              }
              return chain;
            });
  }

  private Future<Void> relayRule(Claimed<Ledger.RuleVersion> rule) {
    return ledger
        .putRule(rule.command())
        .compose(
            committed ->
                outbox.submitted(
                    Command.RULE, List.of(rule.id()), owner, committed.txId(), clock.instant()))
        .recover(failure -> handleFailure(Command.RULE, List.of(rule), failure));
  }

  /**
   * Reversals, refunds, redemptions and expiries (one transaction each), then award batches; a
   * member is in one of them at most.
   */
  private Future<Void> plan(Queued queued, Instant now) {
    Set<String> planned = new HashSet<>(busyMembers);
    List<Future<Void>> started = new ArrayList<>();
    for (Candidate reversal : queued.reversals()) {
      if (inFlight + started.size() >= MAX_IN_FLIGHT) {
        break;
      }
      if (planned.add(reversal.memberId())) {
        started.add(startReversal(reversal, now));
      }
    }
    startSingles(queued.refunds(), planned, started, candidate -> startRefund(candidate, now));
    startSingles(
        queued.redemptions(), planned, started, candidate -> startRedemption(candidate, now));
    startSingles(queued.expiries(), planned, started, candidate -> startExpiry(candidate, now));
    for (List<String> batch :
        awardBatches(queued.awards(), planned, MAX_IN_FLIGHT - inFlight - started.size())) {
      started.add(startAwards(batch, now));
    }
    return Future.all(started).mapEmpty();
  }

  /**
   * Whole members per batch (at most {@link #MAX_BATCH} of one member's awards per round), so each
   * member is in at most one transaction; a member with more waits for the next round.
   */
  static List<List<String>> awardBatches(
      List<Candidate> awards, Set<String> unavailableMembers, int batches) {
    Map<String, List<String>> byMember = new LinkedHashMap<>();
    for (Candidate award : awards) {
      if (!unavailableMembers.contains(award.memberId())) {
        byMember.computeIfAbsent(award.memberId(), id -> new ArrayList<>()).add(award.id());
      }
    }
    List<List<String>> planned = new ArrayList<>();
    List<String> current = new ArrayList<>();
    for (List<String> ofMember : byMember.values()) {
      List<String> taken = ofMember.subList(0, Math.min(MAX_BATCH, ofMember.size()));
      if (current.size() + taken.size() > MAX_BATCH) {
        if (planned.size() + 1 >= batches) {
          taken = taken.subList(0, MAX_BATCH - current.size());
        } else {
          planned.add(current);
          current = new ArrayList<>();
        }
      }
      current.addAll(taken);
      if (current.size() == MAX_BATCH && planned.size() + 1 >= batches) {
        break;
      }
    }
    if (!current.isEmpty() && batches > 0) {
      planned.add(current);
    }
    return planned;
  }

  private Future<Void> startReversal(Candidate candidate, Instant now) {
    return startSingle(CommandType.REVERSAL, candidate, now, ledger::reverse);
  }

  /** The projector records the refund's transaction from its event. */
  private Future<Void> startRefund(Candidate candidate, Instant now) {
    return startSingle(CommandType.REFUND, candidate, now, ledger::refundRedemption);
  }

  /**
   * The projector marks the redemption REDEEMED from the transaction's event; a refusal
   * (INSUFFICIENT_POINTS …) makes it FAILED and gives its reservations back.
   */
  private Future<Void> startRedemption(Candidate candidate, Instant now) {
    return startSingle(CommandType.REDEMPTION, candidate, now, ledger::redeem);
  }

  /** An expiry run's Expire of one lot; the projector closes the lot from its event. */
  private Future<Void> startExpiry(Candidate candidate, Instant now) {
    return startSingle(CommandType.EXPIRY, candidate, now, ledger::expire);
  }

  /**
   * A command that goes alone in its transaction (a reversal, refund or redemption). Completes once
   * it is claimed and on its way; the transaction goes on in the background, and its outcome is
   * written back as SUBMITTED (the projector does the rest) or handled as a failure.
   */
  private <T> Future<Void> startSingle(
      CommandType<T> type,
      Candidate candidate,
      Instant now,
      Function<T, Future<Ledger.Committed<JsonObject>>> send) {
    Command command = type.command();
    return outbox
        .claim(type, List.of(candidate.id()), owner, now, now.plus(LEASE))
        .map(
            claimed -> {
              if (!claimed.isEmpty()) {
                Claimed<T> item = claimed.get(0);
                inFlight(
                    List.of(item.memberId()),
                    send.apply(item.command())
                        .compose(
                            committed ->
                                outbox.submitted(
                                    command,
                                    List.of(item.id()),
                                    owner,
                                    committed.txId(),
                                    clock.instant()))
                        .recover(failure -> handleFailure(command, claimed, failure)));
              }
              return null;
            });
  }

  /** One transaction per command, while there is room and its member is not planned yet. */
  private void startSingles(
      List<Candidate> candidates,
      Set<String> planned,
      List<Future<Void>> started,
      Function<Candidate, Future<Void>> start) {
    for (Candidate candidate : candidates) {
      if (inFlight + started.size() >= MAX_IN_FLIGHT) {
        return;
      }
      if (planned.add(candidate.memberId())) {
        started.add(start.apply(candidate));
      }
    }
  }

  /**
   * Held awards go as they are; the others are claimed first (those someone else took are left
   * out).
   */
  private Future<Void> startAwards(List<String> ids, Instant now) {
    List<Claimed<Ledger.Award>> sent = new ArrayList<>();
    List<String> toClaim = new ArrayList<>();
    for (String id : ids) {
      Held award = held.remove(id);
      if (award != null) {
        sent.add(award.award());
      } else {
        toClaim.add(id);
      }
    }
    return outbox
        .claim(CommandType.AWARD, toClaim, owner, now, now.plus(LEASE))
        .map(
            claimedNow -> {
              List<Claimed<Ledger.Award>> claimed = new ArrayList<>(sent);
              claimed.addAll(claimedNow);
              if (!claimed.isEmpty()) {
                inFlight(
                    claimed.stream().map(Claimed::memberId).distinct().toList(),
                    ledger
                        .recordAwards(claimed.stream().map(Claimed::command).toList())
                        .compose(committed -> applyOutcomes(claimed, committed))
                        .recover(failure -> handleFailure(Command.AWARD, claimed, failure)));
              }
              return null;
            });
  }

  /**
   * Its members stay busy until the transaction and its write-back are done. A write-back that
   * fails leaves the commands QUEUED under our lease: when it lapses they go again, and the chain
   * answers DUPLICATE for what it already holds.
   */
  private void inFlight(List<String> members, Future<Void> transaction) {
    inFlight++;
    busyMembers.addAll(members);
    transaction.onComplete(
        done -> {
          if (done.failed()) {
            noteError("write-back failed: " + done.cause().getClass().getSimpleName());
            LOG.warn(
                "Ledger relay could not write back an outcome; the lease will lapse and the chain dedupes",
                done.cause());
          }
          inFlight--;
          members.forEach(busyMembers::remove);
          poke();
        });
  }

  /**
   * RECORDED awards are left to the projector, which records them from this transaction's event;
   * DUPLICATE ones (recorded by an earlier transaction) are marked SUBMITTED, refused ones FAILED.
   */
  private Future<Void> applyOutcomes(
      List<Claimed<Ledger.Award>> claimed, Ledger.Committed<List<AwardOutcome>> committed) {
    LOG.debug(
        "Ledger relay: {} award(s) committed in block {}", claimed.size(), committed.blockNumber());
    List<String> duplicates = new ArrayList<>();
    Map<String, String> refused = new HashMap<>();
    for (AwardOutcome outcome : committed.result()) {
      switch (outcome.status()) {
        case RECORDED -> {}
        case DUPLICATE -> duplicates.add(outcome.entryId());
        case CONFLICT, REJECTED -> refused.put(outcome.entryId(), outcome.code());
      }
    }
    Map<String, String> memberOf = new HashMap<>();
    claimed.forEach(award -> memberOf.put(award.id(), award.memberId()));
    return outbox
        .submitted(Command.AWARD, duplicates, owner, committed.txId(), clock.instant())
        .compose(v -> failAndNotify(Command.AWARD, refused, memberOf));
  }

  private <T> Future<Void> handleFailure(
      Command command, List<Claimed<T>> claimed, Throwable cause) {
    LedgerFailure failure =
        cause instanceof LedgerFailure classified
            ? classified
            : new LedgerFailure(
                Kind.RETRYABLE,
                cause.getClass().getSimpleName(),
                String.valueOf(cause.getMessage()));
    LOG.info(
        "Ledger relay: {} of {} command(s) {} {}",
        command,
        claimed.size(),
        failure.kind(),
        failure.code());
    List<String> ids = claimed.stream().map(Claimed::id).toList();
    if (command == Command.EXPIRY && ALREADY_EXPIRED.equals(failure.code())) {
      // Another command closed the lot before (the chain keeps each lot's expiry once): done.
      return outbox.submitted(command, ids, owner, null, clock.instant());
    }
    noteError(command + " " + failure.kind() + " " + failure.code());
    Map<String, String> memberOf = new HashMap<>();
    claimed.forEach(item -> memberOf.put(item.id(), item.memberId()));
    return switch (failure.kind()) {
      case REJECTED -> failAndNotify(command, reasons(ids, failure.code()), memberOf);
      case CONFLICT -> outbox.retry(command, ids, owner, clock.instant(), failure.code());
      case RETRYABLE ->
          outbox.retry(
              command, ids, owner, clock.instant().plusMillis(backoff(claimed)), failure.code());
      case INVALID -> {
        int attempts = claimed.stream().mapToInt(Claimed::attempts).max().orElse(1);
        yield attempts >= MAX_INVALID_ATTEMPTS
            ? failAndNotify(command, reasons(ids, failure.code()), memberOf)
            : outbox.retry(
                command, ids, owner, clock.instant().plusMillis(backoff(claimed)), failure.code());
      }
    };
  }

  private Future<Void> failAndNotify(
      Command command, Map<String, String> reasonById, Map<String, String> memberOf) {
    if (reasonById.isEmpty()) {
      return Future.succeededFuture();
    }
    return outbox
        .failed(command, reasonById, owner, clock.instant())
        .compose(
            changed -> {
              if (command == Command.REDEMPTION) {
                return redemptionsFailed.apply(changed);
              }
              if (command != Command.AWARD) {
                return Future.succeededFuture();
              }
              List<Future<Void>> sent =
                  changed.stream()
                      .map(
                          id ->
                              notifier.notify(
                                  memberOf.get(id),
                                  NotificationKind.SUBMISSION_FAILED,
                                  new JsonObject()
                                      .put("submissionId", id)
                                      .put("reason", reasonById.get(id))))
                      .toList();
              return Future.all(sent).mapEmpty();
            });
  }

  private static Map<String, String> reasons(List<String> ids, String code) {
    Map<String, String> reasons = new HashMap<>();
    ids.forEach(id -> reasons.put(id, code));
    return reasons;
  }

  /** Exponential in the attempts, capped, with jitter so many instances do not retry in step. */
  private static <T> long backoff(List<Claimed<T>> claimed) {
    int attempts = claimed.stream().mapToInt(Claimed::attempts).max().orElse(1);
    long ceiling =
        Math.min(
            MAX_BACKOFF_MILLIS, BASE_BACKOFF_MILLIS << Math.min(10, Math.max(0, attempts - 1)));
    return ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1);
  }

  private void noteError(String error) {
    lastError = error;
    lastErrorAt = clock.instant();
  }

  private static List<String> ids(List<Candidate> candidates) {
    return candidates.stream().map(Candidate::id).toList();
  }
}
