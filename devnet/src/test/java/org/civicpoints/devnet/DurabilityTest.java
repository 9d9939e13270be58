package org.civicpoints.devnet;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ManagedChannel;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import org.hyperledger.fabric.client.ChaincodeEvent;
import org.hyperledger.fabric.client.CloseableIterator;
import org.hyperledger.fabric.client.Contract;
import org.hyperledger.fabric.client.Gateway;
import org.hyperledger.fabric.client.Network;
import org.hyperledger.fabric.client.Status;
import org.hyperledger.fabric.client.Transaction;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The block log is the ledger: a restart replays it; a torn last record is dropped, never served.
 */
class DurabilityTest {

  @TempDir Path dataDir;

  @Test
  void state_history_and_events_survive_a_restart() throws Exception {
    Status first;
    Status second;
    long heightBefore;
    try (Devnet devnet = start();
        Client client = new Client(devnet)) {
      first =
          client
              .kv
              .newProposal("Put")
              .addArguments("kept", "v1")
              .build()
              .endorse()
              .submitAsync()
              .getStatus();
      second =
          client
              .kv
              .newProposal("Increment")
              .addArguments("kept-counter")
              .build()
              .endorse()
              .submitAsync()
              .getStatus();
      client.kv.submitTransaction("Put", "kept", "v2");
      Transaction winner =
          client.kv.newProposal("Increment").addArguments("raced").build().endorse();
      Transaction loser =
          client.kv.newProposal("Increment").addArguments("raced").build().endorse();
      assertThat(winner.submitAsync().getStatus().getCode()).isEqualTo(TxValidationCode.VALID);
      assertThat(loser.submitAsync().getStatus().getCode())
          .isEqualTo(TxValidationCode.MVCC_READ_CONFLICT);
      heightBefore = devnet.height();
    }

    try (Devnet devnet = start();
        Client client = new Client(devnet)) {
      assertThat(devnet.height()).isEqualTo(heightBefore);
      assertThat(client.get("kept")).isEqualTo("v2");
      assertThat(client.get("kept-counter")).isEqualTo("1");
      assertThat(client.get("raced")).isEqualTo("1"); // the invalid transaction replays as invalid
      assertThat(new String(client.kv.evaluateTransaction("History", "raced"), UTF_8).split(";"))
          .hasSize(1);
      String[] history =
          new String(client.kv.evaluateTransaction("History", "kept"), UTF_8).split(";");
      assertThat(history).hasSize(2);
      assertThat(history[1]).startsWith(first.getTransactionId() + ":v1:");
      try (CloseableIterator<ChaincodeEvent> events =
          client
              .network
              .newChaincodeEventsRequest("points")
              .startBlock(first.getBlockNumber())
              .build()
              .getEvents()) {
        ChaincodeEvent replayed = events.next();
        assertThat(replayed.getTransactionId()).isEqualTo(second.getTransactionId());
        assertThat(replayed.getBlockNumber()).isEqualTo(second.getBlockNumber());
      }
      Status afterRestart =
          client
              .kv
              .newProposal("Increment")
              .addArguments("kept-counter")
              .build()
              .endorse()
              .submitAsync()
              .getStatus();
      assertThat(afterRestart.getBlockNumber()).isEqualTo(heightBefore);
      assertThat(client.get("kept-counter")).isEqualTo("2");
    }
  }

  @Test
  void a_torn_last_record_is_dropped_and_the_earlier_blocks_are_served() throws Exception {
    long heightBefore;
    try (Devnet devnet = start();
        Client client = new Client(devnet)) {
      client.kv.submitTransaction("Put", "torn", "kept");
      client.kv.submitTransaction("Put", "torn", "lost in the crash");
      heightBefore = devnet.height();
    }
    truncate(blockLog(), 5);

    try (Devnet devnet = start();
        Client client = new Client(devnet)) {
      assertThat(devnet.height()).isEqualTo(heightBefore - 1);
      assertThat(devnet.block(heightBefore - 1)).isEmpty();
      assertThat(client.get("torn")).isEqualTo("kept");
      Status next =
          client
              .kv
              .newProposal("Put")
              .addArguments("torn", "rewritten")
              .build()
              .endorse()
              .submitAsync()
              .getStatus();
      assertThat(next.getBlockNumber()).isEqualTo(heightBefore - 1);
      assertThat(client.get("torn")).isEqualTo("rewritten");
    }
    try (Devnet devnet = start();
        Client client = new Client(devnet)) {
      assertThat(devnet.height()).isEqualTo(heightBefore);
      assertThat(client.get("torn")).isEqualTo("rewritten");
    }
  }

  @Test
  void corruption_before_the_last_record_stops_a_start_that_reads_the_whole_log() throws Exception {
    try (Devnet devnet = start();
        Client client = new Client(devnet)) {
      client.kv.submitTransaction("Put", "a", "1");
      client.kv.submitTransaction("Put", "b", "2");
    }
    flipByte(blockLog(), 20); // inside block 0, which has blocks after it
    // Without a checkpoint every block is read (StateCheckpointTest: with one, only those after
    // it).
    Files.delete(blockLog().resolveSibling("state.checkpoint"));

    assertThatThrownBy(this::start).isInstanceOf(IOException.class).hasMessageContaining("corrupt");
  }

  @Test
  void a_second_devnet_on_the_same_directory_is_refused() throws Exception {
    try (Devnet devnet = start()) {
      assertThatThrownBy(this::start)
          .isInstanceOf(IOException.class)
          .hasMessageContaining("in use");
      assertThat(devnet.height()).isEqualTo(1);
    }
  }

  @Test
  void a_start_that_cannot_bind_its_port_fails_and_leaves_the_ledger_reusable(
      @TempDir Path otherDir) throws Exception {
    try (Devnet holder = Devnet.start(DevnetConfig.of(otherDir, 0))) {
      DevnetConfig busy = DevnetConfig.of(dataDir, holder.port());

      assertThatThrownBy(() -> Devnet.start(busy)).isInstanceOf(IOException.class);
    }
    try (Devnet devnet = start()) {
      assertThat(devnet.height()).isEqualTo(1);
    }
  }

  private Devnet start() throws IOException {
    return Devnet.start(DevnetConfig.of(dataDir, 0).withBlockCutting(100, Duration.ofMillis(50)));
  }

  private Path blockLog() {
    return dataDir.resolve("ledger/civic/blocks.log");
  }

  private static void truncate(Path file, int bytes) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.truncate(channel.size() - bytes);
    }
  }

  private static void flipByte(Path file, long position) throws IOException {
    try (FileChannel channel =
        FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      ByteBuffer one = ByteBuffer.allocate(1);
      channel.read(one, position);
      one.put(0, (byte) (one.get(0) ^ 0xFF)).rewind();
      channel.write(one, position);
    }
  }

  /** One client connection to a running devnet. */
  private static final class Client implements AutoCloseable {
    private final ManagedChannel channel;
    private final Gateway gateway;
    private final Network network;
    private final Contract kv;

    Client(Devnet devnet) throws IOException {
      channel = GatewayClients.channel(devnet);
      gateway = GatewayClients.gateway(channel, devnet.organization(), "relay");
      network = gateway.getNetwork("civic");
      kv = network.getContract("points", "kv");
    }

    String get(String key) throws Exception {
      return new String(kv.evaluateTransaction("Get", key), UTF_8);
    }

    @Override
    public void close() throws InterruptedException {
      gateway.close();
      GatewayClients.shutdown(channel);
    }
  }
}
