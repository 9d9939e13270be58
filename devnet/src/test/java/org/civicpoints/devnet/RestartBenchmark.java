package org.civicpoints.devnet;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.hyperledger.fabric.protos.ledger.rwset.NsReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.TxReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRWSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRead;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVWrite;
import org.hyperledger.fabric.protos.msp.SerializedIdentity;
import org.hyperledger.fabric.protos.peer.ChaincodeAction;
import org.hyperledger.fabric.protos.peer.ChaincodeActionPayload;
import org.hyperledger.fabric.protos.peer.ChaincodeEndorsedAction;
import org.hyperledger.fabric.protos.peer.ChaincodeEvent;
import org.hyperledger.fabric.protos.peer.ChaincodeID;
import org.hyperledger.fabric.protos.peer.ChaincodeInput;
import org.hyperledger.fabric.protos.peer.ChaincodeInvocationSpec;
import org.hyperledger.fabric.protos.peer.ChaincodeProposalPayload;
import org.hyperledger.fabric.protos.peer.ChaincodeSpec;
import org.hyperledger.fabric.protos.peer.Endorsement;
import org.hyperledger.fabric.protos.peer.ProposalResponsePayload;
import org.hyperledger.fabric.protos.peer.Response;
import org.hyperledger.fabric.protos.peer.Transaction;
import org.hyperledger.fabric.protos.peer.TransactionAction;
import org.hyperledger.fabric.protos.peer.TxValidationCode;

/**
 * How long a devnet takes to restart, and how much heap it holds, once its ledger has many
 * transactions.
 *
 * <p>Builds the ledger straight into the block log, in blocks of 100 (the default block cutting):
 * each transaction is shaped like a {@code RecordAwards} of one award as the gateway submits it
 * (the relay's certificate as creator, the proposal, the peer's endorsement, a read-write set that
 * reads and writes the member's account, writes the entry and a day-cap counter, a {@code
 * PointsMoved} event). Signatures are filler of a real signature's length: a restart trusts its own
 * block log and does not verify them, as a peer trusts its own blocks. Then it starts and closes
 * the devnet {@code --runs} times, each in this JVM after the contracts were booted once, and
 * prints the start time and the heap held after start (after a GC). {@code --from checkpoint}
 * (default) starts from the checkpoint the previous close wrote (the first start of a fresh ledger
 * replays the log and writes it; that close is timed too); {@code --from log} deletes the
 * checkpoint before each start, so the whole log is replayed.
 *
 * <pre>
 * mvn -B -o -q -pl devnet test-compile exec:exec -Dexec.classpathScope=test -Dexec.executable=java \
 *     -Dexec.args="-Xmx8g -classpath %classpath org.civicpoints.devnet.RestartBenchmark \
 *     --dir /tmp/restart-1m --transactions 1000000 --runs 3 --from checkpoint"
 * </pre>
 */
public final class RestartBenchmark {

  private static final int TX_PER_BLOCK = DevnetConfig.DEFAULT_MAX_TX_PER_BLOCK;
  private static final int MEMBERS = 10_000;
  private static final int SIGNATURE_BYTES = 71;

  private final DevnetConfig config;
  private final ByteString creator;
  private final ByteString peer;
  private final Random random = new Random(42);

