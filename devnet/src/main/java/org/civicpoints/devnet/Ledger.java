package org.civicpoints.devnet;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVWrite;
import org.hyperledger.fabric.protos.peer.ChaincodeEvent;
import org.hyperledger.fabric.protos.peer.TxValidationCode;

/**
 * What the peer knows of its committed chain: world state and history, where each transaction id
 * was committed and with which code, the chaincode events of each block and the height. Live
 * commits and replay on start go through the same {@link #append}.
 */
final class Ledger {

  /** Where a transaction id was first committed. */
  record TxLocation(long blockNumber, int txIndex, TxValidationCode code) {}

  /** A valid transaction's chaincode event and its position in its block. */
  record EmittedEvent(int txIndex, String txId, ChaincodeEvent event) {}

  private final WorldState state;
  private final ConcurrentHashMap<String, TxLocation> locations;
  private final ConcurrentHashMap<String, Set<CompletableFuture<TxLocation>>> commitWaiters =
      new ConcurrentHashMap<>();
  private final List<List<EmittedEvent>> eventsByBlock;
  private long height;
  private ByteString lastHeaderHash;

  /** An empty ledger, before the genesis block. */
  Ledger() {
    this(new WorldState(), new ConcurrentHashMap<>(), new ArrayList<>(), ByteString.EMPTY);
  }

  /**
   * A ledger as a checkpoint recorded it, one list of events per committed block.
   *
   * @param lastHeaderHash the header hash of the last committed block
   */
  Ledger(
      WorldState state,
      ConcurrentHashMap<String, TxLocation> locations,
      List<List<EmittedEvent>> eventsByBlock,
      ByteString lastHeaderHash) {
    this.state = state;
    this.locations = locations;
    this.eventsByBlock = eventsByBlock;
    this.height = eventsByBlock.size();
    this.lastHeaderHash = lastHeaderHash;
  }

  WorldState state() {
    return state;
  }

  synchronized long height() {
    return height;
  }

  synchronized ByteString lastHeaderHash() {
    return lastHeaderHash;
  }

  void append(CommittedBlock block) {
    long number = block.number();
    state.apply(writes(block));
    List<EmittedEvent> events = new ArrayList<>();
    for (int i = 0; i < block.outcomes().size(); i++) {
      CommittedBlock.Outcome outcome = block.outcomes().get(i);
      if (!outcome.txId().isEmpty()) {
        locations.putIfAbsent(outcome.txId(), new TxLocation(number, i, outcome.code()));
      }
      if (outcome.code() == TxValidationCode.VALID
          && outcome.transaction() != null
          && outcome.transaction().event() != null) {
        events.add(new EmittedEvent(i, outcome.txId(), outcome.transaction().event()));
      }
    }
    synchronized (this) {
      eventsByBlock.add(List.copyOf(events));
      height = number + 1;
      lastHeaderHash = Blocks.headerHash(block.block().getHeader());
      notifyAll();
    }
    for (CommittedBlock.Outcome outcome : block.outcomes()) {
      Set<CompletableFuture<TxLocation>> waiters = commitWaiters.remove(outcome.txId());
      if (waiters != null) {
        TxLocation location = locations.get(outcome.txId());
        waiters.forEach(waiter -> waiter.complete(location));
      }
    }
  }

  private static List<WorldState.Write> writes(CommittedBlock block) {
    List<WorldState.Write> writes = new ArrayList<>();
    for (int i = 0; i < block.outcomes().size(); i++) {
      CommittedBlock.Outcome outcome = block.outcomes().get(i);
      if (outcome.code() != TxValidationCode.VALID || outcome.transaction() == null) {
        continue;
      }
      Version version = new Version(block.number(), i);
      for (KVWrite write : outcome.transaction().readWriteSet().getWritesList()) {
        byte[] value = write.getIsDelete() ? null : write.getValue().toByteArray();
        writes.add(
            new WorldState.Write(
                write.getKey(), value, version, outcome.txId(), outcome.transaction().timestamp()));
      }
    }
    return writes;
  }

  /** Committer only (or once it stopped): where each transaction id was first committed. */
  Map<String, TxLocation> locations() {
    return Collections.unmodifiableMap(locations);
  }

  /** Committer only (or once it stopped): the events of each block, by block number. */
  List<List<EmittedEvent>> eventsByBlock() {
    return Collections.unmodifiableList(eventsByBlock);
  }

  Optional<TxLocation> location(String txId) {
    return Optional.ofNullable(locations.get(txId));
  }

  /** Completes when the transaction id is committed (at once if it already is). */
  CompletableFuture<TxLocation> whenCommitted(String txId) {
    CompletableFuture<TxLocation> waiter = new CompletableFuture<>();
    commitWaiters.computeIfAbsent(txId, id -> ConcurrentHashMap.newKeySet()).add(waiter);
    TxLocation committed = locations.get(txId);
    if (committed != null) {
      forgetWaiter(txId, waiter);
      waiter.complete(committed);
    }
    return waiter;
  }

  /** Forgets a waiter nobody listens to any more, so abandoned status requests do not pile up. */
  void forgetWaiter(String txId, CompletableFuture<TxLocation> waiter) {
    commitWaiters.computeIfPresent(
        txId,
        (id, waiters) -> {
          waiters.remove(waiter);
          return waiters.isEmpty() ? null : waiters;
        });
  }

  synchronized List<EmittedEvent> events(long blockNumber) {
    return eventsByBlock.get((int) blockNumber);
  }

  /** Waits until the chain is at least {@code minHeight} blocks high; false on timeout. */
  synchronized boolean awaitHeight(long minHeight, long timeout, TimeUnit unit)
      throws InterruptedException {
    long deadline = System.nanoTime() + unit.toNanos(timeout);
    while (height < minHeight) {
      long remaining = deadline - System.nanoTime();
      if (remaining <= 0) {
        return false;
      }
      TimeUnit.NANOSECONDS.timedWait(this, remaining);
    }
    return true;
  }

  /** Wakes event streams so they notice they were cancelled. */
  synchronized void wakeWaiters() {
    notifyAll();
  }
}
