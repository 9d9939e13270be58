package org.civicpoints.devnet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.hyperledger.fabric.client.CommitStatusException;
import org.hyperledger.fabric.client.Contract;
import org.hyperledger.fabric.client.EndorseException;
import org.hyperledger.fabric.client.Gateway;
import org.hyperledger.fabric.client.GatewayException;
import org.hyperledger.fabric.client.SubmittedTransaction;
import org.hyperledger.fabric.client.Transaction;
import org.hyperledger.fabric.client.identity.Signer;
import org.hyperledger.fabric.client.identity.X509Identity;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.gateway.ErrorDetail;
import org.hyperledger.fabric.protos.gateway.GatewayGrpc;
import org.hyperledger.fabric.protos.gateway.PreparedTransaction;
import org.hyperledger.fabric.protos.gateway.SubmitRequest;
import org.hyperledger.fabric.protos.ledger.rwset.TxReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRWSet;
import org.hyperledger.fabric.protos.peer.ChaincodeAction;
import org.hyperledger.fabric.protos.peer.ChaincodeActionPayload;
import org.hyperledger.fabric.protos.peer.ProposalResponsePayload;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every signature is checked against a certificate that must chain to the organisation's CA. */
class IdentityTest {

  @TempDir static Path dataDir;
  @TempDir static Path foreignDir;

  private static Devnet devnet;
  private static ManagedChannel channel;
  private static Organization organization;
  private static Organization foreign;

  @BeforeAll
  static void start() throws Exception {
    devnet = Devnet.start(DevnetConfig.of(dataDir, 0).withBlockCutting(100, Duration.ofMillis(50)));
    channel = GatewayClients.channel(devnet);
    organization = devnet.organization();
    // Same MSP id, same user names, but its own CA: an impostor organisation.
    foreign = Msp.loadOrCreate(foreignDir).organization();
  }

  @AfterAll
  static void stop() throws Exception {
    GatewayClients.shutdown(channel);
    devnet.close();
  }

  @Test
  void an_identity_from_a_foreign_ca_is_refused_before_simulation() throws Exception {
    try (Gateway impostor = GatewayClients.gateway(channel, foreign, "relay")) {
      Contract kv = kv(impostor);

      assertThatThrownBy(() -> kv.evaluateTransaction("Get", "anything"))
          .isInstanceOfSatisfying(
              GatewayException.class,
              e -> {
                assertThat(e.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.UNKNOWN);
                assertThat(e.getDetails())
                    .extracting(ErrorDetail::getMessage)
                    .singleElement()
                    .asString()
                    .contains("access denied")
                    .contains("not issued by CivicMSP's CA");
              });
      assertThatThrownBy(() -> kv.submitTransaction("Put", "impostor", "was here"))
          .isInstanceOfSatisfying(
              EndorseException.class,
              e -> assertThat(e.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.ABORTED));
    }
    try (Gateway relay = GatewayClients.gateway(channel, organization, "relay")) {
      assertThat(kv(relay).evaluateTransaction("Get", "impostor")).isEmpty();
    }
  }

  @Test
  void a_tampered_proposal_signature_is_refused() throws Exception {
    Signer honest = GatewayClients.signer(organization.user("relay"));
    try (Gateway tampering = gateway(organization, digest -> honest.sign(flipped(digest)))) {
      assertThatThrownBy(() -> kv(tampering).submitTransaction("Put", "tampered", "yes"))
          .isInstanceOfSatisfying(
              EndorseException.class,
              e ->
                  assertThat(e.getDetails())
                      .extracting(ErrorDetail::getMessage)
                      .singleElement()
                      .asString()
                      .contains("the signature could not be validated"));
    }
  }

  @Test
  void a_tampered_transaction_signature_is_committed_as_invalid() throws Exception {
    Signer honest = GatewayClients.signer(organization.user("relay"));
    AtomicInteger signatures = new AtomicInteger();
    // The proposal (1st) and commit-status request (3rd) are signed honestly, the envelope (2nd) is
    // not.
    Signer envelopeTampering =
        digest ->
            signatures.incrementAndGet() == 2 ? honest.sign(flipped(digest)) : honest.sign(digest);
    try (Gateway gateway = gateway(organization, envelopeTampering)) {
      SubmittedTransaction submitted =
          kv(gateway)
              .newProposal("Put")
              .addArguments("forged-envelope", "yes")
              .build()
              .endorse()
              .submitAsync();

      assertThat(submitted.getStatus().getCode()).isEqualTo(TxValidationCode.BAD_CREATOR_SIGNATURE);
      assertThat(kv(gateway).evaluateTransaction("Get", "forged-envelope")).isEmpty();
    }
  }

