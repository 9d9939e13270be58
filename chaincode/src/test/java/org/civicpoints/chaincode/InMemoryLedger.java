package org.civicpoints.chaincode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Committed world state and key history, as a peer's ledger holds them. Only {@link
 * #commit(InMemoryStub)} changes it, the way a block's valid transaction would.
 */
final class InMemoryLedger {
  private final TreeMap<String, byte[]> state = new TreeMap<>();
  private final Map<String, List<HistoryRecord>> history = new TreeMap<>();

  record HistoryRecord(String txId, Instant timestamp, byte[] value) {}

  byte[] committed(final String key) {
    final byte[] value = state.get(key);
    return value == null ? new byte[0] : value.clone();
  }

  NavigableMap<String, byte[]> range(final String startInclusive, final String endExclusive) {
    return state.subMap(startInclusive, true, endExclusive, false);
  }

  List<HistoryRecord> history(final String key) {
    return List.copyOf(history.getOrDefault(key, List.of()));
  }

  void commit(final InMemoryStub tx) {
    tx.writes()
        .forEach(
            (key, value) -> {
              state.put(key, value.clone());
              history
                  .computeIfAbsent(key, k -> new ArrayList<>())
                  .add(new HistoryRecord(tx.getTxId(), tx.getTxTimestamp(), value.clone()));
            });
  }

  /** Puts a value as an older chaincode version would have committed it (migration tests). */
  void seed(final String key, final byte[] value) {
    state.put(key, value.clone());
  }

  /** A copy of all committed keys and values, to compare ledgers before and after a call. */
  Map<String, String> snapshot() {
    final Map<String, String> copy = new TreeMap<>();
    state.forEach((key, value) -> copy.put(key, Arrays.toString(value)));
    return copy;
  }

  Map<String, byte[]> entriesOfType(final String prefix) {
    return state.subMap(prefix, true, prefix + Character.toString(0x10FFFF), false);
  }
}
