package org.civicpoints.devnet.kv;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.hyperledger.fabric.contract.Context;
import org.hyperledger.fabric.contract.ContractInterface;
import org.hyperledger.fabric.contract.annotation.Contract;
import org.hyperledger.fabric.contract.annotation.Transaction;
import org.hyperledger.fabric.shim.ChaincodeException;
import org.hyperledger.fabric.shim.ChaincodeStub;
import org.hyperledger.fabric.shim.ledger.CompositeKey;
import org.hyperledger.fabric.shim.ledger.KeyModification;
import org.hyperledger.fabric.shim.ledger.KeyValue;
import org.hyperledger.fabric.shim.ledger.QueryResultsIterator;
import org.hyperledger.fabric.shim.ledger.QueryResultsIteratorWithMetadata;

/**
 * A small contract that exercises what the devnet's stub must get right. Invoked as {@code kv:Tx}.
 */
@Contract(name = "kv")
public final class KvContract implements ContractInterface {

  @Transaction(intent = Transaction.TYPE.SUBMIT)
  public void Put(Context ctx, String key, String value) {
    ctx.getStub().putStringState(key, value);
  }

  @Transaction(intent = Transaction.TYPE.EVALUATE)
  public String Get(Context ctx, String key) {
    return ctx.getStub().getStringState(key);
  }

  @Transaction(intent = Transaction.TYPE.SUBMIT)
  public void Delete(Context ctx, String key) {
    ctx.getStub().delState(key);
  }

  /** Reads then writes one key: two concurrent increments conflict. Emits "Incremented". */
  @Transaction(intent = Transaction.TYPE.SUBMIT)
  public String Increment(Context ctx, String key) {
    ChaincodeStub stub = ctx.getStub();
    String current = stub.getStringState(key);
    String next = Integer.toString(current.isEmpty() ? 1 : Integer.parseInt(current) + 1);
    stub.putStringState(key, next);
    stub.setEvent("Incremented", (key + "=" + next).getBytes(StandardCharsets.UTF_8));
    return next;
  }

  /** Emits an event without touching state. */
  @Transaction(intent = Transaction.TYPE.SUBMIT)
  public void Emit(Context ctx, String name, String payload) {
    ctx.getStub().setEvent(name, payload.getBytes(StandardCharsets.UTF_8));
  }

  @Transaction(intent = Transaction.TYPE.SUBMIT)
  public void PutItem(Context ctx, String group, String id, String value) {
    ChaincodeStub stub = ctx.getStub();
    stub.putStringState(stub.createCompositeKey("item", group, id).toString(), value);
  }

  /** Puts items id-000 .. id-(count-1) of a group in one transaction. */
  @Transaction(intent = Transaction.TYPE.SUBMIT)
  public void PutItems(Context ctx, String group, int count) {
    ChaincodeStub stub = ctx.getStub();
    for (int i = 0; i < count; i++) {
      stub.putStringState(
          stub.createCompositeKey("item", group, String.format("id-%03d", i)).toString(), "v");
    }
  }

  /** Counts a group's items through a partial composite key range and stores the count. */
  @Transaction(intent = Transaction.TYPE.SUBMIT)
  public int CountItems(Context ctx, String group) throws Exception {
    ChaincodeStub stub = ctx.getStub();
    int count = 0;
    try (QueryResultsIterator<KeyValue> items = stub.getStateByPartialCompositeKey("item", group)) {
      for (KeyValue ignored : items) {
        count++;
      }
    }
    stub.putStringState("count~" + group, Integer.toString(count));
    return count;
  }

  /** Reads only the first item of a group (the chaincode stops iterating) and stores its id. */
  @Transaction(intent = Transaction.TYPE.SUBMIT)
  public String FirstItem(Context ctx, String group) throws Exception {
    ChaincodeStub stub = ctx.getStub();
    String first = "";
    try (QueryResultsIterator<KeyValue> items = stub.getStateByPartialCompositeKey("item", group)) {
      java.util.Iterator<KeyValue> iterator = items.iterator();
      if (iterator.hasNext()) {
        first = stub.splitCompositeKey(iterator.next().getKey()).getAttributes().get(1);
      }
    }
    stub.putStringState("first~" + group, first);
    return first;
  }

  /** One page of a group's item ids, then the bookmark: "id1,id2|bookmark". */
  @Transaction(intent = Transaction.TYPE.EVALUATE)
  public String PageItems(Context ctx, String group, int pageSize, String bookmark)
      throws Exception {
    ChaincodeStub stub = ctx.getStub();
    CompositeKey prefix = stub.createCompositeKey("item", group);
    List<String> ids = new ArrayList<>();
    String next;
    try (QueryResultsIteratorWithMetadata<KeyValue> page =
        stub.getStateByPartialCompositeKeyWithPagination(prefix, pageSize, bookmark)) {
      for (KeyValue item : page) {
        ids.add(stub.splitCompositeKey(item.getKey()).getAttributes().get(1));
      }
      next = page.getMetadata().getBookmark();
    }
    return String.join(",", ids) + "|" + next;
  }

  /** The key's history, newest first: "txId:value:deleted;...". */
  @Transaction(intent = Transaction.TYPE.EVALUATE)
  public String History(Context ctx, String key) throws Exception {
    List<String> entries = new ArrayList<>();
    try (QueryResultsIterator<KeyModification> history = ctx.getStub().getHistoryForKey(key)) {
      for (KeyModification modification : history) {
        entries.add(
            modification.getTxId()
                + ":"
                + modification.getStringValue()
                + ":"
                + modification.isDeleted()
                + ":"
                + modification.getTimestamp().toEpochMilli());
      }
    }
    return String.join(";", entries);
  }

  /** The caller as the chaincode sees it: "mspId|civic.role|txTimestampMillis". */
  @Transaction(intent = Transaction.TYPE.EVALUATE)
  public String WhoAmI(Context ctx) {
    String role = ctx.getClientIdentity().getAttributeValue("civic.role");
    return ctx.getClientIdentity().getMSPID()
        + "|"
        + role
        + "|"
        + ctx.getStub().getTxTimestamp().toEpochMilli();
  }

  @Transaction(intent = Transaction.TYPE.SUBMIT)
  public void Fail(Context ctx, String message) {
    throw new ChaincodeException(message, "KV_FAILED");
  }
}
