package org.civicpoints.devnet;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.operator.OperatorCreationException;
import org.hyperledger.fabric.protos.msp.SerializedIdentity;

/**
 * The devnet's single organisation: its CAs, the peer's signing and TLS identities and the enrolled
 * users, created once with BouncyCastle and reused from disk. It is also the MSP that decides
 * whether a signer belongs to the organisation and whether a signature is genuine.
 */
final class Msp {

  static final String MSP_ID = "CivicMSP";
  static final Map<String, String> USER_ROLES = roles();

  private static final System.Logger LOG = System.getLogger(Msp.class.getName());

  /** Each cached identity holds a 16 KB comb table. */
  private static final int MAX_CACHED_IDENTITIES = 1_000;

  private static final int MAX_REMEMBERED_SIGNATURES = 50_000;

  private final Organization organization;
  private final X509Certificate signingCa;
  private final ByteString peerIdentity;
  private final ECPrivateKeyParameters peerKey;
  private final EcdsaSignatures.VerificationKey peerPublicKey;
  private final Path peerTlsCertificate;
  private final Path peerTlsKey;

  /** Identities already checked against the CA, so each proposal costs one signature check only. */
  private final Map<ByteString, Member> members = new ConcurrentHashMap<>();

  /**
   * Digest of what the peer signed → the signature, until the transaction comes back to be ordered.
   */
  private final Map<ByteString, ByteString> recentPeerSignatures = new ConcurrentHashMap<>();

  /** A verified member certificate and its verification key. */
  private record Member(X509Certificate certificate, EcdsaSignatures.VerificationKey key) {}

  private Msp(Organization organization, Path peerDir)
      throws IOException, GeneralSecurityException {
    this.organization = organization;
    this.signingCa = Pem.readCertificate(organization.caCertificate());
    Path peerCert = peerDir.resolve("msp/signcerts/cert.pem");
    this.peerIdentity = serializedIdentity(Files.readAllBytes(peerCert));
    this.peerPublicKey =
        EcdsaSignatures.verificationKey(Pem.readCertificate(peerCert).getPublicKey());
    this.peerKey =
        EcdsaSignatures.signingKey(Pem.readPrivateKey(peerDir.resolve("msp/keystore/key.pem")));
    this.peerTlsCertificate = peerDir.resolve("tls/server.crt");
    this.peerTlsKey = peerDir.resolve("tls/server.key");
  }

  /** Loads {@code DIR/organizations/CivicMSP}, creating the organisation on first start. */
  static Msp loadOrCreate(Path dataDir) throws IOException {
    Path mspDir = dataDir.resolve("organizations").resolve(MSP_ID);
    try {
      if (!Files.exists(mspDir.resolve("cacerts/ca.pem"))) {
        create(mspDir);
      }
      return new Msp(layout(mspDir), mspDir.resolve("peers/peer0"));
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IOException("cannot create or load the organisation in " + mspDir, e);
    }
  }

  Organization organization() {
    return organization;
  }

  Path peerTlsCertificate() {
    return peerTlsCertificate;
  }

  Path peerTlsKey() {
    return peerTlsKey;
  }

  /** The peer's serialized identity, as it appears in endorsements. */
  ByteString peerIdentity() {
    return peerIdentity;
  }

  byte[] signAsPeer(byte[] message) {
    byte[] signature = EcdsaSignatures.sign(peerKey, message);
    if (recentPeerSignatures.size() >= MAX_REMEMBERED_SIGNATURES) {
      recentPeerSignatures.clear();
    }
    recentPeerSignatures.put(
        ByteString.copyFrom(TransactionIds.sha256().digest(message)),
        ByteString.copyFrom(signature));
    return signature;
  }

  /**
   * True when this peer made the signature over the message. A signature this process made recently
   * is recognised by the digest of what it signed, which spares an ECDSA verification per submitted
   * transaction; anything else (an older one, one made before a restart) is verified in full. Each
   * remembered signature is used once.
   */
  boolean verifyPeerSignature(byte[] message, byte[] signature) {
    ByteString made =
        recentPeerSignatures.remove(ByteString.copyFrom(TransactionIds.sha256().digest(message)));
    if (made != null && made.equals(ByteString.copyFrom(signature))) {
      return true;
    }
    return EcdsaSignatures.verify(peerPublicKey, message, signature);
  }

  /**
   * Checks that the serialized identity is a certificate issued by this organisation's CA and that
   * it signed the message.
   */
  void verify(ByteString serializedIdentity, ByteString message, ByteString signature)
      throws IdentityRejectedException {
    Member member = member(serializedIdentity);
    if (!EcdsaSignatures.verify(member.key(), message.toByteArray(), signature.toByteArray())) {
      throw new IdentityRejectedException("the signature could not be validated");
    }
  }

  private Member member(ByteString serializedIdentity) throws IdentityRejectedException {
    Member known = members.get(serializedIdentity);
    if (known != null) {
      checkValidity(known.certificate());
      return known;
    }
    X509Certificate certificate = issuedCertificate(serializedIdentity);
    Member member;
    try {
      member = new Member(certificate, EcdsaSignatures.verificationKey(certificate.getPublicKey()));
    } catch (IllegalArgumentException e) {
      throw new IdentityRejectedException("the creator certificate does not hold an EC P-256 key");
    }
    if (members.size() >= MAX_CACHED_IDENTITIES) {
      members.clear();
    }
    members.put(serializedIdentity, member);
    return member;
  }

