package org.civicpoints.api.domain;

import java.time.LocalDate;
import java.util.Map;

/**
 * One entry of a {@code PointsMoved} chaincode event, at its chain position. {@code points} is
 * signed (a reversal is negative) and {@code occurredOn} is the day of the original activity, also
 * for a reversal, so read models subtract it in the period it was earned. {@code lots} is what the
 * entry moved per earning year, unsigned, as the chain split it (empty on events from before lots);
 * {@code lotsAfter} what each lot the entry touched holds after it, signed, as the chain's account
 * has it (a migrated lot and a debt moved to another lot included; empty on events from before the
 * chain said it).
 */
public record MovedEntry(
    ChainPosition position,
    String txId,
    String entryId,
    String memberId,
    EntryKind kind,
    long points,
    String category,
    String orgUnitId,
    LocalDate occurredOn,
    long balanceAfter,
    Map<Integer, Long> lots,
    Map<Integer, Long> lotsAfter) {

  public MovedEntry {
    lots = Map.copyOf(lots);
    lotsAfter = Map.copyOf(lotsAfter);
  }
}
