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
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.hyperledger.fabric.client.ChaincodeEvent;
import org.hyperledger.fabric.client.CloseableIterator;
import org.hyperledger.fabric.client.Contract;
import org.hyperledger.fabric.client.Gateway;
import org.hyperledger.fabric.client.Network;
import org.hyperledger.fabric.client.Status;
import org.hyperledger.fabric.client.SubmittedTransaction;
import org.hyperledger.fabric.client.Transaction;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A restart from the state checkpoint answers exactly as a replay of the whole block log; a
 * checkpoint that does not match the log, or is damaged, is ignored and the state rebuilt.
 */
class StateCheckpointTest {

  private static final List<String> KEYS = List.of("a", "b", "gone", "counter", "raced");

  /** Events the workload emits: three increments, one note, the winning race, one more later. */
  private static final int EVENTS = 6;

  @TempDir Path dataDir;

  @Test
  void a_restart_from_the_checkpoint_answers_as_a_replay_of_the_whole_log() throws Exception {
    Path older = dataDir.resolveSibling(dataDir.getFileName() + "-older.checkpoint");
    try (Devnet devnet = start(dataDir);
        Client client = new Client(devnet)) {
      client.firstHalf();
      TestWaits.until(() -> Files.exists(checkpoint(dataDir)), Duration.ofSeconds(10));
      Files.copy(checkpoint(dataDir), older, StandardCopyOption.REPLACE_EXISTING);
      client.secondHalf();
    }
    long checkpointedHeight = loadedHeight(dataDir).orElseThrow();

    Answers fromCheckpoint = answers(dataDir);
    Files.copy(older, checkpoint(dataDir), StandardCopyOption.REPLACE_EXISTING);
    assertThat(loadedHeight(dataDir)).get().isNotNull().matches(h -> h < checkpointedHeight);
    Answers fromOlderCheckpointAndTheBlocksAfterIt = answers(dataDir);
    Files.delete(checkpoint(dataDir));
    Answers fromTheLog = answers(dataDir);

    assertThat(fromCheckpoint.height()).isEqualTo(checkpointedHeight);
    assertThat(fromCheckpoint).isEqualTo(fromTheLog);
    assertThat(fromOlderCheckpointAndTheBlocksAfterIt).isEqualTo(fromTheLog);
    assertThat(fromTheLog.values()).containsExactly("3", "2", "", "3", "1");
    assertThat(fromTheLog.events()).hasSize(EVENTS);
  }

  @Test
  void a_ledger_restored_from_the_checkpoint_commits_on_and_knows_its_transaction_ids()
      throws Exception {
    byte[] committedBytes;
    byte[] commitBytes;
    Status committed;
    try (Devnet devnet = start(dataDir);
        Client client = new Client(devnet)) {
      client.firstHalf();
      Transaction endorsed =
          client.kv.newProposal("Increment").addArguments("counter").build().endorse();
      committedBytes = endorsed.getBytes();
      SubmittedTransaction submitted = endorsed.submitAsync();
      committed = submitted.getStatus();
      commitBytes = submitted.getBytes();
    }
    assertThat(loadedHeight(dataDir)).isPresent();

    try (Devnet devnet = start(dataDir);
        Client client = new Client(devnet)) {
      Status asked = client.gateway.newCommit(commitBytes).getStatus();
      long heightBefore = devnet.height();
      Status resubmitted = client.gateway.newTransaction(committedBytes).submitAsync().getStatus();
      TestWaits.until(() -> devnet.height() > heightBefore, Duration.ofSeconds(10));
      Status next =
          client
              .kv
              .newProposal("Increment")
              .addArguments("counter")
              .build()
              .endorse()
              .submitAsync()
              .getStatus();

      assertThat(asked.getCode()).isEqualTo(TxValidationCode.VALID);
      assertThat(asked.getBlockNumber()).isEqualTo(committed.getBlockNumber());
      // As on a peer, the status of a repeated id is that of its first commit; the repeat changed
      // nothing (committed as DUPLICATE_TXID): only the next increment counts.
      assertThat(resubmitted.getBlockNumber()).isEqualTo(committed.getBlockNumber());
      assertThat(next.isSuccessful()).isTrue();
      assertThat(client.get("counter")).isEqualTo("5");
      assertThat(Blocks.validationCodes(devnet.block(heightBefore).orElseThrow()))
          .containsExactly(TxValidationCode.DUPLICATE_TXID_VALUE);
    }
  }

  @Test
  void a_start_from_the_checkpoint_reads_only_its_block_and_the_blocks_after_it() throws Exception {
    Answers before = twoHalvesCheckpointedAtTheEnd();
    damageBlockOne(dataDir);

    assertThat(answers(dataDir)).isEqualTo(before);

    Files.delete(checkpoint(dataDir));
    assertThatThrownBy(() -> start(dataDir).close())
        .isInstanceOf(IOException.class)
        .hasMessageContaining("the block log is corrupt");
  }

