package org.civicpoints.api.service;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Leaderboard reads done lately, answered again while the projected block is the one they were read
 * at, for at most {@code maxAge}. A board page is the same for every reader allowed to see it
 * (names are masked by each member's own choice) and changes only when the projector moves
 * standings on (a new block) or a member changes their name or visibility; the members a board
 * leaves out change only with visibility and party membership. So {@code maxAge} is how late such a
 * member's change may show on a board, on this instance and on every other alike: no instance needs
 * to tell the others. Bounded: the least recently used read goes first.
 */
final class RecentBoardReads<V> {

  private record Kept<V>(V value, long block, long readAtNanos) {}

  private final Map<String, Kept<V>> reads;
  private final long maxAgeNanos;
  private final LongSupplier nanoTime;

  /**
   * {@code nanoTime}: a monotonic clock ({@link System#nanoTime}): ages are durations, not the
   * civic time of the day.
   */
  RecentBoardReads(int capacity, Duration maxAge, LongSupplier nanoTime) {
    this.maxAgeNanos = maxAge.toNanos();
    this.nanoTime = nanoTime;
    this.reads =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Kept<V>> eldest) {
            return size() > capacity;
          }
        };
  }

  /** What was read at {@code block} within {@code maxAge}, if anything. */
  synchronized Optional<V> find(String key, long block) {
    Kept<V> kept = reads.get(key);
    if (kept == null
        || kept.block() != block
        || nanoTime.getAsLong() - kept.readAtNanos() >= maxAgeNanos) {
      return Optional.empty();
    }
    return Optional.of(kept.value());
  }

  /** Forgets {@code value} under {@code key}, unless another has taken its place. */
  synchronized void forget(String key, V value) {
    Kept<V> kept = reads.get(key);
    if (kept != null && kept.value() == value) {
      reads.remove(key);
    }
  }

  /** Forgets every read: what a member withdrew must not show on the next read (consents). */
  synchronized void forgetAll() {
    reads.clear();
  }

  synchronized void keep(String key, long block, V value) {
    reads.put(key, new Kept<>(value, block, nanoTime.getAsLong()));
  }
}
