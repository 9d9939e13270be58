package org.civicpoints.devnet;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ManagedChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.hyperledger.fabric.client.CallOption;
import org.hyperledger.fabric.client.ChaincodeEvent;
import org.hyperledger.fabric.client.CloseableIterator;
import org.hyperledger.fabric.client.Contract;
import org.hyperledger.fabric.client.Gateway;
import org.hyperledger.fabric.client.GatewayRuntimeException;
import org.hyperledger.fabric.client.InMemoryCheckpointer;
import org.hyperledger.fabric.client.Network;
import org.hyperledger.fabric.client.Status;
import org.hyperledger.fabric.client.SubmittedTransaction;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Chaincode events: start positions, checkpoints, order, and only valid transactions. */
class ChaincodeEventsTest {

  @TempDir Path dataDir;

  private Devnet devnet;
  private ManagedChannel channel;
  private Gateway gateway;
  private Network network;
  private Contract kv;

  @BeforeEach
  void start() throws Exception {
    devnet = Devnet.start(DevnetConfig.of(dataDir, 0).withBlockCutting(100, Duration.ofMillis(50)));
    channel = GatewayClients.channel(devnet);
    connect();
  }

  private void connect() throws Exception {
    gateway = GatewayClients.gateway(channel, devnet.organization(), "relay");
    network = gateway.getNetwork("civic");
    kv = network.getContract("points", "kv");
  }

  @AfterEach
  void stop() throws Exception {
    gateway.close();
    GatewayClients.shutdown(channel);
    devnet.close();
  }

  @Test
  void a_checkpointed_client_resumes_with_nothing_missed_and_nothing_repeated() throws Exception {
    List<String> firstBlock = emitInOneBlock("one", "two", "three");
    long startBlock = devnet.height() - 1;
    InMemoryCheckpointer checkpointer = new InMemoryCheckpointer();
    List<String> seen = new ArrayList<>();

    try (CloseableIterator<ChaincodeEvent> events =
        network
            .newChaincodeEventsRequest("points")
            .startBlock(startBlock)
            .checkpoint(checkpointer)
            .build()
            .getEvents()) {
      for (int i = 0; i < 2; i++) {
        ChaincodeEvent event = events.next();
        seen.add(payload(event));
        checkpointer.checkpointChaincodeEvent(event);
      }
    }
    gateway.close(); // the client restarts; only the checkpoint survives
    connect();
    kv.submitTransaction("Emit", "Note", "four");

    try (CloseableIterator<ChaincodeEvent> events =
        network.newChaincodeEventsRequest("points").checkpoint(checkpointer).build().getEvents()) {
      seen.add(payload(events.next()));
      seen.add(payload(events.next()));
    }

    assertThat(firstBlock).containsExactly("one", "two", "three");
    assertThat(seen).containsExactly("one", "two", "three", "four");
  }

  @Test
  void events_come_from_the_requested_block_on_in_order_and_only_for_valid_transactions()
      throws Exception {
    kv.submitTransaction("Emit", "Note", "before");
    long startBlock = devnet.height();
    devnet.faults().pauseCommits();
    SubmittedTransaction winner;
    SubmittedTransaction loser;
    try {
      winner = kv.newProposal("Increment").addArguments("evented").build().endorse().submitAsync();
      loser = kv.newProposal("Increment").addArguments("evented").build().endorse().submitAsync();
    } finally {
      devnet.faults().resumeCommits();
    }
    Status loserStatus = loser.getStatus();
    kv.submitTransaction("Emit", "Note", "after");

    List<ChaincodeEvent> events = new ArrayList<>();
    try (CloseableIterator<ChaincodeEvent> stream =
        network.newChaincodeEventsRequest("points").startBlock(startBlock).build().getEvents()) {
      events.add(stream.next());
      events.add(stream.next());
    }

    assertThat(loserStatus.getCode()).isEqualTo(TxValidationCode.MVCC_READ_CONFLICT);
    assertThat(events)
        .extracting(ChaincodeEvent::getTransactionId)
        .containsExactly(winner.getTransactionId(), events.get(1).getTransactionId());
    assertThat(events)
        .extracting(ChaincodeEvent::getEventName)
        .containsExactly("Incremented", "Note");
    assertThat(payload(events.get(0))).isEqualTo("evented=1");
    assertThat(payload(events.get(1))).isEqualTo("after");
    assertThat(events.get(0).getBlockNumber()).isEqualTo(startBlock);
    assertThat(events.get(0).getChaincodeName()).isEqualTo("points");
  }

  @Test
  void without_a_start_block_only_new_blocks_are_streamed() throws Exception {
    kv.submitTransaction("Emit", "Note", "old news");

    try (CloseableIterator<ChaincodeEvent> stream = network.getChaincodeEvents("points")) {
      // The stream starts at whatever height the devnet has when the request arrives, so
      // keep committing fresh events until one shows up; "old news" must never show.
      AtomicBoolean streaming = new AtomicBoolean(true);
      Thread fresh = new Thread(() -> emitUntilStopped(streaming));
      fresh.start();
      try {
        assertThat(payload(stream.next())).startsWith("fresh");
      } finally {
        streaming.set(false);
        fresh.join();
      }
    }
  }

  private void emitUntilStopped(AtomicBoolean streaming) {
    for (int i = 0; streaming.get(); i++) {
      try {
        kv.submitTransaction("Emit", "Note", "fresh " + i);
        Thread.sleep(100);
      } catch (Exception e) {
        throw new IllegalStateException("could not emit a fresh event", e);
      }
    }
  }

  @Test
  void another_chaincodes_events_are_not_streamed() throws Exception {
    long startBlock = devnet.height();
    kv.submitTransaction("Emit", "Note", "for points only");

    try (CloseableIterator<ChaincodeEvent> stream =
        network
            .newChaincodeEventsRequest("other")
            .startBlock(startBlock)
            .build()
            .getEvents(CallOption.deadlineAfter(500, TimeUnit.MILLISECONDS))) {
      assertThatThrownBy(stream::next)
          .isInstanceOfSatisfying(
              GatewayRuntimeException.class,
              e ->
                  assertThat(e.getStatus().getCode())
                      .isEqualTo(io.grpc.Status.Code.DEADLINE_EXCEEDED));
    }
  }

  private List<String> emitInOneBlock(String... payloads) throws Exception {
    devnet.faults().pauseCommits();
    List<SubmittedTransaction> submitted = new ArrayList<>();
    try {
      for (String payload : payloads) {
        submitted.add(
            kv.newProposal("Emit").addArguments("Note", payload).build().endorse().submitAsync());
      }
    } finally {
      devnet.faults().resumeCommits();
    }
    long block = submitted.get(0).getStatus().getBlockNumber();
    List<String> committed = new ArrayList<>();
    for (int i = 0; i < submitted.size(); i++) {
      Status status = submitted.get(i).getStatus();
      assertThat(status.getBlockNumber()).isEqualTo(block);
      committed.add(payloads[i]);
    }
    return committed;
  }

  private static String payload(ChaincodeEvent event) {
    return new String(event.getPayload(), UTF_8);
  }
}
