package org.civicpoints.api.domain;

/**
 * Where a ledger entry sits on the chain: block, the ordinal of its transaction among the chaincode
 * events of that block, and its index inside the transaction's event. Read models apply an entry
 * only when its position is past the last one they applied, so replaying any range of events
 * changes nothing.
 */
public record ChainPosition(long blockNumber, int txOrdinal, int entryIndex)
    implements Comparable<ChainPosition> {

  public static final ChainPosition NONE = new ChainPosition(-1, 0, 0);

  public ChainPosition {
    if (txOrdinal < 0 || txOrdinal >= 1 << 20 || entryIndex < 0 || entryIndex >= 1 << 11) {
      throw new IllegalArgumentException(
          "position out of range: " + blockNumber + "/" + txOrdinal + "/" + entryIndex);
    }
  }

  /**
   * One totally ordered number, for conditional updates in MongoDB ({@code lastPosition < this}).
   */
  public long asLong() {
    return (blockNumber << 31) | ((long) txOrdinal << 11) | entryIndex;
  }

  /** The position {@link #asLong()} was made of. */
  public static ChainPosition ofLong(long position) {
    return new ChainPosition(
        position >> 31, (int) ((position >> 11) & ((1 << 20) - 1)), (int) (position & 2047));
  }

  @Override
  public int compareTo(ChainPosition other) {
    return Long.compare(asLong(), other.asLong());
  }
}
