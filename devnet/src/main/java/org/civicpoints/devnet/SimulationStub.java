package org.civicpoints.devnet;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRWSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRead;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVWrite;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.QueryReads;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.RangeQueryInfo;
import org.hyperledger.fabric.protos.peer.ChaincodeEvent;
import org.hyperledger.fabric.protos.peer.QueryResponseMetadata;
import org.hyperledger.fabric.protos.peer.SignedProposal;
import org.hyperledger.fabric.shim.Chaincode;
import org.hyperledger.fabric.shim.ChaincodeStub;
import org.hyperledger.fabric.shim.ledger.CompositeKey;
import org.hyperledger.fabric.shim.ledger.KeyModification;
import org.hyperledger.fabric.shim.ledger.KeyValue;
import org.hyperledger.fabric.shim.ledger.QueryResultsIterator;
import org.hyperledger.fabric.shim.ledger.QueryResultsIteratorWithMetadata;

/**
 * The shim's {@link ChaincodeStub} over committed state, recording what a Fabric peer's transaction
 * simulator records: the read set with the versions read, range queries with the keys and versions
 * they returned, and the write set. Reads see committed state only, never the transaction's own
 * writes, exactly as on a peer.
 */
final class SimulationStub implements ChaincodeStub {

  /** The shim's marker for "no key": ranges over simple keys start after it. */
  private static final String UNSPECIFIED_KEY = "\u0001";

  /** U+10FFFF, the shim's upper bound of a partial composite key range. */
  private static final String MAX_UNICODE_RUNE = "\udbff\udfff";

  private static final String NO_PRIVATE_DATA =
      "private data collections are not supported by devnet";

  /** Results per QueryResponse a peer sends the chaincode (its maxResultLimit). */
  private static final int QUERY_BATCH = 100;

  private final ParsedProposal proposal;
  private final WorldState.View state;
  private final String chaincodeName;
  private final String peerMspId;
  private final List<byte[]> args;
  private final Map<String, KVRead> reads = new TreeMap<>(KeyOrder.CODE_POINT);
  private final Map<String, KVWrite> writes = new TreeMap<>(KeyOrder.CODE_POINT);
  private final List<RecordedRange> rangeQueries = new ArrayList<>();
  private boolean paginatedQueryPerformed;
  private ChaincodeEvent event;

  SimulationStub(
      ParsedProposal proposal, WorldState.View state, String chaincodeName, String peerMspId) {
    this.proposal = proposal;
    this.state = state;
    this.chaincodeName = chaincodeName;
    this.peerMspId = peerMspId;
    this.args =
        proposal.invocation().getChaincodeSpec().getInput().getArgsList().stream()
            .map(ByteString::toByteArray)
            .toList();
  }

  /** The simulation's read-write set for the chaincode's namespace. */
  KVRWSet readWriteSet() {
    KVRWSet.Builder set =
        KVRWSet.newBuilder().addAllReads(reads.values()).addAllWrites(writes.values());
    rangeQueries.forEach(query -> set.addRangeQueriesInfo(query.toProto()));
    return set.build();
  }

  ChaincodeEvent chaincodeEvent() {
    return event;
  }

  // ---- invocation -----------------------------------------------------------------------

  @Override
  public List<byte[]> getArgs() {
    return args;
  }

  @Override
  public List<String> getStringArgs() {
    return args.stream()
        .map(arg -> new String(arg, StandardCharsets.UTF_8))
        .collect(Collectors.toList());
  }

  @Override
  public String getFunction() {
    List<String> strings = getStringArgs();
    return strings.isEmpty() ? null : strings.get(0);
  }

  @Override
  public List<String> getParameters() {
    List<String> strings = getStringArgs();
    return strings.isEmpty() ? List.of() : strings.subList(1, strings.size());
  }

  @Override
  public String getTxId() {
    return proposal.txId();
  }

  @Override
  public String getChannelId() {
    return proposal.channelId();
  }

  @Override
  public Chaincode.Response invokeChaincode(
      String chaincodeName, List<byte[]> args, String channel) {
    throw new UnsupportedOperationException(
        "devnet hosts a single chaincode; chaincode-to-chaincode calls are not supported");
  }

  @Override
  public SignedProposal getSignedProposal() {
    return proposal.signed();
  }

  @Override
  public Instant getTxTimestamp() {
    return proposal.timestamp();
  }

  @Override
  public byte[] getCreator() {
    return proposal.creator().toByteArray();
  }

  @Override
  public Map<String, byte[]> getTransient() {
    return proposal.payload().getTransientMapMap().entrySet().stream()
        .collect(Collectors.toMap(Map.Entry::getKey, entry -> entry.getValue().toByteArray()));
  }

