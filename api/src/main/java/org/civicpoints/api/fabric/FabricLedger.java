package org.civicpoints.api.fabric;

import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.TlsChannelCredentials;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.concurrent.TimeUnit;
import org.civicpoints.api.config.FabricConfig;
import org.civicpoints.api.port.Ledger;
import org.hyperledger.fabric.client.Contract;
import org.hyperledger.fabric.client.Gateway;
import org.hyperledger.fabric.client.GatewayException;
import org.hyperledger.fabric.client.identity.Identities;
import org.hyperledger.fabric.client.identity.Signers;
import org.hyperledger.fabric.client.identity.X509Identity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ledger through the fabric-gateway client: one TLS gRPC channel, one Gateway, deadlines on
 * every call kind, and every call on a named worker pool, never on an event loop.
 */
public final class FabricLedger implements Ledger {

  private static final Logger LOG = LoggerFactory.getLogger(FabricLedger.class);
  private static final long EVALUATE_SECONDS = 2;
  private static final long SUBMIT_SECONDS = 10;
  private static final int WORKERS = 8;
  /** A read-only query that succeeds on any ledger, empty or not: entries of a member that never exists. */
  private static final String[] READINESS_QUERY = {"ListEntries", "readiness-probe", "1", ""};

  private final ManagedChannel channel;
  private final Gateway gateway;
  private final Contract contract;
  private final WorkerExecutor workers;

  private FabricLedger(ManagedChannel channel, Gateway gateway, Contract contract, WorkerExecutor workers) {
    this.channel = channel;
    this.gateway = gateway;
    this.contract = contract;
    this.workers = workers;
  }

  /** Blocking (reads the PEM files): call from a worker. Connecting itself is lazy. */
  public static FabricLedger connect(Vertx vertx, FabricConfig fabric) {
    String endpoint = fabric.peerEndpoint().orElseThrow();
    ManagedChannel channel = Grpc.newChannelBuilder(endpoint, tls(fabric.tlsCaCertificate().orElseThrow())).build();
    Gateway gateway = Gateway.newInstance()
        .identity(identity(fabric.mspId().orElseThrow(), fabric.certificate().orElseThrow()))
        .signer(Signers.newPrivateKeySigner(privateKey(fabric.privateKey().orElseThrow())))
        .connection(channel)
        .evaluateOptions(options -> options.withDeadlineAfter(EVALUATE_SECONDS, TimeUnit.SECONDS))
        .endorseOptions(options -> options.withDeadlineAfter(SUBMIT_SECONDS, TimeUnit.SECONDS))
        .submitOptions(options -> options.withDeadlineAfter(SUBMIT_SECONDS, TimeUnit.SECONDS))
        .commitStatusOptions(options -> options.withDeadlineAfter(SUBMIT_SECONDS, TimeUnit.SECONDS))
        .chaincodeEventsOptions(options -> options.withDeadlineAfter(SUBMIT_SECONDS, TimeUnit.SECONDS))
        .connect();
    Contract contract = gateway.getNetwork(fabric.channel()).getContract(fabric.chaincode());
    LOG.info("Ledger: peer gateway {} as {}, channel {}, chaincode {}",
        endpoint, fabric.mspId().orElseThrow(), fabric.channel(), fabric.chaincode());
    return new FabricLedger(channel, gateway, contract, vertx.createSharedWorkerExecutor("fabric-gateway", WORKERS));
  }

  @Override
  public Future<Status> check() {
    return workers.<Status>executeBlocking(() -> {
      contract.evaluateTransaction(READINESS_QUERY[0], READINESS_QUERY[1], READINESS_QUERY[2], READINESS_QUERY[3]);
      return Status.UP;
    }, false).recover(failure -> {
      LOG.warn("Ledger readiness query failed: {}", failure instanceof GatewayException gateway
          ? gateway.getStatus().getCode() : failure.getClass().getSimpleName());
      return Future.succeededFuture(Status.DOWN);
    });
  }

  @Override
  public Future<Void> close() {
    return workers.<Void>executeBlocking(() -> {
      gateway.close();
      channel.shutdownNow();
      channel.awaitTermination(5, TimeUnit.SECONDS);
      return null;
    }).compose(v -> workers.close());
  }

  private static ChannelCredentials tls(Path tlsCa) {
    try {
      return TlsChannelCredentials.newBuilder().trustManager(tlsCa.toFile()).build();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read FABRIC_TLS_CA " + tlsCa, e);
    }
  }

  private static X509Identity identity(String mspId, Path certificate) {
    try (Reader reader = Files.newBufferedReader(certificate)) {
      return new X509Identity(mspId, Identities.readX509Certificate(reader));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read FABRIC_CERT " + certificate, e);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("FABRIC_CERT " + certificate + " is not a PEM certificate", e);
    }
  }

  private static java.security.PrivateKey privateKey(Path key) {
    try (Reader reader = Files.newBufferedReader(key)) {
      return Identities.readPrivateKey(reader);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read FABRIC_KEY " + key, e);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("FABRIC_KEY " + key + " is not a PEM private key", e);
    }
  }
}
