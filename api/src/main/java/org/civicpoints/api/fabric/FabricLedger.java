package org.civicpoints.api.fabric;

import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.TlsChannelCredentials;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import org.civicpoints.api.config.FabricConfig;
import org.civicpoints.api.domain.LedgerFailure;
import org.civicpoints.api.port.HealthCheck;
import org.civicpoints.api.port.Ledger;
import org.civicpoints.api.port.Ledger.AwardStatus;
import org.hyperledger.fabric.client.Contract;
import org.hyperledger.fabric.client.Gateway;
import org.hyperledger.fabric.client.GatewayException;
import org.hyperledger.fabric.client.Network;
import org.hyperledger.fabric.client.SubmittedTransaction;
import org.hyperledger.fabric.client.identity.Identities;
import org.hyperledger.fabric.client.identity.Signers;
import org.hyperledger.fabric.client.identity.X509Identity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ledger through the fabric-gateway client: one TLS gRPC channel, one Gateway per identity (the
 * ledger-writer, and the rules-admin for rule changes), deadlines on every call kind, and every
 * call on a named worker pool, never on an event loop. Chaincode events are read by a dedicated
 * thread per subscription.
 */
public final class FabricLedger implements Ledger {

  private static final Logger LOG = LoggerFactory.getLogger(FabricLedger.class);
  private static final long EVALUATE_SECONDS = 2;
  private static final long ENDORSE_SECONDS = 10;
  private static final long SUBMIT_SECONDS = 5;
  private static final long COMMIT_STATUS_SECONDS = 15;

  /** A quiet event stream ends at this deadline and is reopened from where it was. */
  private static final long EVENTS_SECONDS = 30;

  private static final int WORKERS = 12;

  /** The chaincode's largest page of a member's entries. */
  private static final int ENTRIES_PER_PAGE = 100;

  /**
   * A read-only query that succeeds on any ledger, empty or not: entries of a member that never
   * exists.
   */
  private static final String[] READINESS_QUERY = {"ListEntries", "readiness-probe", "1", ""};

  private final ManagedChannel channel;
  private final Gateway writerGateway;
  private final Gateway rulesGateway;
  private final Network network;
  private final Contract writer;
  private final Contract rulesAdmin;
  private final String chaincode;
  private final WorkerExecutor workers;
  private final Vertx vertx;
  private final AtomicLong knownHeight = new AtomicLong();

  private FabricLedger(
      Vertx vertx,
      ManagedChannel channel,
      Gateway writerGateway,
      Gateway rulesGateway,
      FabricConfig fabric,
      WorkerExecutor workers) {
    this.vertx = vertx;
    this.channel = channel;
    this.writerGateway = writerGateway;
    this.rulesGateway = rulesGateway;
    this.network = writerGateway.getNetwork(fabric.channel());
    this.writer = network.getContract(fabric.chaincode());
    this.rulesAdmin = rulesGateway.getNetwork(fabric.channel()).getContract(fabric.chaincode());
    this.chaincode = fabric.chaincode();
    this.workers = workers;
  }

  /** Blocking (reads the PEM files): call from a worker. Connecting itself is lazy. */
  public static FabricLedger connect(Vertx vertx, FabricConfig fabric) {
    String endpoint = fabric.peerEndpoint().orElseThrow();
    ManagedChannel channel =
        Grpc.newChannelBuilder(endpoint, tls(fabric.tlsCaCertificate().orElseThrow())).build();
    String mspId = fabric.mspId().orElseThrow();
    Gateway writerGateway =
        gateway(
            channel, mspId, fabric.certificate().orElseThrow(), fabric.privateKey().orElseThrow());
    // Without a rules identity (dev against another peer) rule changes go out as the writer and the
    // chaincode refuses them.
    Gateway rulesGateway =
        gateway(
            channel,
            mspId,
            fabric.rulesCertificate().orElse(fabric.certificate().orElseThrow()),
            fabric.rulesPrivateKey().orElse(fabric.privateKey().orElseThrow()));
    LOG.info(
        "Ledger: peer gateway {} as {}, channel {}, chaincode {}",
        endpoint,
        mspId,
        fabric.channel(),
        fabric.chaincode());
    return new FabricLedger(
        vertx,
        channel,
        writerGateway,
        rulesGateway,
        fabric,
        vertx.createSharedWorkerExecutor("fabric-gateway", WORKERS));
  }

  private static Gateway gateway(ManagedChannel channel, String mspId, Path certificate, Path key) {
    return Gateway.newInstance()
        .identity(identity(mspId, certificate))
        .signer(Signers.newPrivateKeySigner(privateKey(key)))
        .connection(channel)
        .evaluateOptions(options -> options.withDeadlineAfter(EVALUATE_SECONDS, TimeUnit.SECONDS))
        .endorseOptions(options -> options.withDeadlineAfter(ENDORSE_SECONDS, TimeUnit.SECONDS))
        .submitOptions(options -> options.withDeadlineAfter(SUBMIT_SECONDS, TimeUnit.SECONDS))
        .commitStatusOptions(
            options -> options.withDeadlineAfter(COMMIT_STATUS_SECONDS, TimeUnit.SECONDS))
        .chaincodeEventsOptions(
            options -> options.withDeadlineAfter(EVENTS_SECONDS, TimeUnit.SECONDS))
        .connect();
  }