  /** Fabric's binding: SHA-256(nonce || creator || epoch as little-endian uint64). */
  @Override
  public byte[] getBinding() {
    MessageDigest sha256 = TransactionIds.sha256();
    sha256.update(proposal.signatureHeader().getNonce().toByteArray());
    sha256.update(proposal.creator().toByteArray());
    sha256.update(
        ByteBuffer.allocate(Long.BYTES)
            .order(ByteOrder.LITTLE_ENDIAN)
            .putLong(proposal.channelHeader().getEpoch())
            .array());
    return sha256.digest();
  }

  @Override
  public String getMspId() {
    return peerMspId;
  }

  @Override
  public void setEvent(String name, byte[] payload) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("event name can not be nil string");
    }
    event =
        ChaincodeEvent.newBuilder()
            .setChaincodeId(chaincodeName)
            .setTxId(getTxId())
            .setEventName(name)
            .setPayload(payload == null ? ByteString.EMPTY : ByteString.copyFrom(payload))
            .build();
  }

  @Override
  public ChaincodeEvent getEvent() {
    return event;
  }

  // ---- state ----------------------------------------------------------------------------

  @Override
  public byte[] getState(String key) {
    requireKey(key);
    WorldState.VersionedValue committed = state.get(key);
    KVRead.Builder read = KVRead.newBuilder().setKey(key);
    if (committed != null) {
      read.setVersion(committed.version().toProto());
    }
    reads.put(key, read.build());
    return committed == null ? new byte[0] : committed.value().clone();
  }

  @Override
  public void putState(String key, byte[] value) {
    requireKey(key);
    if (value == null) {
      throw new IllegalArgumentException("value must not be null");
    }
    requireNoPaginatedQuery();
    // As on a peer, writing an empty value is a delete.
    writes.put(
        key,
        KVWrite.newBuilder()
            .setKey(key)
            .setIsDelete(value.length == 0)
            .setValue(ByteString.copyFrom(value))
            .build());
  }

  @Override
  public void delState(String key) {
    requireKey(key);
    requireNoPaginatedQuery();
    writes.put(key, KVWrite.newBuilder().setKey(key).setIsDelete(true).build());
  }

  @Override
  public byte[] getStateValidationParameter(String key) {
    requireKey(key);
    return null; // no key-level endorsement policies are ever set on devnet
  }

  @Override
  public void setStateValidationParameter(String key, byte[] value) {
    throw new UnsupportedOperationException(
        "key-level endorsement policies are not supported by devnet");
  }

  @Override
  public QueryResultsIterator<KeyValue> getStateByRange(String startKey, String endKey) {
    String start = startKey == null || startKey.isEmpty() ? UNSPECIFIED_KEY : startKey;
    CompositeKey.validateSimpleKeys(start);
    if (endKey != null && !endKey.isEmpty()) {
      CompositeKey.validateSimpleKeys(endKey);
    }
    return recordedRange(start, endKey == null || endKey.isEmpty() ? null : endKey);
  }

  @Override
  public QueryResultsIteratorWithMetadata<KeyValue> getStateByRangeWithPagination(
      String startKey, String endKey, int pageSize, String bookmark) {
    String start = startKey == null || startKey.isEmpty() ? UNSPECIFIED_KEY : startKey;
    CompositeKey.validateSimpleKeys(start);
    if (endKey != null && !endKey.isEmpty()) {
      CompositeKey.validateSimpleKeys(endKey);
    }
    return page(start, endKey == null || endKey.isEmpty() ? null : endKey, pageSize, bookmark);
  }

  @Override
  public QueryResultsIterator<KeyValue> getStateByPartialCompositeKey(String compositeKey) {
    CompositeKey key =
        compositeKey != null && compositeKey.startsWith(CompositeKey.NAMESPACE)
            ? CompositeKey.parseCompositeKey(compositeKey)
            : new CompositeKey(
                compositeKey == null || compositeKey.isEmpty() ? UNSPECIFIED_KEY : compositeKey);
    return getStateByPartialCompositeKey(key);
  }

  @Override
  public QueryResultsIterator<KeyValue> getStateByPartialCompositeKey(
      String objectType, String... attributes) {
    return getStateByPartialCompositeKey(new CompositeKey(objectType, attributes));
  }

  @Override
  public QueryResultsIterator<KeyValue> getStateByPartialCompositeKey(CompositeKey compositeKey) {
    String prefix = compositeKey.toString();
    return recordedRange(prefix, prefix + MAX_UNICODE_RUNE);
  }

  @Override
  public QueryResultsIteratorWithMetadata<KeyValue> getStateByPartialCompositeKeyWithPagination(
      CompositeKey compositeKey, int pageSize, String bookmark) {
    String prefix = compositeKey.toString();
    return page(prefix, prefix + MAX_UNICODE_RUNE, pageSize, bookmark);
  }

  @Override
  public CompositeKey createCompositeKey(String objectType, String... attributes) {
    return new CompositeKey(objectType, attributes);
  }

  @Override
  public CompositeKey splitCompositeKey(String compositeKey) {
    return CompositeKey.parseCompositeKey(compositeKey);
  }

  @Override
  public QueryResultsIterator<KeyValue> getQueryResult(String query) {
    throw new UnsupportedOperationException("ExecuteQuery not supported for leveldb");
  }

  @Override
  public QueryResultsIteratorWithMetadata<KeyValue> getQueryResultWithPagination(
      String query, int pageSize, String bookmark) {
    throw new UnsupportedOperationException("ExecuteQuery not supported for leveldb");
  }

  @Override
  public QueryResultsIterator<KeyModification> getHistoryForKey(String key) {
    requireKey(key);
    List<KeyModification> modifications =
        state.history(key).stream()
            .map(
                m ->
                    (KeyModification)
                        new HistoryEntry(m.txId(), m.value(), m.timestamp(), m.deleted()))
            .toList();
    return new ListIterator<>(modifications);
  }

  // ---- private data: not modelled ---------------------------------------------------------

  @Override
  public byte[] getPrivateData(String collection, String key) {
    throw new UnsupportedOperationException(NO_PRIVATE_DATA);
  }

  @Override
  public byte[] getPrivateDataHash(String collection, String key) {
    throw new UnsupportedOperationException(NO_PRIVATE_DATA);
  }

  @Override
  public byte[] getPrivateDataValidationParameter(String collection, String key) {
    throw new UnsupportedOperationException(NO_PRIVATE_DATA);
  }

  @Override
  public void putPrivateData(String collection, String key, byte[] value) {
    throw new UnsupportedOperationException(NO_PRIVATE_DATA);
  }

  @Override
  public void setPrivateDataValidationParameter(String collection, String key, byte[] value) {
    throw new UnsupportedOperationException(NO_PRIVATE_DATA);
  }

  @Override
  public void delPrivateData(String collection, String key) {
    throw new UnsupportedOperationException(NO_PRIVATE_DATA);
  }

  @Override
  public void purgePrivateData(String collection, String key) {
    throw new UnsupportedOperationException(NO_PRIVATE_DATA);
  }

  @Override
  public QueryResultsIterator<KeyValue> getPrivateDataByRange(
      String collection, String startKey, String endKey) {
    throw new UnsupportedOperationException(NO_PRIVATE_DATA);
  }

  @Override
  public QueryResultsIterator<KeyValue> getPrivateDataByPartialCompositeKey(
      String collection, String compositeKey) {
    throw new UnsupportedOperationException(NO_PRIVATE_DATA);
  }

  @Override
  public QueryResultsIterator<KeyValue> getPrivateDataByPartialCompositeKey(
      String collection, CompositeKey compositeKey) {
    throw new UnsupportedOperationException(NO_PRIVATE_DATA);
  }

  @Override
  public QueryResultsIterator<KeyValue> getPrivateDataByPartialCompositeKey(
      String collection, String objectType, String... attributes) {
    throw new UnsupportedOperationException(NO_PRIVATE_DATA);
  }

  @Override
  public QueryResultsIterator<KeyValue> getPrivateDataQueryResult(String collection, String query) {
    throw new UnsupportedOperationException(NO_PRIVATE_DATA);
  }

  // ---- helpers --------------------------------------------------------------------------

  private static void requireKey(String key) {
    if (key == null || key.isEmpty()) {
      throw new IllegalArgumentException("key must not be an empty string");
    }
  }

  /** Fabric refuses to mix paginated queries and writes: their results are never validated. */
  private void requireNoPaginatedQuery() {
    if (paginatedQueryPerformed) {
      throw new UnsupportedOperationException(
          "txsimulator: transaction with paginated queries performed cannot be used for update");
    }
  }

  /**
   * A range whose results go into the read set for phantom validation. Like a peer, which hands
   * results to the chaincode in batches of {@value #QUERY_BATCH}, it records every result of each
   * batch it fetched, whether the chaincode consumed it or not.
   */
  private QueryResultsIterator<KeyValue> recordedRange(String start, String end) {
    RecordedRange recorded = new RecordedRange(start, end);
    rangeQueries.add(recorded);
    Iterator<Map.Entry<String, WorldState.VersionedValue>> committed = state.range(start, end);
    Iterator<KeyValue> batches =
        new Iterator<>() {
          private final java.util.ArrayDeque<KeyValue> batch = new java.util.ArrayDeque<>();

          @Override
          public boolean hasNext() {
            if (batch.isEmpty()) {
              fetchBatch();
            }
            return !batch.isEmpty();
          }

          @Override
          public KeyValue next() {
            if (!hasNext()) {
              throw new java.util.NoSuchElementException();
            }
            return batch.poll();
          }

          private void fetchBatch() {
            while (batch.size() < QUERY_BATCH && committed.hasNext()) {
              Map.Entry<String, WorldState.VersionedValue> entry = committed.next();
              recorded.reads.add(
                  KVRead.newBuilder()
                      .setKey(entry.getKey())
                      .setVersion(entry.getValue().version().toProto())
                      .build());
              batch.add(new StateEntry(entry.getKey(), entry.getValue().value().clone()));
            }
            recorded.exhausted = !committed.hasNext();
          }
        };
    batches.hasNext(); // a peer answers the query call with the first batch
    return new IteratorResults<>(batches);
  }

  /**
   * What a range query returned, batch by batch as far as the chaincode iterated. Not exhausted
   * means the chaincode stopped early: validation then re-checks only up to the last key read.
   */
  private static final class RecordedRange {
    private final String start;
    private final String end;
    private final List<KVRead> reads = new ArrayList<>();
    private boolean exhausted;

    RecordedRange(String start, String end) {
      this.start = start;
      this.end = end;
    }

    RangeQueryInfo toProto() {
      return RangeQueryInfo.newBuilder()
          .setStartKey(start)
          .setEndKey(end == null ? "" : end)
          .setItrExhausted(exhausted)
          .setRawReads(QueryReads.newBuilder().addAllKvReads(reads))
          .build();
    }
  }

  /** One page of a range: allowed in read-only simulations only, as on a peer. */
  private QueryResultsIteratorWithMetadata<KeyValue> page(
      String start, String end, int pageSize, String bookmark) {
    if (!writes.isEmpty()) {
      throw new UnsupportedOperationException(
          "txsimulator: paginated queries are not supported in update transactions");
    }
    if (pageSize <= 0) {
      throw new IllegalArgumentException("pageSize must be greater than zero");
    }
    paginatedQueryPerformed = true;
    String from = bookmark == null || bookmark.isEmpty() ? start : bookmark;
    Iterator<Map.Entry<String, WorldState.VersionedValue>> committed = state.range(from, end);
    List<KeyValue> results = new ArrayList<>();
    while (committed.hasNext() && results.size() < pageSize) {
      Map.Entry<String, WorldState.VersionedValue> entry = committed.next();
      results.add(new StateEntry(entry.getKey(), entry.getValue().value().clone()));
    }
    String nextBookmark = committed.hasNext() ? committed.next().getKey() : "";
    QueryResponseMetadata metadata =
        QueryResponseMetadata.newBuilder()
            .setFetchedRecordsCount(results.size())
            .setBookmark(nextBookmark)
            .build();
    return new PageResults(results, metadata);
  }

  private record StateEntry(String key, byte[] value) implements KeyValue {
    @Override
    public String getKey() {
      return key;
    }

    @Override
    public byte[] getValue() {
      return value;
    }

    @Override
    public String getStringValue() {
      return new String(value, StandardCharsets.UTF_8);
    }
  }

  private record HistoryEntry(String txId, byte[] value, Instant timestamp, boolean deleted)
      implements KeyModification {
    @Override
    public String getTxId() {
      return txId;
    }

    @Override
    public byte[] getValue() {
      return value == null ? new byte[0] : value.clone();
    }

    @Override
    public String getStringValue() {
      return new String(getValue(), StandardCharsets.UTF_8);
    }

    @Override
    public Instant getTimestamp() {
      return timestamp;
    }

    @Override
    public boolean isDeleted() {
      return deleted;
    }
  }

  /** Results handed out once, as the shim's iterators are. */
  private static class IteratorResults<T> implements QueryResultsIterator<T> {
    private Iterator<T> iterator;

    IteratorResults(Iterator<T> iterator) {
      this.iterator = iterator;
    }

    @Override
    public Iterator<T> iterator() {
      if (iterator == null) {
        throw new IllegalStateException("query results can be iterated once");
      }
      Iterator<T> once = iterator;
      iterator = null;
      return once;
    }

    @Override
    public void close() {
      iterator = null;
    }
  }

  private static final class ListIterator<T> extends IteratorResults<T> {
    ListIterator(List<T> items) {
      super(items.iterator());
    }
  }

  private static final class PageResults extends IteratorResults<KeyValue>
      implements QueryResultsIteratorWithMetadata<KeyValue> {
    private final QueryResponseMetadata metadata;

    PageResults(List<KeyValue> results, QueryResponseMetadata metadata) {
      super(results.iterator());
      this.metadata = metadata;
    }

    @Override
    public QueryResponseMetadata getMetadata() {
      return metadata;
    }
  }
}
