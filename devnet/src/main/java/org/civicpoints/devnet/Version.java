package org.civicpoints.devnet;

import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRead;

/**
 * A committed key's version as Fabric's state database keeps it: the writing transaction's
 * position.
 */
record Version(long blockNum, long txNum) {

  org.hyperledger.fabric.protos.ledger.rwset.kvrwset.Version toProto() {
    return org.hyperledger.fabric.protos.ledger.rwset.kvrwset.Version.newBuilder()
        .setBlockNum(blockNum)
        .setTxNum(txNum)
        .build();
  }

  /** The version a read recorded, or null when the key was absent at simulation. */
  static Version of(KVRead read) {
    return read.hasVersion()
        ? new Version(read.getVersion().getBlockNum(), read.getVersion().getTxNum())
        : null;
  }
}