  @Override
  public Future<Committed<List<AwardOutcome>>> recordAwards(List<Award> awards) {
    JsonArray items = new JsonArray();
    awards.forEach(
        award ->
            items.add(
                new JsonObject()
                    .put("entryId", award.entryId())
                    .put("memberId", award.memberId())
                    .put("ruleId", award.ruleId())
                    .put("units", award.units())
                    .put("occurredOn", award.occurredOn())
                    .put("orgUnitId", award.orgUnitId())
                    .put("actor", award.actor())));
    return submit(writer, "RecordAwards", items.encode())
        .map(
            committed ->
                new Committed<>(
                    committed.txId(),
                    committed.blockNumber(),
                    outcomes(new JsonArray(committed.result()))));
  }

  @Override
  public Future<Committed<JsonObject>> reverse(Reversal reversal) {
    String json =
        new JsonObject()
            .put("entryId", reversal.entryId())
            .put("targetEntryId", reversal.targetEntryId())
            .put("reason", reversal.reason())
            .put("actor", reversal.actor())
            .encode();
    return submit(writer, "Reverse", json).map(FabricLedger::asObject);
  }

  @Override
  public Future<Committed<JsonObject>> redeem(Redemption redemption) {
    String json =
        new JsonObject()
            .put("entryId", redemption.entryId())
            .put("memberId", redemption.memberId())
            .put("points", redemption.points())
            .put("rewardId", redemption.rewardId())
            .put("actor", redemption.actor())
            .encode();
    return submit(writer, "Redeem", json).map(FabricLedger::asObject);
  }

  @Override
  public Future<Committed<JsonObject>> refundRedemption(Refund refund) {
    String json =
        new JsonObject()
            .put("entryId", refund.entryId())
            .put("redemptionEntryId", refund.redemptionEntryId())
            .put("reason", refund.reason())
            .put("actor", refund.actor())
            .encode();
    return submit(writer, "RefundRedemption", json).map(FabricLedger::asObject);
  }

  @Override
  public Future<Committed<JsonObject>> expire(Expiry expiry) {
    String json =
        new JsonObject()
            .put("entryId", expiry.entryId())
            .put("memberId", expiry.memberId())
            .put("year", expiry.year())
            .put("actor", expiry.actor())
            .encode();
    return submit(writer, "Expire", json).map(FabricLedger::asObject);
  }

  @Override
  public Future<Committed<JsonObject>> putRule(RuleVersion rule) {
    String json =
        new JsonObject()
            .put("ruleId", rule.ruleId())
            .put("version", rule.version())
            .put("category", rule.category())
            .put("points", rule.points())
            .put("dailyCap", rule.dailyCap())
            .put("yearlyCap", rule.yearlyCap())
            .put("active", rule.active())
            .encode();
    return submit(rulesAdmin, "PutRule", json).map(FabricLedger::asObject);
  }

  @Override
  public Future<Optional<JsonObject>> entry(String entryId) {
    return evaluateOptional("GetEntry", entryId);
  }

  @Override
  public Future<Optional<JsonObject>> account(String memberId) {
    return evaluateOptional("GetAccount", memberId);
  }

  @Override
  public Future<AccountPage> accounts(int pageSize, String bookmark) {
    return evaluate("ListAccounts", String.valueOf(pageSize), bookmark)
        .map(
            page ->
                new AccountPage(
                    objects(page.getJsonArray("accounts")), page.getString("bookmark", "")));
  }

  @Override
  public Future<List<JsonObject>> memberEntries(String memberId) {
    return memberEntries(memberId, "", new ArrayList<>());
  }

  private Future<List<JsonObject>> memberEntries(
      String memberId, String bookmark, List<JsonObject> found) {
    return evaluate("ListEntries", memberId, String.valueOf(ENTRIES_PER_PAGE), bookmark)
        .compose(
            page -> {
              found.addAll(objects(page.getJsonArray("entries")));
              String next = page.getString("bookmark", "");
              return next.isEmpty()
                  ? Future.succeededFuture(found)
                  : memberEntries(memberId, next, found);
            });
  }

  @Override
  public long knownHeight() {
    return knownHeight.get();
  }

  @Override
  public Following follow(
      long startBlock,
      Function<List<ChainEvent>, Future<Void>> handler,
      Consumer<Throwable> onStopped) {
    EventFollower follower =
        new EventFollower(
            vertx.getOrCreateContext(),
            network,
            chaincode,
            EVENTS_SECONDS,
            startBlock,
            handler,
            onStopped,
            block -> seen(block));
    follower.start();
    return follower::stop;
  }