  private X509Certificate issuedCertificate(ByteString serializedIdentity)
      throws IdentityRejectedException {
    SerializedIdentity identity;
    try {
      identity = SerializedIdentity.parseFrom(serializedIdentity);
    } catch (InvalidProtocolBufferException e) {
      throw new IdentityRejectedException("the creator is malformed");
    }
    if (!organization.mspId().equals(identity.getMspid())) {
      throw new IdentityRejectedException(
          "creator org unknown: MSP " + identity.getMspid() + " is not a member");
    }
    X509Certificate certificate;
    try {
      certificate = Pem.parseCertificate(identity.getIdBytes().toByteArray());
    } catch (GeneralSecurityException e) {
      throw new IdentityRejectedException("the creator certificate is malformed");
    }
    try {
      certificate.verify(signingCa.getPublicKey());
    } catch (GeneralSecurityException e) {
      throw new IdentityRejectedException(
          "the creator certificate is not issued by " + organization.mspId() + "'s CA");
    }
    checkValidity(certificate);
    return certificate;
  }

  private static void checkValidity(X509Certificate certificate) throws IdentityRejectedException {
    try {
      certificate.checkValidity();
    } catch (GeneralSecurityException e) {
      throw new IdentityRejectedException(
          "the creator certificate has expired or is not yet valid");
    }
  }

  static ByteString serializedIdentity(byte[] certificatePem) {
    return SerializedIdentity.newBuilder()
        .setMspid(MSP_ID)
        .setIdBytes(ByteString.copyFrom(certificatePem))
        .build()
        .toByteString();
  }

  private static Map<String, String> roles() {
    Map<String, String> roles = new LinkedHashMap<>();
    roles.put("relay", "ledger-writer");
    roles.put("admin", "rules-admin");
    roles.put("reader", null);
    return Collections.unmodifiableMap(roles);
  }

  private static Organization layout(Path mspDir) {
    Map<String, Organization.User> users = new LinkedHashMap<>();
    for (String name : USER_ROLES.keySet()) {
      Path userMsp = mspDir.resolve("users").resolve(name).resolve("msp");
      users.put(
          name,
          new Organization.User(
              name, userMsp.resolve("signcerts/cert.pem"), userMsp.resolve("keystore/key.pem")));
    }
    return new Organization(
        MSP_ID,
        mspDir,
        mspDir.resolve("cacerts/ca.pem"),
        mspDir.resolve("tlscacerts/tlsca.pem"),
        users);
  }

  /**
   * Writes the whole organisation into a scratch folder first so a crash never leaves half of one.
   */
  private static void create(Path mspDir)
      throws IOException, GeneralSecurityException, OperatorCreationException {
    Path scratch = mspDir.resolveSibling(MSP_ID + ".creating");
    deleteRecursively(scratch);
    Files.createDirectories(scratch);
    CertificateAuthority signingCa = CertificateAuthority.create("ca.civicpoints.local");
    CertificateAuthority tlsCa = CertificateAuthority.create("tlsca.civicpoints.local");
    Pem.writeCertificate(scratch.resolve("cacerts/ca.pem"), signingCa.certificate());
    Pem.writeCertificate(scratch.resolve("tlscacerts/tlsca.pem"), tlsCa.certificate());
    for (Map.Entry<String, String> user : USER_ROLES.entrySet()) {
      Path userMsp = scratch.resolve("users").resolve(user.getKey()).resolve("msp");
      KeyPair keys = CertificateAuthority.newKeyPair();
      Pem.writeCertificate(
          userMsp.resolve("signcerts/cert.pem"),
          signingCa.issueUser(user.getKey(), user.getValue(), keys));
      Pem.writePrivateKey(userMsp.resolve("keystore/key.pem"), keys.getPrivate());
    }
    Path peer = scratch.resolve("peers/peer0");
    KeyPair peerKeys = CertificateAuthority.newKeyPair();
    Pem.writeCertificate(peer.resolve("msp/signcerts/cert.pem"), signingCa.issuePeer(peerKeys));
    Pem.writePrivateKey(peer.resolve("msp/keystore/key.pem"), peerKeys.getPrivate());
    KeyPair tlsKeys = CertificateAuthority.newKeyPair();
    Pem.writeCertificate(peer.resolve("tls/server.crt"), tlsCa.issueTlsServer(tlsKeys));
    Pem.writePrivateKey(peer.resolve("tls/server.key"), tlsKeys.getPrivate());
    Files.createDirectories(mspDir.getParent());
    try {
      Files.move(scratch, mspDir, StandardCopyOption.ATOMIC_MOVE);
    } catch (FileAlreadyExistsException e) {
      throw new IOException(
          mspDir + " exists but has no cacerts/ca.pem; remove it or restore it", e);
    }
    LOG.log(System.Logger.Level.INFO, "created organisation {0} in {1}", MSP_ID, mspDir);
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }
}
