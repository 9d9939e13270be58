package org.civicpoints.api.port;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * Where the store keeps things about a member, in one place: what a data export reads section by
 * section, and what deleting an account erases besides the member record itself.
 */
public interface MemberData {

  /** The parts of a data export, each one JSON file of the ZIP. */
  enum Section {
    PROFILE("profile"),
    SUBMISSIONS("submissions"),
    ATTENDANCE("attendance"),
    NOTIFICATIONS("notifications"),
    NOTIFICATION_PREFERENCES("notification-preferences"),
    DEVICES("devices"),
    SIGN_INS("sign-ins"),
    BALANCE("balance"),
    LEDGER_ENTRIES("ledger-entries"),
    REDEMPTIONS("redemptions"),
    CONSENTS("consents"),
    COMMUNITY_CHANGES("community-changes"),
    EVIDENCE("evidence"),
    WAITLIST("waitlist"),
    CERTIFICATES("certificates");

    private final String fileName;

    Section(String fileName) {
      this.fileName = fileName;
    }

    public String fileName() {
      return fileName + ".json";
    }
  }

  /**
   * Up to {@code limit} records of the section in id order, after {@code afterId} (null: from the
   * first), as stored (dates as ISO-8601 strings); each has its id as {@code _id}.
   */
  Future<List<JsonObject>> page(Section section, String memberId, String afterId, int limit);

  /** Ids of every evidence photo the member uploaded. */
  Future<List<String>> evidenceIds(String memberId);

  /**
   * Deletes the member's devices, refresh tokens and sign-ins, evidence records and the evidence
   * (notes, photo ids, location) of their submissions. Idempotent.
   */
  Future<Void> eraseTraces(String memberId);

  /** Notes that the member's account was deleted at {@code at}, for every instance to read. */
  Future<Void> noteDeletion(String memberId, Instant at);

  /** Members whose accounts were deleted at or after {@code since}. */
  Future<Set<String>> deletedSince(Instant since);
}
