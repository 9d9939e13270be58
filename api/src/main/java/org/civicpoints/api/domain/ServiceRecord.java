package org.civicpoints.api.domain;

import java.time.LocalDate;

/**
 * One chain-recorded entry of a member's service, as certificates and star levels count it: an
 * award, or a reversal that takes back its award's points and units. {@code awardEntryId} is the
 * award's id (its own for an award); {@code units} and {@code points} are signed (negative for a
 * reversal). A VOLUNTEER unit is an hour of service.
 */
public record ServiceRecord(
    String entryId,
    String awardEntryId,
    String memberId,
    EntryKind kind,
    Category category,
    long units,
    long points,
    LocalDate occurredOn,
    String communityId,
    String activityTitle,
    String txId,
    long blockNumber) {

  /** A reversal's entry id is "rv_" + its award's (the award's is its submission's id). */
  public static String reversalIdOf(String awardEntryId) {
    return "rv_" + awardEntryId;
  }

  /** The hours of service this record counts: VOLUNTEER units, none for other categories. */
  public long hours() {
    return category == Category.VOLUNTEER ? units : 0;
  }
}