  @Test
  void a_damaged_checkpoint_makes_the_start_check_every_block_it_skipped() throws Exception {
    twoHalvesCheckpointedAtTheEnd();
    damageBlockOne(dataDir);
    flipByte(checkpoint(dataDir), Files.size(checkpoint(dataDir)) / 2);

    assertThatThrownBy(() -> start(dataDir).close())
        .isInstanceOf(IOException.class)
        .hasMessageContaining("the block log is corrupt");
  }

  @Test
  void a_torn_record_after_the_checkpoint_is_cut_and_the_blocks_between_are_replayed(
      @TempDir Path copyDir) throws Exception {
    Path older = dataDir.resolveSibling(dataDir.getFileName() + "-older.checkpoint");
    try (Devnet devnet = start(dataDir);
        Client client = new Client(devnet)) {
      client.firstHalf();
      TestWaits.until(() -> Files.exists(checkpoint(dataDir)), Duration.ofSeconds(10));
      Files.copy(checkpoint(dataDir), older, StandardCopyOption.REPLACE_EXISTING);
      client.secondHalf();
    }
    Files.copy(older, checkpoint(dataDir), StandardCopyOption.REPLACE_EXISTING);
    long checkpointed = loadedHeight(dataDir).orElseThrow();
    truncate(dataDir.resolve("ledger/civic/blocks.log"), 5);
    copy(dataDir, copyDir);
    Files.delete(checkpoint(copyDir));

    Answers resumed = answers(dataDir);

    assertThat(resumed).isEqualTo(answers(copyDir));
    assertThat(resumed.height()).isGreaterThan(checkpointed);
    assertThat(resumed.values()).containsExactly("1", "2", "", "3", "1");
  }

  /** Runs the whole workload; the close writes the checkpoint at the last block. */
  private Answers twoHalvesCheckpointedAtTheEnd() throws Exception {
    try (Devnet devnet = start(dataDir);
        Client client = new Client(devnet)) {
      client.firstHalf();
      client.secondHalf();
    }
    return answers(dataDir);
  }

  /** Flips a byte inside block 1's record, long before the checkpoint's block. */
  private static void damageBlockOne(Path dir) throws IOException {
    Path log = dir.resolve("ledger/civic/blocks.log");
    ByteBuffer length = ByteBuffer.allocate(Integer.BYTES);
    try (FileChannel channel = FileChannel.open(log, StandardOpenOption.READ)) {
      channel.read(length, 0);
    }
    long blockOne = Integer.BYTES * 2L + length.flip().getInt();
    flipByte(log, blockOne + Integer.BYTES * 2L + 10);
  }

  /** Ways a checkpoint can stop describing the block log next to it. */
  enum Damage {
    FLIPPED_BYTE,
    TRUNCATED,
    EMPTY,
    FROM_ANOTHER_CHAIN,
    AHEAD_OF_A_LOG_WHOSE_TORN_TAIL_WAS_CUT
  }

  @ParameterizedTest
  @EnumSource(Damage.class)
  void a_checkpoint_that_does_not_match_the_log_is_ignored_and_the_state_rebuilt(
      Damage damage, @TempDir Path otherDir, @TempDir Path copyDir) throws Exception {
    try (Devnet devnet = start(dataDir);
        Client client = new Client(devnet)) {
      client.firstHalf();
      client.secondHalf();
    }
    damage(damage, otherDir);
    copy(dataDir, copyDir);
    Files.delete(checkpoint(copyDir));

    assertThat(loadedHeight(dataDir)).isEmpty();
    Answers rebuilt = answers(dataDir);
    assertThat(rebuilt).isEqualTo(answers(copyDir));
    assertThat(loadedHeight(dataDir)).get().isEqualTo(rebuilt.height()); // rewritten on close
  }

  @Test
  void a_temporary_file_left_by_a_crash_mid_write_leaves_the_checkpoint_in_use() throws Exception {
    try (Devnet devnet = start(dataDir);
        Client client = new Client(devnet)) {
      client.firstHalf();
    }
    long height = loadedHeight(dataDir).orElseThrow();
    Path temporary = checkpoint(dataDir).resolveSibling("state.checkpoint.tmp");
    Files.write(temporary, new byte[] {1, 2, 3});

    assertThat(loadedHeight(dataDir)).contains(height);
    try (Devnet devnet = start(dataDir);
        Client client = new Client(devnet)) {
      client.kv.submitTransaction("Put", "after", "crash");
    }
    assertThat(loadedHeight(dataDir)).contains(height + 1);
    assertThat(temporary).doesNotExist();
  }

