package org.civicpoints.devnet;

import io.grpc.Server;
import io.grpc.ServerCredentials;
import io.grpc.TlsServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.hyperledger.fabric.contract.ContractRouter;
import org.hyperledger.fabric.protos.common.Block;

/**
 * A single-peer Fabric network in this JVM: one organisation ({@code CivicMSP}), one channel, the
 * contracts on the classpath as one chaincode, a solo orderer and a committer with a block log,
 * served over TLS on 127.0.0.1 through the Fabric Gateway gRPC API.
 *
 * <pre>{@code
 * try (Devnet devnet = Devnet.start(DevnetConfig.of(dataDir, 0))) {
 *     Organization org = devnet.organization();   // CA, TLS CA, users' certificates and keys
 *     String endpoint = devnet.endpoint();        // "127.0.0.1:<port>"
 * }
 * }</pre>
 */
public final class Devnet implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(Devnet.class.getName());
  private static final long SHUTDOWN_SECONDS = 5;

  private final DevnetConfig config;
  private final Msp msp;
  private final Ledger ledger;
  private final BlockLog blockLog;
  private final StateCheckpoint checkpoint;
  private final Committer committer;
  private final Faults faults;
  private final GatewayService service;
  private final ExecutorService gatewayThreads;
  private final ExecutorService eventStreams;
  private final ScheduledExecutorService scheduler;
  private Server server;

  /** Read without the lock: error details carry the address while the server is stopping. */
  private volatile int port;

  private boolean closed;

  private Devnet(
      DevnetConfig config, Msp msp, Ledger ledger, BlockLog blockLog, StateCheckpoint checkpoint) {
    this.config = config;
    this.msp = msp;
    this.ledger = ledger;
    this.blockLog = blockLog;
    this.checkpoint = checkpoint;
    this.port = config.port();
    this.faults = new Faults(new ServerSwitch());
    Orderer orderer = new Orderer(config.maxTxPerBlock(), config.batchTimeout());
    this.committer = new Committer(ledger, blockLog, orderer, faults, checkpoint);
    this.gatewayThreads =
        Executors.newFixedThreadPool(
            Math.max(4, 4 * Runtime.getRuntime().availableProcessors()), threads("devnet-gateway"));
    this.eventStreams = Executors.newCachedThreadPool(threads("devnet-events"));
    this.scheduler = Executors.newSingleThreadScheduledExecutor(threads("devnet-scheduler"));
    ContractRouter router = ChaincodeHost.router(config.chaincodeName());
    Endorser endorser = new Endorser(config, msp, ledger, router);
    this.service =
        new GatewayService(
            new GatewayService.Parts(
                config,
                msp,
                endorser,
                new EnvelopeChecker(config, msp),
                orderer,
                committer,
                ledger,
                faults,
                scheduler,
                eventStreams,
                gatewayThreads,
                this::endpoint));
  }

  /**
   * Creates or reopens the network in {@code config.dataDir()}: on first start the organisation and
   * the genesis block, later the same organisation and the ledger, restored from its checkpoint and
   * the blocks after it.
   */
  public static Devnet start(DevnetConfig config) throws IOException {
    Files.createDirectories(config.dataDir());
    Msp msp = Msp.loadOrCreate(config.dataDir());
    Path ledgerDir = config.dataDir().resolve("ledger").resolve(config.channel());
    StateCheckpoint checkpoint =
        new StateCheckpoint(
            ledgerDir.resolve("state.checkpoint"),
            config.chaincodeName(),
            config.checkpointInterval());
    BlockLog blockLog = BlockLog.open(ledgerDir.resolve("blocks.log"), checkpoint.anchor());
    Devnet devnet = null;
    try {
      Ledger ledger = restore(config, blockLog, checkpoint);
      devnet = new Devnet(config, msp, ledger, blockLog, checkpoint);
      devnet.committer.start();
      devnet.startServer();
      LOG.log(
          System.Logger.Level.INFO,
          "devnet serving channel {0} at {1}, ledger height {2}",
          config.channel(),
          devnet.endpoint(),
          ledger.height());
      return devnet;
    } catch (IOException | RuntimeException e) {
      if (devnet != null) {
        devnet.close();
      } else {
        blockLog.close();
      }
      throw e;
    }
  }

  /** The checkpointed ledger (if it matches the log) with the blocks after it, or a new chain. */
  private static Ledger restore(DevnetConfig config, BlockLog blockLog, StateCheckpoint checkpoint)
      throws IOException {
    if (blockLog.height() == 0) {
      Block genesis = Blocks.genesis(config.channel());
      blockLog.append(genesis);
      Ledger ledger = new Ledger();
      ledger.append(CommittedBlock.replayed(genesis, config.chaincodeName()));
      return ledger;
    }
    Optional<Ledger> restored = checkpoint.load(blockLog);
    if (restored.isEmpty()) {
      blockLog.checkFromGenesis(); // the checkpoint that vouched for the skipped blocks is unusable
    }
    Ledger ledger = restored.orElseGet(Ledger::new);
    long checkpointed = ledger.height();
    for (long number = checkpointed; number < blockLog.height(); number++) {
      Block block = blockLog.read(number).orElseThrow();
      ledger.append(CommittedBlock.replayed(block, config.chaincodeName()));
    }
    LOG.log(
        System.Logger.Level.INFO,
        "ledger restored: {0} blocks from the state checkpoint, {1} replayed from the block log",
        checkpointed,
        ledger.height() - checkpointed);
    return ledger;
  }

  /** The TLS port on 127.0.0.1. */
  public int port() {
    return port;
  }

  /** {@code 127.0.0.1:PORT}, the address clients dial. */
  public String endpoint() {
    return "127.0.0.1:" + port();
  }

  public DevnetConfig config() {
    return config;
  }

  /** The organisation's certificate and key files, for building clients. */
  public Organization organization() {
    return msp.organization();
  }

  public Faults faults() {
    return faults;
  }

  /** The number of committed blocks, genesis included. */
  public long height() {
    return ledger.height();
  }

  /**
   * A committed block as stored, with its transactions filter (validation codes) in the metadata.
   */
  public Optional<Block> block(long number) throws IOException {
    return blockLog.read(number);
  }

  /**
   * Stops serving, commits what was already submitted (unless commits are paused), closes the log.
   */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    stopServer();
    try {
      committer.close();
      checkpoint.closing(ledger, blockLog); // the next start replays nothing
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    eventStreams.shutdownNow();
    scheduler.shutdownNow();
    gatewayThreads.shutdownNow();
    try {
      blockLog.close();
    } catch (IOException e) {
      LOG.log(System.Logger.Level.WARNING, "closing the block log failed", e);
    }
    LOG.log(System.Logger.Level.INFO, "devnet stopped at ledger height {0}", ledger.height());
  }

  private synchronized void startServer() throws IOException {
    ServerCredentials tls =
        TlsServerCredentials.create(msp.peerTlsCertificate().toFile(), msp.peerTlsKey().toFile());
    InetSocketAddress address =
        new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), port);
    server =
        NettyServerBuilder.forAddress(address, tls)
            .executor(gatewayThreads)
            .addService(service)
            .build()
            .start();
    port = server.getPort();
  }

  private synchronized void stopServer() {
    if (server == null) {
      return;
    }
    server.shutdownNow();
    try {
      if (!server.awaitTermination(SHUTDOWN_SECONDS, TimeUnit.SECONDS)) {
        LOG.log(
            System.Logger.Level.WARNING, "gRPC server did not stop within {0} s", SHUTDOWN_SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    server = null;
    ledger.wakeWaiters();
  }

  /** Lets {@link Faults} take the server away and bring it back on the same port. */
  private final class ServerSwitch implements Faults.Server {
    @Override
    public void stop() {
      stopServer();
    }

    @Override
    public void restart() throws IOException {
      synchronized (Devnet.this) {
        if (closed) {
          throw new IllegalStateException("devnet is closed");
        }
        if (server == null) {
          startServer();
        }
      }
    }
  }

  private static ThreadFactory threads(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
