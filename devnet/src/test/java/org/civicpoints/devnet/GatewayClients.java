package org.civicpoints.devnet;

import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.TlsChannelCredentials;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.security.InvalidKeyException;
import java.security.cert.CertificateException;
import java.util.concurrent.TimeUnit;
import org.hyperledger.fabric.client.Gateway;
import org.hyperledger.fabric.client.identity.Identities;
import org.hyperledger.fabric.client.identity.Signer;
import org.hyperledger.fabric.client.identity.Signers;
import org.hyperledger.fabric.client.identity.X509Identity;

/**
 * Real fabric-gateway clients for a devnet, the way an application builds them: TLS, deadlines on
 * every call.
 */
final class GatewayClients {

  static final long DEADLINE_SECONDS = 10;

  private GatewayClients() {}

  static ManagedChannel channel(Devnet devnet) throws IOException {
    ChannelCredentials tls =
        TlsChannelCredentials.newBuilder()
            .trustManager(devnet.organization().tlsCaCertificate().toFile())
            .build();
    return Grpc.newChannelBuilder(devnet.endpoint(), tls).build();
  }

  static Gateway gateway(ManagedChannel channel, Organization organization, String user)
      throws IOException {
    Organization.User credentials = organization.user(user);
    return gateway(channel, identity(organization.mspId(), credentials), signer(credentials));
  }

  static Gateway gateway(ManagedChannel channel, X509Identity identity, Signer signer) {
    return Gateway.newInstance()
        .identity(identity)
        .signer(signer)
        .connection(channel)
        .evaluateOptions(options -> options.withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS))
        .endorseOptions(options -> options.withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS))
        .submitOptions(options -> options.withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS))
        .commitStatusOptions(
            options -> options.withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS))
        .chaincodeEventsOptions(
            options -> options.withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS))
        .connect();
  }

  static X509Identity identity(String mspId, Organization.User user) throws IOException {
    try (Reader reader = Files.newBufferedReader(user.certificate())) {
      return new X509Identity(mspId, Identities.readX509Certificate(reader));
    } catch (CertificateException e) {
      throw new IOException("unreadable certificate " + user.certificate(), e);
    }
  }

  static Signer signer(Organization.User user) throws IOException {
    try (Reader reader = Files.newBufferedReader(user.privateKey())) {
      return Signers.newPrivateKeySigner(Identities.readPrivateKey(reader));
    } catch (InvalidKeyException e) {
      throw new IOException("unreadable key " + user.privateKey(), e);
    }
  }

  static void shutdown(ManagedChannel channel) throws InterruptedException {
    channel.shutdownNow();
    channel.awaitTermination(5, TimeUnit.SECONDS);
  }
}
