package org.civicpoints.chaincode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import org.hyperledger.fabric.contract.ClientIdentity;
import org.hyperledger.fabric.contract.Context;
import org.hyperledger.fabric.contract.ContractInterface;
import org.hyperledger.fabric.contract.annotation.Contact;
import org.hyperledger.fabric.contract.annotation.Contract;
import org.hyperledger.fabric.contract.annotation.Default;
import org.hyperledger.fabric.contract.annotation.Info;
import org.hyperledger.fabric.contract.annotation.License;
import org.hyperledger.fabric.contract.annotation.Transaction;
import org.hyperledger.fabric.shim.ChaincodeStub;
import org.hyperledger.fabric.shim.ledger.CompositeKey;
import org.hyperledger.fabric.shim.ledger.KeyModification;
import org.hyperledger.fabric.shim.ledger.KeyValue;
import org.hyperledger.fabric.shim.ledger.QueryResultsIterator;
import org.hyperledger.fabric.shim.ledger.QueryResultsIteratorWithMetadata;
import org.json.JSONArray;
import org.json.JSONObject;

/**
 * The {@code points} contract: the source of truth for every civic point.
 *
 * <p>Every argument and every result is a JSON string. Errors are {@code ChaincodeException}s whose
 * message starts with a {@link PointsError} code. Every transaction that changes state emits
 * exactly one event. The class holds no state: the devnet and the chaincode server both create it
 * once and call it from many transactions.
 */
@Contract(
    name = "points",
    info =
        @Info(
            title = "civic points",
            description = "Accounts, entries, rules and caps of civic points",
            version = "1.0",
            license = @License(name = "Apache-2.0"),
            contact = @Contact(name = "civic-points")))
@Default
public final class PointsContract implements ContractInterface {
  static final String ROLE_ATTRIBUTE = "civic.role";
  static final String LEDGER_WRITER = "ledger-writer";
  static final String RULES_ADMIN = "rules-admin";
  static final String POINTS_MOVED = "PointsMoved";
  static final String RULE_CHANGED = "RuleChanged";
  static final int MAX_BATCH = 500;
  static final int MAX_PAGE_SIZE = 100;
  static final int MAX_ACCOUNT_PAGE_SIZE = 1_000;

  /**
   * Creates a rule (version 1) or its next version. A retry of the version already stored with the
   * same content is DUPLICATE; anything else out of sequence is CONFLICT.
   */
  @Transaction(intent = Transaction.TYPE.SUBMIT)
  public String PutRule(final Context ctx, final String ruleJson) {
    requireRole(ctx, RULES_ADMIN);
    final Rule rule = Rule.fromRequest(Fields.of(Fields.parseObject(ruleJson, "ruleJson")));
    final TxScope tx = TxScope.of(ctx.getStub());
    final Optional<Rule> current = tx.state().rule(rule.ruleId());
    if (current.isPresent() && current.get().version() == rule.version()) {
      if (current.get().equals(rule)) {
        return ruleResult(WriteStatus.DUPLICATE, rule);
      }
      throw PointsError.CONFLICT.exception(
          "rule "
              + rule.ruleId()
              + " version "
              + rule.version()
              + " exists with different content");
    }
    final long expected = current.map(r -> r.version() + 1).orElse(1L);
    if (rule.version() != expected) {
      throw PointsError.CONFLICT.exception(
          "rule " + rule.ruleId() + " version must be " + expected + ", not " + rule.version());
    }
    tx.state().putRule(rule);
    tx.state().commit();
    ctx.getStub().setEvent(RULE_CHANGED, utf8(rule.toJson()));
    return ruleResult(WriteStatus.RECORDED, rule);
  }

  /** Records a batch of 1..500 awards; each item gets its own status, see {@link AwardResult}. */
  @Transaction(intent = Transaction.TYPE.SUBMIT)
  public String RecordAwards(final Context ctx, final String awardsJson) {
    requireRole(ctx, LEDGER_WRITER);
    final JSONArray items = Fields.parseArray(awardsJson, "awardsJson");
    if (items.isEmpty() || items.length() > MAX_BATCH) {
      throw PointsError.INVALID_ARGUMENT.exception(
          "awardsJson must hold 1 to " + MAX_BATCH + " awards, not " + items.length());
    }
    final TxScope tx = TxScope.of(ctx.getStub());
    final AwardRecorder recorder = new AwardRecorder(tx);
    final List<String> results = new ArrayList<>(items.length());
    for (final Object item : items) {
      results.add(recorder.record(item).toJson());
    }
    final List<Entry> recorded = recorder.recorded();
    if (!recorded.isEmpty()) {
      tx.state().commit();
      emitPointsMoved(ctx.getStub(), recorded);
    }
    return JsonWriter.array(results);
  }

  /** Spends points on a reward; idempotent by entryId. */
  @Transaction(intent = Transaction.TYPE.SUBMIT)
  public String Redeem(final Context ctx, final String redemptionJson) {
    requireRole(ctx, LEDGER_WRITER);
    final RedeemRequest request =
        RedeemRequest.from(Fields.parseObject(redemptionJson, "redemptionJson"));
    return recordOnce(
        ctx, request.entryId(), request::isRecordedAs, tx -> List.of(request.apply(tx)));
  }

