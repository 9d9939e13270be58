package org.civicpoints.api.domain;

import java.time.LocalDate;

/**
 * One entry of a {@code PointsMoved} chaincode event, at its chain position. {@code points} is
 * signed (a reversal is negative) and {@code occurredOn} is the day of the original activity, also
 * for a reversal, so read models subtract it in the period it was earned.
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
    long balanceAfter) {}
