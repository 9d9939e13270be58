package org.civicpoints.devnet;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The committed key-value state of the chaincode's namespace and each key's history.
 *
 * <p>Simulations read through a {@link View}, which holds the read lock so a whole simulation sees
 * one committed state (as Fabric's transaction simulator holds the state lock). The committer is
 * the only writer; it reads without the lock and takes the write lock only to apply a committed
 * block.
 */
final class WorldState {

  /** A committed value and the version of the transaction that wrote it. */
  record VersionedValue(byte[] value, Version version) {}

  /** One entry of a key's history, as GetHistoryForKey reports it. */
  record Modification(String txId, Instant timestamp, byte[] value, boolean deleted) {}

  /** A committed write: a null value deletes the key. */
  record Write(String key, byte[] value, Version version, String txId, Instant timestamp) {}

  private final TreeMap<String, VersionedValue> entries = new TreeMap<>(KeyOrder.CODE_POINT);
  private final Map<String, List<Modification>> history = new HashMap<>();
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

  /** Committer only (or once it stopped): each key's modifications, oldest first. */
  Map<String, List<Modification>> history() {
    return Collections.unmodifiableMap(history);
  }

  /**
   * Restores one key from a checkpoint before anyone reads the state: its modifications, oldest
   * first, and the version of its current value (the last modification's), or null if deleted.
   */
  void restore(String key, List<Modification> modifications, Version current) {
    history.put(key, modifications);
    if (current != null) {
      entries.put(
          key, new VersionedValue(modifications.get(modifications.size() - 1).value(), current));
    }
  }

  View openView() {
    lock.readLock().lock();
    return new View();
  }

  /** Committer only: the committed value of a key, or null. */
  VersionedValue committed(String key) {
    return entries.get(key);
  }

  /** Committer only: committed entries from start (inclusive) to end (exclusive; null = no end). */
  NavigableMap<String, VersionedValue> committedRange(String start, String end) {
    return end == null ? entries.tailMap(start, true) : subMap(start, end);
  }

  void apply(List<Write> writes) {
    lock.writeLock().lock();
    try {
      for (Write write : writes) {
        if (write.value() == null) {
          entries.remove(write.key());
        } else {
          entries.put(write.key(), new VersionedValue(write.value(), write.version()));
        }
        history
            .computeIfAbsent(write.key(), key -> new ArrayList<>())
            .add(
                new Modification(
                    write.txId(), write.timestamp(), write.value(), write.value() == null));
      }
    } finally {
      lock.writeLock().unlock();
    }
  }

  private NavigableMap<String, VersionedValue> subMap(String start, String end) {
    if (KeyOrder.compare(start, end) >= 0) {
      return Collections.emptyNavigableMap();
    }
    return entries.subMap(start, true, end, false);
  }

  /** A read-only view of committed state for one simulation; close it to let commits proceed. */
  final class View implements AutoCloseable {

    private boolean open = true;

    VersionedValue get(String key) {
      return entries.get(key);
    }

    Iterator<Map.Entry<String, VersionedValue>> range(String start, String end) {
      return committedRange(start, end).entrySet().iterator();
    }

    /** Newest first, as Fabric 2.x returns key history. */
    List<Modification> history(String key) {
      List<Modification> modifications = new ArrayList<>(history.getOrDefault(key, List.of()));
      Collections.reverse(modifications);
      return modifications;
    }

    @Override
    public void close() {
      if (open) {
        open = false;
        lock.readLock().unlock();
      }
    }
  }
}
