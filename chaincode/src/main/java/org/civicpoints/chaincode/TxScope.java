package org.civicpoints.chaincode;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.hyperledger.fabric.shim.ChaincodeStub;

/**
 * What one transaction works with: its buffered world state, and its id and time. Time comes only
 * from the transaction timestamp, which every endorsing peer sees identically.
 */
record TxScope(WorldState state, String txId, String now, LocalDate date) {

  static TxScope of(final ChaincodeStub stub) {
    final Instant timestamp = stub.getTxTimestamp();
    return new TxScope(
        new WorldState(stub),
        stub.getTxId(),
        timestamp.toString(),
        LocalDate.ofInstant(timestamp, ZoneOffset.UTC));
  }
}