  /** Reverses one AWARD once; the balance may go negative. */
  @Transaction(intent = Transaction.TYPE.SUBMIT)
  public String Reverse(final Context ctx, final String reversalJson) {
    requireRole(ctx, LEDGER_WRITER);
    final ReverseRequest request =
        ReverseRequest.from(Fields.parseObject(reversalJson, "reversalJson"));
    return recordOnce(
        ctx, request.entryId(), request::isRecordedAs, tx -> List.of(request.apply(tx)));
  }

  /** Gives back what one REDEMPTION spent, once (a cancelled redemption); idempotent by entryId. */
  @Transaction(intent = Transaction.TYPE.SUBMIT)
  public String RefundRedemption(final Context ctx, final String refundJson) {
    requireRole(ctx, LEDGER_WRITER);
    final RefundRequest request = RefundRequest.from(Fields.parseObject(refundJson, "refundJson"));
    return recordOnce(ctx, request.entryId(), request::isRecordedAs, request::apply);
  }

  /**
   * Moves what is left of one member's lot of an ended earning year to {@code expired}, once; a
   * replay of the same entryId is DUPLICATE, another Expire of the same lot ALREADY_EXPIRED.
   */
  @Transaction(intent = Transaction.TYPE.SUBMIT)
  public String Expire(final Context ctx, final String expiryJson) {
    requireRole(ctx, LEDGER_WRITER);
    final ExpireRequest request = ExpireRequest.from(Fields.parseObject(expiryJson, "expiryJson"));
    return recordOnce(
        ctx, request.entryId(), request::isRecordedAs, tx -> List.of(request.apply(tx)));
  }

  @Transaction(intent = Transaction.TYPE.EVALUATE)
  public String GetAccount(final Context ctx, final String memberId) {
    Fields.checkId("memberId", memberId);
    return Account.existing(new WorldState(ctx.getStub()), memberId).toJson();
  }

  @Transaction(intent = Transaction.TYPE.EVALUATE)
  public String GetEntry(final Context ctx, final String entryId) {
    Fields.checkId("entryId", entryId);
    return new WorldState(ctx.getStub())
        .entry(entryId)
        .orElseThrow(() -> PointsError.NOT_FOUND.exception("entry " + entryId + " does not exist"))
        .toJson();
  }

  @Transaction(intent = Transaction.TYPE.EVALUATE)
  public String GetRule(final Context ctx, final String ruleId) {
    Fields.checkId("ruleId", ruleId);
    return new WorldState(ctx.getStub())
        .rule(ruleId)
        .orElseThrow(() -> PointsError.NOT_FOUND.exception("rule " + ruleId + " does not exist"))
        .toJson();
  }

  /** A member's entries, newest first, {@code pageSize} (1..100) at a time. */
  @Transaction(intent = Transaction.TYPE.EVALUATE)
  public String ListEntries(
      final Context ctx, final String memberId, final String pageSize, final String bookmark) {
    Fields.checkId("memberId", memberId);
    final int size = pageSize(pageSize, MAX_PAGE_SIZE);
    final ChaincodeStub stub = ctx.getStub();
    final WorldState state = new WorldState(stub);
    final List<String> entries = new ArrayList<>();
    try (QueryResultsIteratorWithMetadata<KeyValue> page =
        stub.getStateByPartialCompositeKeyWithPagination(
            stub.createCompositeKey(WorldState.MEMBER_ENTRY, memberId),
            size,
            bookmark == null ? "" : bookmark)) {
      for (final KeyValue indexed : page) {
        final String entryId = new JSONObject(indexed.getStringValue()).getString("entryId");
        // The index and the entry are written in the same transaction, so a gap is corruption.
        entries.add(
            state
                .entry(entryId)
                .orElseThrow(
                    () ->
                        new IllegalStateException(
                            "the entry index of member "
                                + memberId
                                + " names a missing entry "
                                + entryId))
                .toJson());
      }
      return JsonWriter.object()
          .putArray("entries", entries)
          .put("bookmark", page.getMetadata().getBookmark())
          .put("fetchedCount", page.getMetadata().getFetchedRecordsCount())
          .toString();
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw closeFailure(e);
    }
  }