  private RestartBenchmark(DevnetConfig config, Msp msp) throws IOException {
    this.config = config;
    this.creator = identity(msp.organization().user("relay").certificate());
    this.peer = msp.peerIdentity();
  }

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(option(args, "--dir", null));
    int transactions = Integer.parseInt(option(args, "--transactions", "100000"));
    int runs = Integer.parseInt(option(args, "--runs", "3"));
    boolean fromCheckpoint = option(args, "--from", "checkpoint").equals("checkpoint");
    DevnetConfig config = DevnetConfig.of(dir, 0);
    Path ledger = dir.resolve("ledger").resolve(config.channel());
    Path log = ledger.resolve("blocks.log");
    Path checkpoint = ledger.resolve("state.checkpoint");
    if (!Files.exists(log)) {
      new RestartBenchmark(config, Msp.loadOrCreate(dir)).build(log, transactions);
    }
    ChaincodeHost.router(config.chaincodeName()); // booted once per JVM, not part of a restart
    if (fromCheckpoint && !Files.exists(checkpoint)) {
      writeCheckpoint(config, checkpoint);
    }
    long[] millis = new long[runs];
    for (int run = 0; run < runs; run++) {
      if (!fromCheckpoint) {
        Files.deleteIfExists(checkpoint); // the close before wrote one
      }
      millis[run] = restart(config, run + 1, Files.size(log));
    }
    Arrays.sort(millis);
    System.out.printf(
        "median start %d ms over %d runs (%s)%n",
        millis[runs / 2], runs, fromCheckpoint ? "from the checkpoint" : "replaying the block log");
  }

  /** A start that replays the whole log, then a close that writes the checkpoint; both timed. */
  private static void writeCheckpoint(DevnetConfig config, Path checkpoint) throws IOException {
    long closed;
    try (Devnet devnet = Devnet.start(config)) {
      closed = System.nanoTime();
    }
    System.out.printf(
        "close with checkpoint write %d ms, checkpoint %d MB%n",
        Duration.ofNanos(System.nanoTime() - closed).toMillis(), Files.size(checkpoint) >> 20);
  }

  private static long restart(DevnetConfig config, int run, long logBytes) throws IOException {
    System.gc();
    long cpuBefore = processCpuNanos();
    long started = System.nanoTime();
    try (Devnet devnet = Devnet.start(config)) {
      long millis = Duration.ofNanos(System.nanoTime() - started).toMillis();
      long cpuMillis = Duration.ofNanos(processCpuNanos() - cpuBefore).toMillis();
      System.gc();
      long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
      System.out.printf(
          "run %d: height %d (%d MB block log), start %d ms (process CPU %d ms), heap after start"
              + " %d MB, load average %.1f%n",
          run,
          devnet.height(),
          logBytes >> 20,
          millis,
          cpuMillis,
          heap >> 20,
          ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
      return millis;
    }
  }

  /** CPU of every thread, GC and JIT included: the figure that depends least on other load. */
  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private void build(Path log, int transactions) throws IOException {
    long started = System.nanoTime();
    try (BlockLog blocks = BlockLog.open(log)) {
      org.hyperledger.fabric.protos.common.Block genesis = Blocks.genesis(config.channel());
      blocks.append(genesis);
      ByteString previous = Blocks.headerHash(genesis.getHeader());
      byte[] codes = new byte[TX_PER_BLOCK];
      Arrays.fill(codes, (byte) TxValidationCode.VALID_VALUE);
      for (long number = 1; (number - 1) * TX_PER_BLOCK < transactions; number++) {
        List<ByteString> envelopes = new ArrayList<>(TX_PER_BLOCK);
        for (int i = 0; i < TX_PER_BLOCK; i++) {
          envelopes.add(awardTransaction(number, i).toByteString());
        }
        org.hyperledger.fabric.protos.common.Block block =
            Blocks.build(number, previous, envelopes, codes);
        blocks.append(block);
        previous = Blocks.headerHash(block.getHeader());
      }
    }
    System.out.printf(
        "built %d transactions in %d s%n",
        transactions, Duration.ofNanos(System.nanoTime() - started).toSeconds());
  }

  private Envelope awardTransaction(long blockNumber, int index) {
    byte[] nonce = bytes(24);
    String txId = TransactionIds.expected(ByteString.copyFrom(nonce), creator);
    Instant now = Instant.now();
    String member = "member-" + random.nextInt(MEMBERS);
    String entryId = "entry-" + blockNumber + "-" + index;
    ChannelHeader channelHeader =
        ChannelHeader.newBuilder()
            .setType(HeaderType.ENDORSER_TRANSACTION_VALUE)
            .setChannelId(config.channel())
            .setTxId(txId)
            .setTimestamp(Blocks.timestamp(now))
            .build();
    SignatureHeader signatureHeader =
        SignatureHeader.newBuilder()
            .setCreator(creator)
            .setNonce(ByteString.copyFrom(nonce))
            .build();
    String award =
        ("[{\"entryId\":\"%s\",\"memberId\":\"%s\",\"ruleId\":\"volunteer-hour\",\"units\":1,"
                + "\"occurredOn\":\"2026-12-01\",\"orgUnitId\":\"community-1\",\"actor\":\"staff-1\"}]")
            .formatted(entryId, member);
    ByteString responsePayload =
        ProposalResponsePayload.newBuilder()
            .setProposalHash(ByteString.copyFrom(bytes(32)))
            .setExtension(chaincodeAction(blockNumber, member, entryId).toByteString())
            .build()
            .toByteString();
    ChaincodeActionPayload actionPayload =
        ChaincodeActionPayload.newBuilder()
            .setChaincodeProposalPayload(proposalPayload(award))
            .setAction(
                ChaincodeEndorsedAction.newBuilder()
                    .setProposalResponsePayload(responsePayload)
                    .addEndorsements(
                        Endorsement.newBuilder()
                            .setEndorser(peer)
                            .setSignature(ByteString.copyFrom(bytes(SIGNATURE_BYTES)))))
            .build();
    Payload payload =
        Payload.newBuilder()
            .setHeader(
                Header.newBuilder()
                    .setChannelHeader(channelHeader.toByteString())
                    .setSignatureHeader(signatureHeader.toByteString()))
            .setData(
                Transaction.newBuilder()
                    .addActions(
                        TransactionAction.newBuilder()
                            .setHeader(signatureHeader.toByteString())
                            .setPayload(actionPayload.toByteString()))
                    .build()
                    .toByteString())
            .build();
    return Envelope.newBuilder()
        .setPayload(payload.toByteString())
        .setSignature(ByteString.copyFrom(bytes(SIGNATURE_BYTES)))
        .build();
  }

  private ByteString proposalPayload(String award) {
    ChaincodeSpec spec =
        ChaincodeSpec.newBuilder()
            .setChaincodeId(ChaincodeID.newBuilder().setName(config.chaincodeName()))
            .setInput(
                ChaincodeInput.newBuilder()
                    .addArgs(ByteString.copyFromUtf8("RecordAwards"))
                    .addArgs(ByteString.copyFromUtf8(award)))
            .build();
    return ChaincodeProposalPayload.newBuilder()
        .setInput(
            ChaincodeInvocationSpec.newBuilder().setChaincodeSpec(spec).build().toByteString())
        .build()
        .toByteString();
  }

  private ChaincodeAction chaincodeAction(long blockNumber, String member, String entryId) {
    String account = "\u0000account\u0000" + member + "\u0000";
    String entry = "\u0000entry\u0000" + entryId + "\u0000";
    String cap = "\u0000capday\u0000" + member + "\u0000VOLUNTEER\u00002026-12-01\u0000";
    KVRWSet rwset =
        KVRWSet.newBuilder()
            .addReads(read(account, blockNumber - 1))
            .addReads(read(entry, -1))
            .addReads(read(cap, blockNumber - 1))
            .addWrites(
                write(
                    account,
                    "{\"memberId\":\"%s\",\"balance\":%d,\"earned\":%d,\"spent\":0,\"reversed\":0}"
                        .formatted(member, blockNumber * 10, blockNumber * 10)))
            .addWrites(
                write(
                    entry,
                    ("{\"entryId\":\"%s\",\"kind\":\"AWARD\",\"memberId\":\"%s\",\"points\":10,"
                            + "\"requestedPoints\":10,\"category\":\"VOLUNTEER\",\"ruleId\":\"volunteer-hour\","
                            + "\"ruleVersion\":1,\"orgUnitId\":\"community-1\",\"occurredOn\":\"2026-12-01\","
                            + "\"actor\":\"staff-1\"}")
                        .formatted(entryId, member)))
            .addWrites(write(cap, "10"))
            .build();
    TxReadWriteSet results =
        TxReadWriteSet.newBuilder()
            .setDataModel(TxReadWriteSet.DataModel.KV)
            .addNsRwset(
                NsReadWriteSet.newBuilder()
                    .setNamespace(config.chaincodeName())
                    .setRwset(rwset.toByteString()))
            .build();
    ChaincodeEvent event =
        ChaincodeEvent.newBuilder()
            .setChaincodeId(config.chaincodeName())
            .setEventName("PointsMoved")
            .setPayload(
                ByteString.copyFromUtf8(
                    "{\"entries\":[{\"entryId\":\"%s\",\"memberId\":\"%s\",\"points\":10,\"status\":\"RECORDED\"}]}"
                        .formatted(entryId, member)))
            .build();
    return ChaincodeAction.newBuilder()
        .setResults(results.toByteString())
        .setEvents(event.toByteString())
        .setResponse(
            Response.newBuilder()
                .setStatus(200)
                .setPayload(
                    ByteString.copyFromUtf8(
                        "[{\"entryId\":\"%s\",\"status\":\"RECORDED\",\"points\":10}]"
                            .formatted(entryId))))
        .setChaincodeId(ChaincodeID.newBuilder().setName(config.chaincodeName()).setVersion("1.0"))
        .build();
  }

  private static KVRead read(String key, long blockNumber) {
    KVRead.Builder read = KVRead.newBuilder().setKey(key);
    if (blockNumber > 0) {
      read.setVersion(new Version(blockNumber, 0).toProto());
    }
    return read.build();
  }

  private static KVWrite write(String key, String value) {
    return KVWrite.newBuilder().setKey(key).setValue(ByteString.copyFrom(value, UTF_8)).build();
  }

  private static ByteString identity(Path certificate) throws IOException {
    return SerializedIdentity.newBuilder()
        .setMspid(Msp.MSP_ID)
        .setIdBytes(ByteString.copyFrom(Files.readAllBytes(certificate)))
        .build()
        .toByteString();
  }

  private byte[] bytes(int length) {
    byte[] bytes = new byte[length];
    random.nextBytes(bytes);
    return bytes;
  }

  private static String option(String[] args, String name, String fallback) {
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals(name)) {
        return args[i + 1];
      }
    }
    if (fallback == null) {
      throw new IllegalArgumentException("missing " + name);
    }
    return fallback;
  }
}