  @Test
  void commit_status_checks_the_request_signature() throws Exception {
    Signer honest = GatewayClients.signer(organization.user("relay"));
    AtomicInteger signatures = new AtomicInteger();
    Signer statusTampering =
        digest ->
            signatures.incrementAndGet() == 3 ? honest.sign(flipped(digest)) : honest.sign(digest);
    try (Gateway gateway = gateway(organization, statusTampering)) {
      SubmittedTransaction submitted =
          kv(gateway)
              .newProposal("Put")
              .addArguments("status-signature", "yes")
              .build()
              .endorse()
              .submitAsync();

      assertThatThrownBy(submitted::getStatus)
          .isInstanceOfSatisfying(
              CommitStatusException.class,
              e ->
                  assertThat(e.getStatus().getCode())
                      .isEqualTo(io.grpc.Status.Code.PERMISSION_DENIED));
    }
  }

  @Test
  void a_read_write_set_changed_after_endorsement_fails_the_endorsement_policy() throws Exception {
    try (Gateway relay = GatewayClients.gateway(channel, organization, "relay")) {
      Transaction endorsed =
          kv(relay).newProposal("Put").addArguments("endorsed", "honest").build().endorse();
      Envelope forged =
          withWriteValue(
              PreparedTransaction.parseFrom(endorsed.getBytes()).getEnvelope(), "forged");
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(forged.getPayload().toByteArray());
      Envelope signed =
          forged.toBuilder()
              .setSignature(
                  ByteString.copyFrom(
                      GatewayClients.signer(organization.user("relay")).sign(digest)))
              .build();
      long height = devnet.height();

      GatewayGrpc.newBlockingStub(channel)
          .withDeadlineAfter(10, TimeUnit.SECONDS)
          .submit(
              SubmitRequest.newBuilder()
                  .setTransactionId(endorsed.getTransactionId())
                  .setChannelId("civic")
                  .setPreparedTransaction(signed)
                  .build());

      assertThat(CommittedCodes.of(devnet, endorsed.getTransactionId(), height, 1))
          .containsExactly(TxValidationCode.ENDORSEMENT_POLICY_FAILURE);
      assertThat(kv(relay).evaluateTransaction("Get", "endorsed")).isEmpty();
    }
  }

  /** The envelope with its write's value replaced, every enclosing message rebuilt around it. */
  private static Envelope withWriteValue(Envelope envelope, String value) throws Exception {
    Payload payload = Payload.parseFrom(envelope.getPayload());
    org.hyperledger.fabric.protos.peer.Transaction transaction =
        org.hyperledger.fabric.protos.peer.Transaction.parseFrom(payload.getData());
    ChaincodeActionPayload actionPayload =
        ChaincodeActionPayload.parseFrom(transaction.getActions(0).getPayload());
    ProposalResponsePayload response =
        ProposalResponsePayload.parseFrom(actionPayload.getAction().getProposalResponsePayload());
    ChaincodeAction action = ChaincodeAction.parseFrom(response.getExtension());
    TxReadWriteSet results = TxReadWriteSet.parseFrom(action.getResults());
    KVRWSet kv = KVRWSet.parseFrom(results.getNsRwset(0).getRwset());
    KVRWSet forgedKv =
        kv.toBuilder()
            .setWrites(0, kv.getWrites(0).toBuilder().setValue(ByteString.copyFromUtf8(value)))
            .build();
    TxReadWriteSet forgedResults =
        results.toBuilder()
            .setNsRwset(0, results.getNsRwset(0).toBuilder().setRwset(forgedKv.toByteString()))
            .build();
    ProposalResponsePayload forgedResponse =
        response.toBuilder()
            .setExtension(
                action.toBuilder().setResults(forgedResults.toByteString()).build().toByteString())
            .build();
    ChaincodeActionPayload forgedActionPayload =
        actionPayload.toBuilder()
            .setAction(
                actionPayload.getAction().toBuilder()
                    .setProposalResponsePayload(forgedResponse.toByteString()))
            .build();
    org.hyperledger.fabric.protos.peer.Transaction forgedTransaction =
        transaction.toBuilder()
            .setActions(
                0,
                transaction.getActions(0).toBuilder()
                    .setPayload(forgedActionPayload.toByteString()))
            .build();
    return envelope.toBuilder()
        .setPayload(
            payload.toBuilder().setData(forgedTransaction.toByteString()).build().toByteString())
        .build();
  }

  private static Gateway gateway(Organization org, Signer signer) throws Exception {
    X509Identity identity = GatewayClients.identity(org.mspId(), org.user("relay"));
    return GatewayClients.gateway(channel, identity, signer);
  }

  private static Contract kv(Gateway gateway) {
    return gateway.getNetwork("civic").getContract("points", "kv");
  }

  private static byte[] flipped(byte[] digest) {
    byte[] copy = digest.clone();
    copy[0] ^= 0x01;
    return copy;
  }
}
