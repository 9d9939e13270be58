package org.civicpoints.devnet;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How a devnet runs: where it keeps its organisation and ledger, which port it serves, and how its
 * orderer cuts blocks.
 *
 * @param dataDir directory holding {@code organizations/} and {@code ledger/}; reused on later
 *     starts
 * @param port TLS port on 127.0.0.1; 0 picks a free port
 * @param channel the single channel served
 * @param chaincodeName the chaincode name the hosted contracts answer to
 * @param maxTxPerBlock block cutter: a block is cut as soon as it holds this many transactions
 * @param batchTimeout block cutter: a block is cut this long after its first transaction arrived
 * @param checkpointInterval a state checkpoint is written every this many blocks (and on close), so
 *     a restart replays only the blocks after it
 */
public record DevnetConfig(
    Path dataDir,
    int port,
    String channel,
    String chaincodeName,
    int maxTxPerBlock,
    Duration batchTimeout,
    int checkpointInterval) {

  public static final String DEFAULT_CHANNEL = "civic";
  public static final String DEFAULT_CHAINCODE = "points";
  public static final int DEFAULT_MAX_TX_PER_BLOCK = 100;
  public static final Duration DEFAULT_BATCH_TIMEOUT = Duration.ofMillis(200);
  public static final int DEFAULT_CHECKPOINT_INTERVAL = 1_000;

  public DevnetConfig {
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(chaincodeName, "chaincodeName");
    Objects.requireNonNull(batchTimeout, "batchTimeout");
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port must be 0..65535, was " + port);
    }
    if (maxTxPerBlock < 1) {
      throw new IllegalArgumentException("maxTxPerBlock must be at least 1, was " + maxTxPerBlock);
    }
    if (batchTimeout.isNegative() || batchTimeout.isZero()) {
      throw new IllegalArgumentException("batchTimeout must be positive, was " + batchTimeout);
    }
    if (checkpointInterval < 1) {
      throw new IllegalArgumentException(
          "checkpointInterval must be at least 1 block, was " + checkpointInterval);
    }
    if (channel.isBlank() || chaincodeName.isBlank()) {
      throw new IllegalArgumentException("channel and chaincodeName must not be blank");
    }
  }

  /** As before checkpoints were configurable: a checkpoint every 1,000 blocks. */
  public DevnetConfig(
      Path dataDir,
      int port,
      String channel,
      String chaincodeName,
      int maxTxPerBlock,
      Duration batchTimeout) {
    this(
        dataDir,
        port,
        channel,
        chaincodeName,
        maxTxPerBlock,
        batchTimeout,
        DEFAULT_CHECKPOINT_INTERVAL);
  }

  /**
   * Channel {@code civic}, chaincode {@code points}, 100 transactions or 200 ms per block, a
   * checkpoint every 1,000 blocks.
   */
  public static DevnetConfig of(Path dataDir, int port) {
    return new DevnetConfig(
        dataDir,
        port,
        DEFAULT_CHANNEL,
        DEFAULT_CHAINCODE,
        DEFAULT_MAX_TX_PER_BLOCK,
        DEFAULT_BATCH_TIMEOUT);
  }

  public DevnetConfig withBlockCutting(int newMaxTxPerBlock, Duration newBatchTimeout) {
    return new DevnetConfig(
        dataDir,
        port,
        channel,
        chaincodeName,
        newMaxTxPerBlock,
        newBatchTimeout,
        checkpointInterval);
  }

  public DevnetConfig withCheckpointInterval(int newCheckpointInterval) {
    return new DevnetConfig(
        dataDir, port, channel, chaincodeName, maxTxPerBlock, batchTimeout, newCheckpointInterval);
  }
}
