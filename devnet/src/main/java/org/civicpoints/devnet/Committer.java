package org.civicpoints.devnet;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRWSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRead;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVWrite;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.RangeQueryInfo;
import org.hyperledger.fabric.protos.peer.TxValidationCode;

/**
 * The peer's committer on one thread: takes each block the orderer cuts, validates its transactions
 * in order (duplicate transaction id, MVCC read versions, phantom reads, each against committed
 * state plus the block's earlier valid writes), appends the block with its transactions filter to
 * the log, then applies it and wakes whoever waits for it, and now and then writes a state
 * checkpoint.
 */
final class Committer implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(Committer.class.getName());
  private static final Duration IDLE_WAIT = Duration.ofMillis(50);

  /** Marks a key deleted by an earlier transaction of the block being validated. */
  private static final Version DELETED = new Version(-1, -1);

  private final Ledger ledger;
  private final BlockLog log;
  private final Orderer orderer;
  private final Faults faults;
  private final StateCheckpoint checkpoint;
  private final Thread thread;
  private volatile boolean running = true;
  private volatile boolean failed;

  Committer(
      Ledger ledger, BlockLog log, Orderer orderer, Faults faults, StateCheckpoint checkpoint) {
    this.ledger = ledger;
    this.log = log;
    this.orderer = orderer;
    this.faults = faults;
    this.checkpoint = checkpoint;
    this.thread = new Thread(this::run, "devnet-committer");
    this.thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  /** True once a block could not be written: the peer then accepts no more transactions. */
  boolean failed() {
    return failed;
  }

  /** Commits what is already queued (unless commits are paused), then stops. */
  @Override
  public void close() throws InterruptedException {
    running = false;
    faults.wakeCommitter();
    thread.join();
  }

  private void run() {
    try {
      while (running) {
        if (!faults.awaitCommitsAllowed(IDLE_WAIT)) {
          continue;
        }
        List<SubmittedTransaction> batch = orderer.nextBatch(IDLE_WAIT);
        if (heldByPause(batch)) {
          // What was submitted during the pause joins the held block, as if cut now.
          orderer.topUp(batch);
        }
        if (!batch.isEmpty() && faults.commitsPaused()) {
          dropUnordered(batch.size());
        } else if (!batch.isEmpty()) {
          commit(batch);
        }
      }
      for (List<SubmittedTransaction> batch : orderer.drain()) {
        if (faults.commitsPaused()) {
          dropUnordered(batch.size());
        } else {
          commit(batch);
        }
      }
    } catch (IOException | RuntimeException e) {
      failed = true;
      LOG.log(
          System.Logger.Level.ERROR,
          "cannot commit a block; the devnet accepts no more transactions",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Waits while a pause that began as the block was being cut lasts; true if it had to wait. */
  private boolean heldByPause(List<SubmittedTransaction> batch) throws InterruptedException {
    boolean held = false;
    while (!batch.isEmpty() && running && !faults.awaitCommitsAllowed(IDLE_WAIT)) {
      held = true;
    }
    return held;
  }

  /** Closing while commits are paused loses what was not ordered yet, as an orderer crash would. */
  private static void dropUnordered(int count) {
    LOG.log(
        System.Logger.Level.WARNING,
        "closing with commits paused: {0} submitted transactions were never ordered",
        count);
  }

  /** Validates, persists and applies one block. Only the committer thread calls this. */
  void commit(List<SubmittedTransaction> batch) throws IOException {
    long number = ledger.height();
    BlockUpdates updates = new BlockUpdates(ledger.state());
    Set<String> txIdsInBlock = new HashSet<>();
    List<CommittedBlock.Outcome> outcomes = new ArrayList<>(batch.size());
    List<ByteString> envelopes = new ArrayList<>(batch.size());
    byte[] codes = new byte[batch.size()];
    for (int i = 0; i < batch.size(); i++) {
      SubmittedTransaction submitted = batch.get(i);
      TxValidationCode code = validate(submitted, updates, txIdsInBlock);
      if (code == TxValidationCode.VALID) {
        updates.write(submitted.transaction().readWriteSet(), new Version(number, i));
      }
      txIdsInBlock.add(submitted.txId());
      codes[i] = (byte) code.getNumber();
      envelopes.add(submitted.envelope().toByteString());
      outcomes.add(
          new CommittedBlock.Outcome(
              submitted.txId(),
              code,
              code == TxValidationCode.VALID ? submitted.transaction() : null));
    }
    Block block = Blocks.build(number, ledger.lastHeaderHash(), envelopes, codes);
    log.append(block);
    ledger.append(new CommittedBlock(block, outcomes));
    checkpoint.committed(ledger, log);
  }

  private TxValidationCode validate(
      SubmittedTransaction submitted, BlockUpdates updates, Set<String> txIdsInBlock) {
    if (submitted.precheck() != TxValidationCode.VALID) {
      return submitted.precheck();
    }
    if (txIdsInBlock.contains(submitted.txId()) || ledger.location(submitted.txId()).isPresent()) {
      return TxValidationCode.DUPLICATE_TXID;
    }
    KVRWSet readWriteSet = submitted.transaction().readWriteSet();
    for (KVRead read : readWriteSet.getReadsList()) {
      if (!java.util.Objects.equals(updates.versionOf(read.getKey()), Version.of(read))) {
        return TxValidationCode.MVCC_READ_CONFLICT;
      }
    }
    for (RangeQueryInfo range : readWriteSet.getRangeQueriesInfoList()) {
      if (!updates.rangeUnchanged(range)) {
        return TxValidationCode.PHANTOM_READ_CONFLICT;
      }
    }
    return TxValidationCode.VALID;
  }

  /** Committed state overlaid with the writes of the block's earlier valid transactions. */
  static final class BlockUpdates {

    private final WorldState state;
    private final TreeMap<String, Version> written = new TreeMap<>(KeyOrder.CODE_POINT);

    BlockUpdates(WorldState state) {
      this.state = state;
    }

    Version versionOf(String key) {
      Version pending = written.get(key);
      if (pending != null) {
        return pending == DELETED ? null : pending;
      }
      WorldState.VersionedValue committed = state.committed(key);
      return committed == null ? null : committed.version();
    }

    void write(KVRWSet readWriteSet, Version version) {
      for (KVWrite write : readWriteSet.getWritesList()) {
        written.put(write.getKey(), write.getIsDelete() ? DELETED : version);
      }
    }

    /**
     * Re-runs a recorded range query: the keys and versions it returns now must be the ones the
     * simulation saw, up to the last key read when the chaincode stopped early.
     */
    boolean rangeUnchanged(RangeQueryInfo range) {
      String end = range.getEndKey().isEmpty() ? null : range.getEndKey();
      Iterator<Map.Entry<String, Version>> now = merged(range.getStartKey(), end);
      for (KVRead seen : range.getRawReads().getKvReadsList()) {
        if (!now.hasNext()) {
          return false;
        }
        Map.Entry<String, Version> current = now.next();
        if (!current.getKey().equals(seen.getKey())
            || !current.getValue().equals(Version.of(seen))) {
          return false;
        }
      }
      return !range.getItrExhausted() || !now.hasNext();
    }

    private Iterator<Map.Entry<String, Version>> merged(String start, String end) {
      NavigableMap<String, Version> pending =
          end == null
              ? written.tailMap(start, true)
              : KeyOrder.compare(start, end) >= 0
                  ? new TreeMap<>()
                  : written.subMap(start, true, end, false);
      return new MergedRange(
          state.committedRange(start, end).entrySet().iterator(), pending.entrySet().iterator());
    }
  }

  /**
   * Committed entries and pending writes merged in key order; pending writes win, deletes vanish.
   */
  private static final class MergedRange implements Iterator<Map.Entry<String, Version>> {

    private final Iterator<Map.Entry<String, WorldState.VersionedValue>> committed;
    private final Iterator<Map.Entry<String, Version>> pending;
    private Map.Entry<String, WorldState.VersionedValue> nextCommitted;
    private Map.Entry<String, Version> nextPending;
    private Map.Entry<String, Version> next;

    MergedRange(
        Iterator<Map.Entry<String, WorldState.VersionedValue>> committed,
        Iterator<Map.Entry<String, Version>> pending) {
      this.committed = committed;
      this.pending = pending;
      this.nextCommitted = committed.hasNext() ? committed.next() : null;
      this.nextPending = pending.hasNext() ? pending.next() : null;
      advance();
    }

    @Override
    public boolean hasNext() {
      return next != null;
    }

    @Override
    public Map.Entry<String, Version> next() {
      if (next == null) {
        throw new java.util.NoSuchElementException();
      }
      Map.Entry<String, Version> current = next;
      advance();
      return current;
    }

    private void advance() {
      next = null;
      while (next == null && (nextCommitted != null || nextPending != null)) {
        int order =
            nextCommitted == null
                ? 1
                : nextPending == null
                    ? -1
                    : KeyOrder.compare(nextCommitted.getKey(), nextPending.getKey());
        if (order < 0) {
          next = Map.entry(nextCommitted.getKey(), nextCommitted.getValue().version());
          nextCommitted = committed.hasNext() ? committed.next() : null;
          continue;
        }
        if (order == 0) {
          nextCommitted = committed.hasNext() ? committed.next() : null;
        }
        if (nextPending.getValue() != DELETED) {
          next = Map.entry(nextPending.getKey(), nextPending.getValue());
        }
        nextPending = pending.hasNext() ? pending.next() : null;
      }
    }
  }
}
