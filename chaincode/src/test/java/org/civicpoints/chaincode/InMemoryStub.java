package org.civicpoints.chaincode;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hyperledger.fabric.protos.peer.ChaincodeEvent;
import org.hyperledger.fabric.protos.peer.QueryResponseMetadata;
import org.hyperledger.fabric.protos.peer.SignedProposal;
import org.hyperledger.fabric.shim.Chaincode.Response;
import org.hyperledger.fabric.shim.ChaincodeStub;
import org.hyperledger.fabric.shim.ledger.CompositeKey;
import org.hyperledger.fabric.shim.ledger.KeyModification;
import org.hyperledger.fabric.shim.ledger.KeyValue;
import org.hyperledger.fabric.shim.ledger.QueryResultsIterator;
import org.hyperledger.fabric.shim.ledger.QueryResultsIteratorWithMetadata;

/**
 * One transaction's view of an {@link InMemoryLedger}, with Fabric's semantics: reads see committed
 * state only (never this transaction's own writes), writes are buffered until the ledger commits
 * them, a missing key reads as {@code byte[0]}, composite keys are the shim's own encoding,
 * paginated ranges run in key order with the next key as bookmark. It also records what a test
 * wants to check: every setEvent call (Fabric keeps only the last one), range reads, and iterators
 * left open.
 */
final class InMemoryStub implements ChaincodeStub {
  private static final String MAX_UNICODE_RUNE = Character.toString(0x10FFFF);

  private final InMemoryLedger ledger;
  private final String txId;
  private final Instant timestamp;
  private final byte[] creator;
  private final List<String> args;
  private final Map<String, byte[]> writes = new LinkedHashMap<>();
  private final List<Event> events = new ArrayList<>();
  private int rangeReads;
  private int openIterators;

  record Event(String name, String payload) {}

  InMemoryStub(
      final InMemoryLedger ledger,
      final String txId,
      final Instant timestamp,
      final byte[] creator,
      final List<String> args) {
    this.ledger = ledger;
    this.txId = txId;
    this.timestamp = timestamp;
    this.creator = creator.clone();
    this.args = List.copyOf(args);
  }

  Map<String, byte[]> writes() {
    return Collections.unmodifiableMap(writes);
  }

  List<Event> events() {
    return List.copyOf(events);
  }

  int rangeReads() {
    return rangeReads;
  }

  int openIterators() {
    return openIterators;
  }

  @Override
  public byte[] getState(final String key) {
    return ledger.committed(key);
  }

  @Override
  public void putState(final String key, final byte[] value) {
    if (key == null || key.isEmpty()) {
      throw new IllegalArgumentException("key must not be empty");
    }
    writes.put(key, value.clone());
  }

  @Override
  public void setEvent(final String name, final byte[] payload) {
    events.add(new Event(name, new String(payload, StandardCharsets.UTF_8)));
  }

  @Override
  public CompositeKey createCompositeKey(final String objectType, final String... attributes) {
    return new CompositeKey(objectType, attributes);
  }

  @Override
  public CompositeKey splitCompositeKey(final String compositeKey) {
    return CompositeKey.parseCompositeKey(compositeKey);
  }

  @Override
  public QueryResultsIteratorWithMetadata<KeyValue> getStateByPartialCompositeKeyWithPagination(
      final CompositeKey partialKey, final int pageSize, final String bookmark) {
    rangeReads++;
    final String start = partialKey.toString();
    final String from = bookmark == null || bookmark.isEmpty() ? start : bookmark;
    final List<KeyValue> page = new ArrayList<>();
    String next = "";
    for (final Map.Entry<String, byte[]> entry :
        ledger.range(from, start + MAX_UNICODE_RUNE).entrySet()) {
      if (page.size() == pageSize) {
        next = entry.getKey();
        break;
      }
      page.add(keyValue(entry.getKey(), entry.getValue()));
    }
    final QueryResponseMetadata metadata =
        QueryResponseMetadata.newBuilder()
            .setBookmark(next)
            .setFetchedRecordsCount(page.size())
            .build();
    return new PagedIterator<>(page, metadata);
  }

  @Override
  public QueryResultsIterator<KeyModification> getHistoryForKey(final String key) {
    rangeReads++;
    final List<KeyModification> modifications =
        ledger.history(key).stream().map(InMemoryStub::modification).toList();
    return new PagedIterator<>(modifications, null);
  }

  @Override
  public String getTxId() {
    return txId;
  }

  @Override
  public Instant getTxTimestamp() {
    return timestamp;
  }

  @Override
  public byte[] getCreator() {
    return creator.clone();
  }

  @Override
  public String getMspId() {
    return TestIdentities.MSP_ID;
  }

  @Override
  public String getChannelId() {
    return "civic";
  }

  @Override
  public List<byte[]> getArgs() {
    return args.stream().map(a -> a.getBytes(StandardCharsets.UTF_8)).toList();
  }

  @Override
  public List<String> getStringArgs() {
    return args;
  }

  @Override
  public String getFunction() {
    return args.isEmpty() ? null : args.get(0);
  }

  @Override
  public List<String> getParameters() {
    return args.isEmpty() ? List.of() : args.subList(1, args.size());
  }

  @Override
  public Map<String, byte[]> getTransient() {
    return Map.of();
  }

  private static KeyValue keyValue(final String key, final byte[] value) {
    return new KeyValue() {
      @Override
      public String getKey() {
        return key;
      }

      @Override
      public byte[] getValue() {
        return value.clone();
      }

      @Override
      public String getStringValue() {
        return new String(value, StandardCharsets.UTF_8);
      }
    };
  }

