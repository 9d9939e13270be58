package org.civicpoints.api.support;

import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.TlsChannelCredentials;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.util.concurrent.TimeUnit;
import org.civicpoints.devnet.Devnet;
import org.civicpoints.devnet.Organization;
import org.hyperledger.fabric.client.CommitException;
import org.hyperledger.fabric.client.Gateway;
import org.hyperledger.fabric.client.GatewayException;
import org.hyperledger.fabric.client.identity.Identities;
import org.hyperledger.fabric.client.identity.Signers;
import org.hyperledger.fabric.client.identity.X509Identity;
import org.hyperledger.fabric.contract.Context;
import org.hyperledger.fabric.contract.ContractInterface;
import org.hyperledger.fabric.contract.annotation.Contract;
import org.hyperledger.fabric.contract.annotation.Transaction;

/**
 * A test-only contract, hosted by the test's devnet next to {@code points} (the devnet hosts every
 * contract on the classpath; production peers run the chaincode jar, which does not hold it): it
 * writes an account as the chaincode wrote it before lots, refunds and expiry existed, so tests can
 * see how such an account migrates. It emits no event, as the old account's events are long
 * projected.
 */
@Contract(name = LegacyAccounts.CONTRACT)
public final class LegacyAccounts implements ContractInterface {

  static final String CONTRACT = "test-legacy-accounts";
  private static final long DEADLINE_SECONDS = 10;

  /**
   * Writes a pre-lots account of {@code balance} points whose last change was {@code updatedAt}.
   */
  @Transaction(intent = Transaction.TYPE.SUBMIT)
  public String SeedAccount(
      final Context ctx, final String memberId, final String balance, final String updatedAt) {
    String account =
        new JsonObject()
            .put("memberId", memberId)
            .put("balance", Long.parseLong(balance))
            .put("earned", Long.parseLong(balance))
            .put("spent", 0)
            .put("reversed", 0)
            .put("entryCount", 0)
            .put("createdAt", updatedAt)
            .put("updatedAt", updatedAt)
            .encode();
    ctx.getStub()
        .putStringState(ctx.getStub().createCompositeKey("account", memberId).toString(), account);
    return account;
  }

  /** Seeds the account on {@code devnet} through a gateway client of the relay's identity. */
  public static void seed(Devnet devnet, String memberId, long balance, String updatedAt) {
    Organization organization = devnet.organization();
    Organization.User relay = organization.user("relay");
    ManagedChannel channel = null;
    try {
      channel =
          Grpc.newChannelBuilder(
                  devnet.endpoint(),
                  TlsChannelCredentials.newBuilder()
                      .trustManager(organization.tlsCaCertificate().toFile())
                      .build())
              .build();
      try (Gateway gateway = gateway(channel, organization.mspId(), relay)) {
        gateway
            .getNetwork(devnet.config().channel())
            .getContract(devnet.config().chaincodeName(), CONTRACT)
            .submitTransaction("SeedAccount", memberId, Long.toString(balance), updatedAt);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GatewayException | CommitException | GeneralSecurityException e) {
      throw new IllegalStateException("seeding the legacy account " + memberId + " failed", e);
    } finally {
      if (channel != null) {
        channel.shutdownNow();
      }
    }
  }

  private static Gateway gateway(ManagedChannel channel, String mspId, Organization.User user)
      throws IOException, GeneralSecurityException {
    try (Reader certificate = Files.newBufferedReader(user.certificate());
        Reader key = Files.newBufferedReader(user.privateKey())) {
      return Gateway.newInstance()
          .identity(new X509Identity(mspId, Identities.readX509Certificate(certificate)))
          .signer(Signers.newPrivateKeySigner(Identities.readPrivateKey(key)))
          .connection(channel)
          .evaluateOptions(o -> o.withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS))
          .endorseOptions(o -> o.withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS))
          .submitOptions(o -> o.withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS))
          .commitStatusOptions(o -> o.withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS))
          .connect();
    }
  }
}
