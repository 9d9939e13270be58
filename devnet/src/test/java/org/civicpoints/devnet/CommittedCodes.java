package org.civicpoints.devnet;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.peer.TxValidationCode;

/** Reads validation codes straight from the stored blocks, where a client cannot see duplicates. */
final class CommittedCodes {

  private CommittedCodes() {}

  /**
   * The codes of every occurrence of the transaction id from a block on, waiting for {@code count}.
   */
  static List<TxValidationCode> of(Devnet devnet, String txId, long fromBlock, int count)
      throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (true) {
      List<TxValidationCode> codes = scan(devnet, txId, fromBlock);
      if (codes.size() >= count) {
        return codes;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "transaction " + txId + " was committed " + codes.size() + " times, expected " + count);
      }
      Thread.sleep(20);
    }
  }

  private static List<TxValidationCode> scan(Devnet devnet, String txId, long fromBlock)
      throws IOException {
    List<TxValidationCode> codes = new ArrayList<>();
    for (long number = fromBlock; number < devnet.height(); number++) {
      Optional<Block> block = devnet.block(number);
      if (block.isEmpty()) {
        break;
      }
      byte[] filter = Blocks.validationCodes(block.get());
      for (int i = 0; i < block.get().getData().getDataCount(); i++) {
        Envelope envelope = Envelope.parseFrom(block.get().getData().getData(i));
        if (txId.equals(EndorsedTransaction.txIdOf(envelope))) {
          codes.add(TxValidationCode.forNumber(filter[i]));
        }
      }
    }
    return codes;
  }
}