  /**
   * Every account, in key order, {@code pageSize} (1..1000) at a time: a reconciliation reads the
   * whole chain's balances in few round trips. An empty bookmark starts at the first account; the
   * answer's empty bookmark means the last page.
   */
  @Transaction(intent = Transaction.TYPE.EVALUATE)
  public String ListAccounts(final Context ctx, final String pageSize, final String bookmark) {
    final int size = pageSize(pageSize, MAX_ACCOUNT_PAGE_SIZE);
    final ChaincodeStub stub = ctx.getStub();
    final CompositeKey accountKeys = stub.createCompositeKey(WorldState.ACCOUNT);
    final String from = bookmark == null ? "" : bookmark;
    // A bookmark is the next account's key; any other key would page through other assets.
    if (!from.isEmpty() && !from.startsWith(accountKeys.toString())) {
      throw PointsError.INVALID_ARGUMENT.exception("bookmark is not a bookmark of ListAccounts");
    }
    final List<String> accounts = new ArrayList<>();
    try (QueryResultsIteratorWithMetadata<KeyValue> page =
        stub.getStateByPartialCompositeKeyWithPagination(accountKeys, size, from)) {
      for (final KeyValue account : page) {
        accounts.add(Account.fromJson(account.getStringValue()).toJson());
      }
      return JsonWriter.object()
          .putArray("accounts", accounts)
          .put("bookmark", page.getMetadata().getBookmark())
          .put("fetchedCount", page.getMetadata().getFetchedRecordsCount())
          .toString();
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw closeFailure(e);
    }
  }

  /** Every committed version of a member's account, oldest first as the peer returns them. */
  @Transaction(intent = Transaction.TYPE.EVALUATE)
  public String GetAccountHistory(final Context ctx, final String memberId) {
    Fields.checkId("memberId", memberId);
    final ChaincodeStub stub = ctx.getStub();
    final List<String> versions = new ArrayList<>();
    try (QueryResultsIterator<KeyModification> history =
        stub.getHistoryForKey(stub.createCompositeKey(WorldState.ACCOUNT, memberId).toString())) {
      for (final KeyModification modification : history) {
        versions.add(historyItem(modification));
      }
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw closeFailure(e);
    }
    return JsonWriter.array(versions);
  }

  private static String historyItem(final KeyModification modification) {
    final JsonWriter item =
        JsonWriter.object()
            .put("txId", modification.getTxId())
            .put("timestamp", modification.getTimestamp().toString())
            .put("isDelete", modification.isDeleted());
    final byte[] value = modification.getValue();
    if (modification.isDeleted() || value == null || value.length == 0) {
      return item.put("account", (String) null).toString();
    }
    return item.putJson(
            "account", Account.fromJson(new String(value, StandardCharsets.UTF_8)).toJson())
        .toString();
  }

  /**
   * Applies a movement keyed by its entryId once: a retry finds the entry already stored and is
   * answered by {@link #replay} instead of moving the points again.
   */
  private static String recordOnce(
      final Context ctx,
      final String entryId,
      final Predicate<Entry> isSameRequest,
      final Function<TxScope, List<Entry>> apply) {
    final TxScope tx = TxScope.of(ctx.getStub());
    final Optional<Entry> existing = tx.state().entry(entryId);
    if (existing.isPresent()) {
      return replay(existing.get(), isSameRequest.test(existing.get()));
    }
    return record(ctx, tx, apply.apply(tx));
  }

  /** Commits one transaction's entries; the result describes the first, the one asked for. */
  private static String record(final Context ctx, final TxScope tx, final List<Entry> entries) {
    tx.state().commit();
    emitPointsMoved(ctx.getStub(), entries);
    return MoveResult.of(entries.get(0), WriteStatus.RECORDED).toJson();
  }

  private static String replay(final Entry existing, final boolean sameRequest) {
    if (!sameRequest) {
      throw PointsError.CONFLICT.exception(
          "entry " + existing.entryId() + " exists with different content");
    }
    return MoveResult.of(existing, WriteStatus.DUPLICATE).toJson();
  }

  private static void emitPointsMoved(final ChaincodeStub stub, final List<Entry> entries) {
    final List<String> moved = entries.stream().map(Entry::toEventJson).toList();
    stub.setEvent(POINTS_MOVED, utf8(JsonWriter.object().putArray("entries", moved).toString()));
  }

  private static String ruleResult(final WriteStatus status, final Rule rule) {
    return JsonWriter.object()
        .put("status", status.name())
        .putJson("rule", rule.toJson())
        .toString();
  }

  private static void requireRole(final Context ctx, final String role) {
    final ClientIdentity identity = ctx.getClientIdentity();
    final String actual = identity == null ? null : identity.getAttributeValue(ROLE_ATTRIBUTE);
    if (!role.equals(actual)) {
      throw PointsError.FORBIDDEN.exception(
          "this transaction needs the "
              + ROLE_ATTRIBUTE
              + " "
              + role
              + (actual == null ? "; the caller has no role" : "; the caller is " + actual));
    }
  }

  private static int pageSize(final String pageSize, final int max) {
    try {
      final int size = Integer.parseInt(pageSize == null ? "" : pageSize.trim());
      if (size >= 1 && size <= max) {
        return size;
      }
    } catch (NumberFormatException e) {
      // Falls through to the one message for every unusable page size.
    }
    throw PointsError.INVALID_ARGUMENT.exception(
        "pageSize must be a whole number from 1 to " + max);
  }

  /**
   * The shim's iterators declare a checked close; a failure there is the peer's, not the caller's.
   */
  private static IllegalStateException closeFailure(final Exception e) {
    return new IllegalStateException("closing a ledger iterator failed: " + e.getMessage(), e);
  }

  private static byte[] utf8(final String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
