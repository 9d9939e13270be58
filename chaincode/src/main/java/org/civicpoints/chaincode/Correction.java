package org.civicpoints.chaincode;

import java.util.Optional;
import java.util.function.BiFunction;
import org.json.JSONObject;

/**
 * What a reversal and a refund share: each corrects one earlier entry of one kind, its target, once
 * and for a reason; a retry is recognised by its kind, target and reason.
 */
enum Correction {
  REVERSAL(
      EntryKind.REVERSAL,
      "targetEntryId",
      EntryKind.AWARD,
      "an AWARD",
      "reversed",
      PointsError.ALREADY_REVERSED,
      WorldState::reversalOf),
  REFUND(
      EntryKind.REFUND,
      "redemptionEntryId",
      EntryKind.REDEMPTION,
      "a REDEMPTION",
      "refunded",
      PointsError.ALREADY_REFUNDED,
      WorldState::refundOf);

  static final int MAX_REASON_LENGTH = 500;

  private final EntryKind recordedAs;
  private final String targetField;
  private final EntryKind targetKind;
  private final String aTarget;
  private final String corrected;
  private final PointsError already;
  private final BiFunction<WorldState, String, Optional<String>> previous;

  Correction(
      final EntryKind recordedAs,
      final String targetField,
      final EntryKind targetKind,
      final String aTarget,
      final String corrected,
      final PointsError already,
      final BiFunction<WorldState, String, Optional<String>> previous) {
    this.recordedAs = recordedAs;
    this.targetField = targetField;
    this.targetKind = targetKind;
    this.aTarget = aTarget;
    this.corrected = corrected;
    this.already = already;
    this.previous = previous;
  }

  /** Builds a request from its entry id, its target's id, the reason and the actor. */
  interface Factory<T> {
    T of(String entryId, String targetId, String reason, String actor);
  }

  <T> T parse(final JSONObject json, final Factory<T> factory) {
    final Fields fields = Fields.of(json);
    return factory.of(
        fields.id("entryId"),
        fields.id(targetField),
        fields.text("reason", MAX_REASON_LENGTH),
        fields.id("actor"));
  }

  boolean isRecordedAs(final Entry entry, final String targetId, final String reason) {
    return entry.is(recordedAs)
        && targetId.equals(entry.targetEntryId())
        && reason.equals(entry.reason());
  }

  /** The target entry, if it exists, is of the kind this corrects and was not corrected before. */
  Entry target(final TxScope tx, final String targetId) {
    final Entry target =
        tx.state()
            .entry(targetId)
            .orElseThrow(
                () -> PointsError.NOT_FOUND.exception("entry " + targetId + " does not exist"));
    if (!target.is(targetKind)) {
      throw PointsError.INVALID_ARGUMENT.exception(
          "entry "
              + targetId
              + " is a "
              + target.kind()
              + "; only "
              + aTarget
              + " can be "
              + corrected);
    }
    previous
        .apply(tx.state(), targetId)
        .ifPresent(
            first -> {
              throw already.exception(
                  "entry " + targetId + " was already " + corrected + " by " + first);
            });
    return target;
  }
}
