package org.civicpoints.devnet;

import com.google.protobuf.InvalidProtocolBufferException;
import java.util.ArrayList;
import java.util.List;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.peer.TxValidationCode;

/** A block with each transaction's validation code and, for valid ones, its unpacked contents. */
record CommittedBlock(Block block, List<Outcome> outcomes) {

  /**
   * @param txId "" when the envelope has no readable transaction id
   * @param transaction the unpacked transaction; null when it could not be unpacked
   */
  record Outcome(String txId, TxValidationCode code, EndorsedTransaction transaction) {}

  long number() {
    return block.getHeader().getNumber();
  }

  /** Rebuilds the outcomes of a block read back from the log, trusting its transactions filter. */
  static CommittedBlock replayed(Block block, String chaincodeName) {
    byte[] codes = Blocks.validationCodes(block);
    List<Outcome> outcomes = new ArrayList<>(block.getData().getDataCount());
    for (int i = 0; i < block.getData().getDataCount(); i++) {
      TxValidationCode code = i < codes.length ? TxValidationCode.forNumber(codes[i]) : null;
      outcomes.add(
          replayedOutcome(
              block, i, code == null ? TxValidationCode.NOT_VALIDATED : code, chaincodeName));
    }
    return new CommittedBlock(block, outcomes);
  }

  private static Outcome replayedOutcome(
      Block block, int index, TxValidationCode code, String chaincodeName) {
    Envelope envelope;
    try {
      envelope = Envelope.parseFrom(block.getData().getData(index));
    } catch (InvalidProtocolBufferException e) {
      return new Outcome("", code, null);
    }
    String txId = EndorsedTransaction.txIdOf(envelope);
    if (code != TxValidationCode.VALID) {
      return new Outcome(txId, code, null);
    }
    try {
      return new Outcome(txId, code, EndorsedTransaction.parse(envelope, chaincodeName));
    } catch (InvalidTransactionException e) {
      return new Outcome(txId, code, null); // a config transaction such as the genesis block's
    }
  }
}
