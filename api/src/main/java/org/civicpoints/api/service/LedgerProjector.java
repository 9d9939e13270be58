package org.civicpoints.api.service;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.civicpoints.api.domain.ChainPosition;
import org.civicpoints.api.domain.EntryKind;
import org.civicpoints.api.domain.MovedEntry;
import org.civicpoints.api.port.Ledger;
import org.civicpoints.api.port.Ledger.ChainEvent;
import org.civicpoints.api.port.ProjectorCheckpoints;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the chaincode events from its checkpoint in MongoDB, strictly in chain order, hands them
 * to its {@link Handler} in the batches the feed delivers (what arrived while the previous batch
 * was handled), then saves the checkpoint. It resumes at the start of the checkpointed block and
 * skips what the checkpoint covers; handlers are idempotent by chain position or state, so a crash
 * between the two repeats work and changes nothing. Each named projector runs once per deployment:
 * it holds a lease in MongoDB and stops when it loses it. Projectors are independent — each has its
 * own checkpoint, so a slow one never holds another back.
 */
public final class LedgerProjector {

  public static final String POINTS_MOVED = "PointsMoved";
  public static final String RULE_CHANGED = "RuleChanged";

  /**
   * How long a projector's lease lasts unrenewed: a crashed holder's projector resumes after it.
   */
  public static final Duration LEASE = Duration.ofSeconds(15);

  private static final long RENEW_MILLIS = 5_000;
  private static final long RESTART_MILLIS = 1_000;
  private static final Logger LOG = LoggerFactory.getLogger(LedgerProjector.class);

  /**
   * What a projector does with chaincode events, in chain order; must be idempotent by chain
   * position.
   */
  public interface Handler {
    Future<Void> handle(List<ChainEvent> events);
  }

  private final Vertx vertx;
  private final Ledger ledger;
  private final ProjectorCheckpoints checkpoints;
  private final String name;
  private final Handler handler;
  private final String owner;
  private final Clock clock;

  /**
   * The verticle's context, taken at start: timers, lease renewals and feeds all run on it, so
   * {@code following} and {@code checkpoint} are only ever touched from one thread.
   */
  private Context context;

  private Ledger.Following following;
  private ChainPosition checkpoint = ChainPosition.NONE;
  private long leaseTimer = -1;
  private boolean stopped;
  private volatile String lastError;

  public LedgerProjector(
      Vertx vertx,
      Ledger ledger,
      ProjectorCheckpoints checkpoints,
      String name,
      Handler handler,
      String owner,
      Clock clock) {
    this.vertx = vertx;
    this.ledger = ledger;
    this.checkpoints = checkpoints;
    this.name = name;
    this.handler = handler;
    this.owner = owner;
    this.clock = clock;
  }

  public record ProjectorState(boolean active, long checkpointBlock, String lastError) {}

  /** Call on the verticle's context: the projector runs on it from now on. */
  public void start() {
    context = vertx.getOrCreateContext();
    leaseTimer = vertx.setPeriodic(RENEW_MILLIS, id -> holdLease());
    holdLease();
  }

  /**
   * Stops following and gives the lease up, so a restarted or other instance takes over at once.
   */
  public Future<Void> stop() {
    stopped = true;
    vertx.cancelTimer(leaseTimer);
    stopFollowing();
    return checkpoints.releaseLease(name, owner);
  }

  public ProjectorState state() {
    return new ProjectorState(following != null, checkpoint.blockNumber(), lastError);
  }

  private void holdLease() {
    if (stopped) {
      return;
    }
    Instant now = clock.instant();
    checkpoints
        .holdLease(name, owner, now, now.plus(LEASE))
        .onComplete(
            held -> {
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
    following =
        () -> {}; // taken: a lease renewal during the checkpoint read must not start a second feed
    checkpoints
        .checkpoint(name)
        .onComplete(
            read -> {
              if (read.failed() || stopped) {
                following = null;
                return;
              }
              checkpoint = read.result().orElse(ChainPosition.NONE);
              long startBlock = Math.max(0, checkpoint.blockNumber());
              LOG.info(
                  "Ledger projector {} following chaincode events from block {}", name, startBlock);
              following = ledger.follow(startBlock, this::apply, this::feedStopped);
            });
  }

  /**
   * May be called from the feed's own thread: hops to the verticle's context (from a thread outside
   * Vert.x, {@code vertx.runOnContext} would run on a new context, on any event loop).
   */
  private void feedStopped(Throwable failure) {
    context.runOnContext(
        v -> {
          lastError = failure.getClass().getSimpleName();
          LOG.warn(
              "Ledger projector {} stopped on a failure; resuming from the checkpoint",
              name,
              failure);
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

  /**
   * Chaincode events: those the checkpoint covers are skipped, the rest applied, then checkpointed.
   */
  Future<Void> apply(List<ChainEvent> events) {
    List<ChainEvent> fresh =
        events.stream().filter(event -> position(event).compareTo(checkpoint) > 0).toList();
    if (fresh.isEmpty()) {
      return Future.succeededFuture();
    }
    ChainPosition last = position(fresh.get(fresh.size() - 1));
    return handler
        .handle(fresh)
        .compose(v -> checkpoints.saveCheckpoint(name, last))
        .onSuccess(v -> checkpoint = last);
  }

  private static ChainPosition position(ChainEvent event) {
    return new ChainPosition(event.blockNumber(), event.txOrdinal(), 0);
  }

  /** The entries of the {@code PointsMoved} events among {@code events}, in chain order. */
  public static List<MovedEntry> movedEntries(List<ChainEvent> events) {
    List<MovedEntry> entries = new ArrayList<>();
    events.stream()
        .filter(event -> POINTS_MOVED.equals(event.name()))
        .forEach(event -> entries.addAll(movedEntries(event)));
    return entries;
  }

  /** The entries of a {@code PointsMoved} event, each at its chain position. */
  private static List<MovedEntry> movedEntries(ChainEvent event) {
    JsonArray items = event.payload().getJsonArray("entries");
    List<MovedEntry> entries = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      entries.add(
          movedEntry(
              items.getJsonObject(i),
              new ChainPosition(event.blockNumber(), event.txOrdinal(), i),
              event.txId()));
    }
    return entries;
  }

  /** An entry as the chaincode writes it (in its events and its entries), at its position. */
  static MovedEntry movedEntry(JsonObject item, ChainPosition position, String txId) {
    return new MovedEntry(
        position,
        txId,
        item.getString("entryId"),
        item.getString("memberId"),
        EntryKind.valueOf(item.getString("kind")),
        item.getLong("points"),
        item.getString("category"),
        item.getString("orgUnitId"),
        LocalDate.parse(item.getString("occurredOn")),
        item.getLong("balanceAfter"),
        lots(item.getJsonObject("lots")),
        lots(item.getJsonObject("lotsAfter")));
  }

  /**
   * Points per earning year ({@code lots} or {@code lotsAfter}); none on events written before the
   * chain kept them.
   */
  private static Map<Integer, Long> lots(JsonObject lots) {
    Map<Integer, Long> byYear = new HashMap<>();
    if (lots != null) {
      lots.forEach(
          lot -> byYear.put(Integer.parseInt(lot.getKey()), ((Number) lot.getValue()).longValue()));
    }
    return byYear;
  }
}