  private void damage(Damage damage, Path otherDir) throws Exception {
    Path checkpoint = checkpoint(dataDir);
    switch (damage) {
      case FLIPPED_BYTE -> flipByte(checkpoint, Files.size(checkpoint) / 2);
      case TRUNCATED -> truncate(checkpoint, Files.size(checkpoint) / 3);
      case EMPTY -> Files.write(checkpoint, new byte[0]);
      case FROM_ANOTHER_CHAIN -> {
        try (Devnet other = start(otherDir);
            Client client = new Client(other)) {
          client.kv.submitTransaction("Put", "a", "elsewhere");
        }
        Files.copy(checkpoint(otherDir), checkpoint, StandardCopyOption.REPLACE_EXISTING);
      }
      case AHEAD_OF_A_LOG_WHOSE_TORN_TAIL_WAS_CUT ->
          truncate(dataDir.resolve("ledger/civic/blocks.log"), 5);
    }
  }

  /** What clients can see of a ledger: values, histories, a range, and every event. */
  record Answers(
      long height,
      List<String> values,
      List<String> histories,
      String items,
      List<String> events) {}

  private static Answers answers(Path dir) throws Exception {
    try (Devnet devnet = start(dir);
        Client client = new Client(devnet)) {
      List<String> values = new ArrayList<>();
      List<String> histories = new ArrayList<>();
      for (String key : KEYS) {
        values.add(client.get(key));
        histories.add(new String(client.kv.evaluateTransaction("History", key), UTF_8));
      }
      String items = new String(client.kv.evaluateTransaction("PageItems", "g", "10", ""), UTF_8);
      return new Answers(devnet.height(), values, histories, items, client.events());
    }
  }

  /** The checkpoint's height if it loads against the log next to it. */
  private static Optional<Long> loadedHeight(Path dir) throws IOException {
    try (BlockLog log = BlockLog.open(dir.resolve("ledger/civic/blocks.log"))) {
      return new StateCheckpoint(checkpoint(dir), "points", 1).load(log).map(Ledger::height);
    }
  }

  private static Devnet start(Path dir) throws IOException {
    return Devnet.start(
        DevnetConfig.of(dir, 0)
            .withBlockCutting(100, Duration.ofMillis(50))
            .withCheckpointInterval(2));
  }

  private static Path checkpoint(Path dir) {
    return dir.resolve("ledger/civic/state.checkpoint");
  }

  private static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        Path target = to.resolve(from.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(target);
        } else {
          Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  private static void truncate(Path file, long bytes) throws IOException {
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

  /** One client connection to a running devnet, and the workload whose answers are compared. */
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

    void firstHalf() throws Exception {
      kv.submitTransaction("Put", "a", "1");
      kv.submitTransaction("Put", "b", "2");
      for (int i = 0; i < 3; i++) {
        kv.submitTransaction("Increment", "counter");
      }
      kv.submitTransaction("Put", "gone", "soon");
    }

    void secondHalf() throws Exception {
      kv.submitTransaction("Delete", "gone");
      kv.submitTransaction("Emit", "Note", "hello");
      kv.submitTransaction("PutItems", "g", "5");
      Transaction winner = kv.newProposal("Increment").addArguments("raced").build().endorse();
      Transaction loser = kv.newProposal("Increment").addArguments("raced").build().endorse();
      assertThat(winner.submitAsync().getStatus().isSuccessful()).isTrue();
      assertThat(loser.submitAsync().getStatus().getCode())
          .isEqualTo(TxValidationCode.MVCC_READ_CONFLICT);
      kv.submitTransaction("Emit", "Note", "last");
      kv.submitTransaction("Put", "a", "3"); // no event: a cut torn tail loses no event
    }

    String get(String key) throws Exception {
      return new String(kv.evaluateTransaction("Get", key), UTF_8);
    }

    /** Every event from block 0, as "block:txId:name:payload". */
    List<String> events() throws Exception {
      List<String> events = new ArrayList<>();
      try (CloseableIterator<ChaincodeEvent> stream =
          network.newChaincodeEventsRequest("points").startBlock(0).build().getEvents()) {
        while (events.size() < EVENTS) {
          ChaincodeEvent event = stream.next();
          events.add(
              event.getBlockNumber()
                  + ":"
                  + event.getTransactionId()
                  + ":"
                  + event.getEventName()
                  + ":"
                  + new String(event.getPayload(), UTF_8));
        }
      }
      return events;
    }

    @Override
    public void close() throws InterruptedException {
      gateway.close();
      GatewayClients.shutdown(channel);
    }
  }
}