  private static KeyModification modification(final InMemoryLedger.HistoryRecord record) {
    return new KeyModification() {
      @Override
      public String getTxId() {
        return record.txId();
      }

      @Override
      public byte[] getValue() {
        return record.value().clone();
      }

      @Override
      public String getStringValue() {
        return new String(record.value(), StandardCharsets.UTF_8);
      }

      @Override
      public Instant getTimestamp() {
        return record.timestamp();
      }

      @Override
      public boolean isDeleted() {
        return false;
      }
    };
  }

  /** Counts itself open until closed, so tests can prove the contract closes its iterators. */
  private final class PagedIterator<T>
      implements QueryResultsIteratorWithMetadata<T>, QueryResultsIterator<T> {
    private final List<T> items;
    private final QueryResponseMetadata metadata;
    private boolean closed;

    PagedIterator(final List<T> items, final QueryResponseMetadata metadata) {
      this.items = items;
      this.metadata = metadata;
      openIterators++;
    }

    @Override
    public Iterator<T> iterator() {
      return items.iterator();
    }

    @Override
    public QueryResponseMetadata getMetadata() {
      return metadata;
    }

    @Override
    public void close() {
      if (!closed) {
        closed = true;
        openIterators--;
      }
    }
  }

  // Everything below is never called by the points contract: it reads point keys, one
  // partial-key page and key history only.

  private static <T> T unsupported(final String what) {
    throw new UnsupportedOperationException(what + " is not used by the points contract");
  }

  @Override
  public Response invokeChaincode(
      final String name, final List<byte[]> arguments, final String channel) {
    return unsupported("invokeChaincode");
  }

  @Override
  public byte[] getStateValidationParameter(final String key) {
    return unsupported("getStateValidationParameter");
  }

  @Override
  public void setStateValidationParameter(final String key, final byte[] value) {
    unsupported("setStateValidationParameter");
  }

  @Override
  public void delState(final String key) {
    unsupported("delState");
  }

  @Override
  public QueryResultsIterator<KeyValue> getStateByRange(
      final String startKey, final String endKey) {
    return unsupported("getStateByRange");
  }

  @Override
  public QueryResultsIteratorWithMetadata<KeyValue> getStateByRangeWithPagination(
      final String startKey, final String endKey, final int pageSize, final String bookmark) {
    return unsupported("getStateByRangeWithPagination");
  }

  @Override
  public QueryResultsIterator<KeyValue> getStateByPartialCompositeKey(final String compositeKey) {
    return unsupported("getStateByPartialCompositeKey");
  }

  @Override
  public QueryResultsIterator<KeyValue> getStateByPartialCompositeKey(
      final String objectType, final String... attributes) {
    return unsupported("getStateByPartialCompositeKey");
  }

  @Override
  public QueryResultsIterator<KeyValue> getStateByPartialCompositeKey(
      final CompositeKey compositeKey) {
    return unsupported("getStateByPartialCompositeKey");
  }

  @Override
  public QueryResultsIterator<KeyValue> getQueryResult(final String query) {
    return unsupported("getQueryResult");
  }

  @Override
  public QueryResultsIteratorWithMetadata<KeyValue> getQueryResultWithPagination(
      final String query, final int pageSize, final String bookmark) {
    return unsupported("getQueryResultWithPagination");
  }

  @Override
  public byte[] getPrivateData(final String collection, final String key) {
    return unsupported("getPrivateData");
  }

  @Override
  public byte[] getPrivateDataHash(final String collection, final String key) {
    return unsupported("getPrivateDataHash");
  }

  @Override
  public byte[] getPrivateDataValidationParameter(final String collection, final String key) {
    return unsupported("getPrivateDataValidationParameter");
  }

  @Override
  public void putPrivateData(final String collection, final String key, final byte[] value) {
    unsupported("putPrivateData");
  }

  @Override
  public void setPrivateDataValidationParameter(
      final String collection, final String key, final byte[] value) {
    unsupported("setPrivateDataValidationParameter");
  }

  @Override
  public void delPrivateData(final String collection, final String key) {
    unsupported("delPrivateData");
  }

  @Override
  public void purgePrivateData(final String collection, final String key) {
    unsupported("purgePrivateData");
  }

  @Override
  public QueryResultsIterator<KeyValue> getPrivateDataByRange(
      final String collection, final String startKey, final String endKey) {
    return unsupported("getPrivateDataByRange");
  }

  @Override
  public QueryResultsIterator<KeyValue> getPrivateDataByPartialCompositeKey(
      final String collection, final String compositeKey) {
    return unsupported("getPrivateDataByPartialCompositeKey");
  }

  @Override
  public QueryResultsIterator<KeyValue> getPrivateDataByPartialCompositeKey(
      final String collection, final CompositeKey compositeKey) {
    return unsupported("getPrivateDataByPartialCompositeKey");
  }

  @Override
  public QueryResultsIterator<KeyValue> getPrivateDataByPartialCompositeKey(
      final String collection, final String objectType, final String... attributes) {
    return unsupported("getPrivateDataByPartialCompositeKey");
  }

  @Override
  public QueryResultsIterator<KeyValue> getPrivateDataQueryResult(
      final String collection, final String query) {
    return unsupported("getPrivateDataQueryResult");
  }

  @Override
  public ChaincodeEvent getEvent() {
    return unsupported("getEvent");
  }

  @Override
  public SignedProposal getSignedProposal() {
    return unsupported("getSignedProposal");
  }

  @Override
  public byte[] getBinding() {
    return unsupported("getBinding");
  }
}
