package org.civicpoints.devnet;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.junit.jupiter.api.Test;

/** The block cutter: full blocks at once, a partial block when the batch timeout runs out. */
class OrdererTest {

  @Test
  void cuts_a_full_block_without_waiting_for_the_batch_timeout() throws Exception {
    Orderer orderer = new Orderer(100, Duration.ofSeconds(30));
    for (int i = 0; i < 250; i++) {
      orderer.enqueue(transaction("tx-" + i));
    }

    long started = System.nanoTime();
    List<SubmittedTransaction> first = orderer.nextBatch(Duration.ofSeconds(1));
    List<SubmittedTransaction> second = orderer.nextBatch(Duration.ofSeconds(1));

    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
    assertThat(first).hasSize(100).first().extracting(SubmittedTransaction::txId).isEqualTo("tx-0");
    assertThat(second)
        .hasSize(100)
        .first()
        .extracting(SubmittedTransaction::txId)
        .isEqualTo("tx-100");
  }

  @Test
  void cuts_a_partial_block_when_the_batch_timeout_runs_out() throws Exception {
    Orderer orderer = new Orderer(100, Duration.ofMillis(300));
    for (int i = 0; i < 50; i++) {
      orderer.enqueue(transaction("tx-" + i));
    }

    long started = System.nanoTime();
    List<SubmittedTransaction> partial = orderer.nextBatch(Duration.ofSeconds(1));

    assertThat(Duration.ofNanos(System.nanoTime() - started))
        .isGreaterThanOrEqualTo(Duration.ofMillis(300));
    assertThat(partial)
        .hasSize(50)
        .last()
        .extracting(SubmittedTransaction::txId)
        .isEqualTo("tx-49");
  }

  @Test
  void an_idle_orderer_cuts_nothing() throws Exception {
    Orderer orderer = new Orderer(100, Duration.ofMillis(50));

    assertThat(orderer.nextBatch(Duration.ofMillis(20))).isEmpty();
    assertThat(orderer.drain()).isEmpty();
  }

  @Test
  void draining_splits_what_is_queued_into_blocks() {
    Orderer orderer = new Orderer(2, Duration.ofMillis(50));
    for (int i = 0; i < 5; i++) {
      orderer.enqueue(transaction("tx-" + i));
    }

    assertThat(orderer.drain()).extracting(List::size).containsExactly(2, 2, 1);
  }

  private static SubmittedTransaction transaction(String txId) {
    return new SubmittedTransaction(
        Envelope.getDefaultInstance(), txId, null, TxValidationCode.BAD_PAYLOAD);
  }
}