  @Override
  public Future<HealthCheck.Status> check() {
    return workers
        .<HealthCheck.Status>executeBlocking(
            () -> {
              writer.evaluateTransaction(
                  READINESS_QUERY[0], READINESS_QUERY[1], READINESS_QUERY[2], READINESS_QUERY[3]);
              return HealthCheck.Status.UP;
            },
            false)
        .recover(
            failure -> {
              LOG.warn(
                  "Ledger readiness query failed: {}",
                  failure instanceof GatewayException gateway
                      ? gateway.getStatus().getCode()
                      : failure.getClass().getSimpleName());
              return Future.succeededFuture(HealthCheck.Status.DOWN);
            });
  }

  @Override
  public Future<Void> close() {
    return workers
        .<Void>executeBlocking(
            () -> {
              writerGateway.close();
              rulesGateway.close();
              channel.shutdownNow();
              channel.awaitTermination(5, TimeUnit.SECONDS);
              return null;
            })
        .compose(v -> workers.close());
  }

  /** Endorse, submit, then wait for the commit status: committed VALID or a classified failure. */
  private Future<Committed<String>> submit(Contract contract, String transaction, String argument) {
    return workers.<Committed<String>>executeBlocking(
        () -> {
          try {
            SubmittedTransaction submitted =
                contract
                    .newProposal(transaction)
                    .addArguments(argument)
                    .build()
                    .endorse()
                    .submitAsync();
            // The client's commit status, not HealthCheck.Status (which this class inherits).
            org.hyperledger.fabric.client.Status status = submitted.getStatus();
            seen(status.getBlockNumber());
            if (!status.isSuccessful()) {
              throw LedgerErrors.invalid(status.getTransactionId(), status.getCode());
            }
            return new Committed<>(
                status.getTransactionId(),
                status.getBlockNumber(),
                new String(submitted.getResult(), StandardCharsets.UTF_8));
          } catch (Exception failure) {
            throw LedgerErrors.classify(failure);
          }
        },
        false);
  }

  /** A read-only query whose answer is a JSON object; failures classified. */
  private Future<JsonObject> evaluate(String transaction, String... arguments) {
    return workers.<JsonObject>executeBlocking(
        () -> {
          try {
            byte[] result =
                writer.newProposal(transaction).addArguments(arguments).build().evaluate();
            return new JsonObject(new String(result, StandardCharsets.UTF_8));
          } catch (Exception failure) {
            throw LedgerErrors.classify(failure);
          }
        },
        false);
  }

  private static List<JsonObject> objects(JsonArray array) {
    List<JsonObject> objects = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      objects.add(array.getJsonObject(i));
    }
    return objects;
  }

  private Future<Optional<JsonObject>> evaluateOptional(String transaction, String id) {
    return workers.<Optional<JsonObject>>executeBlocking(
        () -> {
          try {
            byte[] result = writer.newProposal(transaction).addArguments(id).build().evaluate();
            return Optional.of(new JsonObject(new String(result, StandardCharsets.UTF_8)));
          } catch (Exception failure) {
            LedgerFailure classified = LedgerErrors.classify(failure);
            if (classified.kind() == LedgerFailure.Kind.REJECTED
                && "NOT_FOUND".equals(classified.code())) {
              return Optional.empty();
            }
            throw classified;
          }
        },
        false);
  }

  private void seen(long blockNumber) {
    knownHeight.accumulateAndGet(blockNumber + 1, Math::max);
  }

  private static Committed<JsonObject> asObject(Committed<String> committed) {
    return new Committed<>(
        committed.txId(), committed.blockNumber(), new JsonObject(committed.result()));
  }

  private static List<AwardOutcome> outcomes(JsonArray results) {
    List<AwardOutcome> outcomes = new ArrayList<>(results.size());
    for (int i = 0; i < results.size(); i++) {
      JsonObject result = results.getJsonObject(i);
      AwardStatus status = AwardStatus.valueOf(result.getString("status"));
      outcomes.add(
          new AwardOutcome(
              result.getString("entryId"),
              status,
              result.getLong("points", 0L),
              result.getLong("requestedPoints", 0L),
              result.getString("reason"),
              LedgerErrors.awardCode(status, result)));
    }
    return outcomes;
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
      throw new UncheckedIOException("Cannot read the Fabric certificate " + certificate, e);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "Fabric certificate " + certificate + " is not a PEM certificate", e);
    }
  }

  private static java.security.PrivateKey privateKey(Path key) {
    try (Reader reader = Files.newBufferedReader(key)) {
      return Identities.readPrivateKey(reader);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the Fabric private key " + key, e);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "Fabric private key " + key + " is not a PEM private key", e);
    }
  }
}
