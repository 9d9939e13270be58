package org.civicpoints.chaincode;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.hyperledger.fabric.shim.ChaincodeStub;
import org.json.JSONObject;

/**
 * The world state as one transaction sees it.
 *
 * <p>Fabric's {@code getState} returns committed state only, never this transaction's own writes,
 * and a batch may touch one member (or one entry id) several times. So writes are kept here, reads
 * look here first, and nothing reaches the stub until {@link #commit()}: a transaction that fails
 * half-way has written nothing. Only point keys are read; a range read in a write transaction would
 * be phantom-checked at commit and bring back conflicts.
 */
final class WorldState {
  static final String ACCOUNT = "account";
  static final String ENTRY = "entry";
  static final String RULE = "rule";
  static final String CAP_DAY = "capday";
  static final String CAP_YEAR = "capyear";
  static final String REVERSAL = "reversal";
  static final String REFUND = "refund";
  static final String MEMBER_ENTRY = "memberentry";

  private final ChaincodeStub stub;
  private final Map<String, String> pending = new LinkedHashMap<>();

  WorldState(final ChaincodeStub stub) {
    this.stub = stub;
  }

  Optional<Account> account(final String memberId) {
    return read(key(ACCOUNT, memberId)).map(Account::fromJson);
  }

  Optional<Entry> entry(final String entryId) {
    return read(key(ENTRY, entryId)).map(Entry::fromJson);
  }

  Optional<Rule> rule(final String ruleId) {
    return read(key(RULE, ruleId)).map(Rule::fromJson);
  }

  /** The id of the reversal entry that reversed {@code targetEntryId}, if any. */
  Optional<String> reversalOf(final String targetEntryId) {
    return read(key(REVERSAL, targetEntryId))
        .map(json -> new JSONObject(json).getString("entryId"));
  }

  /** The id of the refund entry that refunded {@code redemptionEntryId}, if any. */
  Optional<String> refundOf(final String redemptionEntryId) {
    return read(key(REFUND, redemptionEntryId))
        .map(json -> new JSONObject(json).getString("entryId"));
  }

  long capCounter(final CapPeriod period) {
    return read(capKey(period)).map(json -> new JSONObject(json).getLong("granted")).orElse(0L);
  }

  void putAccount(final Account account) {
    write(key(ACCOUNT, account.memberId()), account.toJson());
  }

  void putRule(final Rule rule) {
    write(key(RULE, rule.ruleId()), rule.toJson());
  }

  /**
   * Writes the entry and its place in the member's newest-first index; {@code sequence} is the
   * member's entry count including this entry.
   */
  void putEntry(final Entry entry, final long sequence) {
    write(key(ENTRY, entry.entryId()), entry.toJson());
    write(
        key(MEMBER_ENTRY, entry.memberId(), descending(sequence)),
        JsonWriter.object().put("entryId", entry.entryId()).toString());
  }

  void putReversal(final String targetEntryId, final String reversalEntryId) {
    write(
        key(REVERSAL, targetEntryId),
        JsonWriter.object().put("entryId", reversalEntryId).toString());
  }

  void putRefund(final String redemptionEntryId, final String refundEntryId) {
    write(
        key(REFUND, redemptionEntryId),
        JsonWriter.object().put("entryId", refundEntryId).toString());
  }

  void putCapCounter(final CapPeriod period, final long granted) {
    write(capKey(period), JsonWriter.object().put("granted", granted).toString());
  }

  /** Hands every buffered write to the stub, in the order the transaction made them. */
  void commit() {
    pending.forEach((key, value) -> stub.putState(key, value.getBytes(StandardCharsets.UTF_8)));
    pending.clear();
  }

  /** Zero-padded so that key order is newest first. */
  static String descending(final long sequence) {
    return String.format("%019d", Long.MAX_VALUE - sequence);
  }

  private String capKey(final CapPeriod period) {
    return period.isDay()
        ? key(CAP_DAY, period.memberId(), period.category(), period.period())
        : key(CAP_YEAR, period.memberId(), period.category(), period.period());
  }

  private String key(final String type, final String... attributes) {
    return stub.createCompositeKey(type, attributes).toString();
  }

  private Optional<String> read(final String key) {
    final String written = pending.get(key);
    if (written != null) {
      return Optional.of(written);
    }
    final byte[] committed = stub.getState(key);
    if (committed == null || committed.length == 0) {
      return Optional.empty();
    }
    return Optional.of(new String(committed, StandardCharsets.UTF_8));
  }

  private void write(final String key, final String value) {
    pending.put(key, value);
  }
}
