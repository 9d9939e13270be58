package org.civicpoints.devnet;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.hyperledger.fabric.protos.msp.SerializedIdentity;

/**
 * The devnet's single organisation: its CAs, the peer's signing and TLS identities and the
 * enrolled users, created once with BouncyCastle and reused from disk. It is also the MSP that
 * decides whether a signer belongs to the organisation and whether a signature is genuine.
 */
final class Msp {

    static final String MSP_ID = "CivicMSP";
    /** Fabric CA puts enrollment attributes in this X.509 extension as JSON {"attrs":{...}}. */
    static final ASN1ObjectIdentifier ATTRIBUTES_OID = new ASN1ObjectIdentifier("1.2.3.4.5.6.7.8.1");
    static final Map<String, String> USER_ROLES = roles();

    private static final System.Logger LOG = System.getLogger(Msp.class.getName());
    private static final Duration VALIDITY = Duration.ofDays(3650);
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
    /** Digest of what the peer signed → the signature, until the transaction comes back to be ordered. */
    private final Map<ByteString, ByteString> recentPeerSignatures = new ConcurrentHashMap<>();

    /** A verified member certificate and its verification key. */
    private record Member(X509Certificate certificate, EcdsaSignatures.VerificationKey key) {
    }

    private Msp(Organization organization, Path peerDir) throws IOException, GeneralSecurityException {
        this.organization = organization;
        this.signingCa = readCertificate(organization.caCertificate());
        Path peerCert = peerDir.resolve("msp/signcerts/cert.pem");
        this.peerIdentity = serializedIdentity(Files.readAllBytes(peerCert));
        this.peerPublicKey = EcdsaSignatures.verificationKey(readCertificate(peerCert).getPublicKey());
        this.peerKey = EcdsaSignatures.signingKey(readPrivateKey(peerDir.resolve("msp/keystore/key.pem")));
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
        recentPeerSignatures.put(ByteString.copyFrom(TransactionIds.sha256().digest(message)), ByteString.copyFrom(signature));
        return signature;
    }

    /**
     * True when this peer made the signature over the message. A signature this process made
     * recently is recognised by the digest of what it signed, which spares an ECDSA verification
     * per submitted transaction; anything else (an older one, one made before a restart) is
     * verified in full. Each remembered signature is used once.
     */
    boolean verifyPeerSignature(byte[] message, byte[] signature) {
        ByteString made = recentPeerSignatures.remove(ByteString.copyFrom(TransactionIds.sha256().digest(message)));
        if (made != null && made.equals(ByteString.copyFrom(signature))) {
            return true;
        }
        return EcdsaSignatures.verify(peerPublicKey, message, signature);
    }

    /**
     * Checks that the serialized identity is a certificate issued by this organisation's CA and
     * that it signed the message.
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

    private X509Certificate issuedCertificate(ByteString serializedIdentity) throws IdentityRejectedException {
        SerializedIdentity identity;
        try {
            identity = SerializedIdentity.parseFrom(serializedIdentity);
        } catch (InvalidProtocolBufferException e) {
            throw new IdentityRejectedException("the creator is malformed");
        }
        if (!organization.mspId().equals(identity.getMspid())) {
            throw new IdentityRejectedException("creator org unknown: MSP " + identity.getMspid() + " is not a member");
        }
        X509Certificate certificate;
        try {
            certificate = parseCertificate(identity.getIdBytes().toByteArray());
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
            throw new IdentityRejectedException("the creator certificate has expired or is not yet valid");
        }
    }

    static ByteString serializedIdentity(byte[] certificatePem) {
        return SerializedIdentity.newBuilder()
                .setMspid(MSP_ID)
                .setIdBytes(ByteString.copyFrom(certificatePem))
                .build()
                .toByteString();
    }

    // ---- creation -------------------------------------------------------------------------

    private static Map<String, String> roles() {
        Map<String, String> roles = new LinkedHashMap<>();
        roles.put("relay", "ledger-writer");
        roles.put("admin", "rules-admin");
        roles.put("reader", null);
        return java.util.Collections.unmodifiableMap(roles);
    }

    private static Organization layout(Path mspDir) {
        Map<String, Organization.User> users = new LinkedHashMap<>();
        for (String name : USER_ROLES.keySet()) {
            Path userMsp = mspDir.resolve("users").resolve(name).resolve("msp");
            users.put(name, new Organization.User(name,
                    userMsp.resolve("signcerts/cert.pem"), userMsp.resolve("keystore/key.pem")));
        }
        return new Organization(MSP_ID, mspDir,
                mspDir.resolve("cacerts/ca.pem"), mspDir.resolve("tlscacerts/tlsca.pem"), users);
    }

    /** Writes the whole organisation into a scratch folder first so a crash never leaves half of one. */
    private static void create(Path mspDir) throws IOException, GeneralSecurityException, OperatorCreationException {
        Path scratch = mspDir.resolveSibling(MSP_ID + ".creating");
        deleteRecursively(scratch);
        Files.createDirectories(scratch);
        Authority signingCa = Authority.create("ca.civicpoints.local");
        Authority tlsCa = Authority.create("tlsca.civicpoints.local");
        writePem(scratch.resolve("cacerts/ca.pem"), signingCa.certificate());
        writePem(scratch.resolve("tlscacerts/tlsca.pem"), tlsCa.certificate());
        for (Map.Entry<String, String> user : USER_ROLES.entrySet()) {
            Path userMsp = scratch.resolve("users").resolve(user.getKey()).resolve("msp");
            KeyPair keys = newKeyPair();
            writePem(userMsp.resolve("signcerts/cert.pem"), signingCa.issueUser(user.getKey(), user.getValue(), keys));
            writePrivateKey(userMsp.resolve("keystore/key.pem"), keys.getPrivate());
        }
        Path peer = scratch.resolve("peers/peer0");
        KeyPair peerKeys = newKeyPair();
        writePem(peer.resolve("msp/signcerts/cert.pem"), signingCa.issuePeer(peerKeys));
        writePrivateKey(peer.resolve("msp/keystore/key.pem"), peerKeys.getPrivate());
        KeyPair tlsKeys = newKeyPair();
        writePem(peer.resolve("tls/server.crt"), tlsCa.issueTlsServer(tlsKeys));
        writePrivateKey(peer.resolve("tls/server.key"), tlsKeys.getPrivate());
        Files.createDirectories(mspDir.getParent());
        try {
            Files.move(scratch, mspDir, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException e) {
            throw new IOException(mspDir + " exists but has no cacerts/ca.pem; remove it or restore it", e);
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

    static KeyPair newKeyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
        return generator.generateKeyPair();
    }

    /** A CA's key and self-signed certificate, able to issue the organisation's certificates. */
    record Authority(KeyPair keys, X509Certificate certificate) {

        static Authority create(String commonName) throws GeneralSecurityException, OperatorCreationException, IOException {
            KeyPair keys = newKeyPair();
            X500Name subject = name(commonName, null);
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = builder(subject, subject, keys)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                    .addExtension(Extension.keyUsage, true,
                            new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            extensions.createSubjectKeyIdentifier(keys.getPublic()));
            return new Authority(keys, sign(builder, keys.getPrivate()));
        }

        X509Certificate issueUser(String enrollmentId, String civicRole, KeyPair subjectKeys)
                throws GeneralSecurityException, OperatorCreationException, IOException {
            X509v3CertificateBuilder builder = leaf(name(enrollmentId, "client"), subjectKeys)
                    .addExtension(ATTRIBUTES_OID, false, attributes(enrollmentId, civicRole));
            return sign(builder, keys.getPrivate());
        }

        X509Certificate issuePeer(KeyPair subjectKeys)
                throws GeneralSecurityException, OperatorCreationException, IOException {
            return sign(leaf(name("peer0.civicpoints.local", "peer"), subjectKeys), keys.getPrivate());
        }

        X509Certificate issueTlsServer(KeyPair subjectKeys)
                throws GeneralSecurityException, OperatorCreationException, IOException {
            GeneralNames alternativeNames = new GeneralNames(new GeneralName[] {
                new GeneralName(GeneralName.dNSName, "localhost"),
                new GeneralName(GeneralName.iPAddress, "127.0.0.1")
            });
            X509v3CertificateBuilder builder = leaf(name("localhost", "peer"), subjectKeys)
                    .addExtension(Extension.subjectAlternativeName, false, alternativeNames)
                    .addExtension(Extension.extendedKeyUsage, false,
                            new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
            return sign(builder, keys.getPrivate());
        }

        private X509v3CertificateBuilder leaf(X500Name subject, KeyPair subjectKeys)
                throws GeneralSecurityException, IOException {
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            return builder(X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded()), subject, subjectKeys)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
                    .addExtension(Extension.authorityKeyIdentifier, false,
                            extensions.createAuthorityKeyIdentifier(certificate));
        }
    }

    /** The JSON Fabric CA writes into the attribute extension; ClientIdentity reads it back. */
    static byte[] attributes(String enrollmentId, String civicRole) {
        StringBuilder json = new StringBuilder("{\"attrs\":{");
        if (civicRole != null) {
            json.append("\"civic.role\":\"").append(civicRole).append("\",");
        }
        json.append("\"hf.Affiliation\":\"\",\"hf.EnrollmentID\":\"").append(enrollmentId)
                .append("\",\"hf.Type\":\"client\"}}");
        return json.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static X500Name name(String commonName, String organizationalUnit) {
        String ou = organizationalUnit == null ? "" : ",OU=" + organizationalUnit;
        return new X500Name("CN=" + commonName + ou + ",O=civicpoints.local,C=NL");
    }

    private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair subjectKeys) {
        Instant now = Instant.now();
        return new JcaX509v3CertificateBuilder(issuer, new BigInteger(127, new SecureRandom()),
                Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(VALIDITY)), subject,
                subjectKeys.getPublic());
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey issuerKey)
            throws OperatorCreationException, GeneralSecurityException {
        return new JcaX509CertificateConverter()
                .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey)));
    }

    // ---- PEM ------------------------------------------------------------------------------

    static void writePem(Path file, X509Certificate certificate) throws IOException {
        Files.createDirectories(file.getParent());
        try (Writer out = Files.newBufferedWriter(file); JcaPEMWriter pem = new JcaPEMWriter(out)) {
            pem.writeObject(certificate);
        }
    }

    static void writePrivateKey(Path file, PrivateKey key) throws IOException {
        Files.createDirectories(file.getParent());
        StringWriter text = new StringWriter();
        try (JcaPEMWriter pem = new JcaPEMWriter(text)) {
            pem.writeObject(new JcaPKCS8Generator(key, null));
        }
        Files.writeString(file, text.toString());
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            LOG.log(System.Logger.Level.DEBUG, "no POSIX permissions on this file system for {0}", file);
        }
    }

    static X509Certificate readCertificate(Path file) throws IOException, GeneralSecurityException {
        return parseCertificate(Files.readAllBytes(file));
    }

    static X509Certificate parseCertificate(byte[] pem) throws GeneralSecurityException {
        return (X509Certificate) CertificateFactory.getInstance("X.509", "SUN")
                .generateCertificate(new ByteArrayInputStream(pem));
    }

    static PrivateKey readPrivateKey(Path file) throws IOException {
        try (Reader reader = Files.newBufferedReader(file); PEMParser parser = new PEMParser(reader)) {
            Object object = parser.readObject();
            if (!(object instanceof PrivateKeyInfo info)) {
                throw new IOException(file + " does not hold a PKCS#8 private key");
            }
            return KeyFactory.getInstance("EC")
                    .generatePrivate(new PKCS8EncodedKeySpec(info.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IOException(file + " does not hold an EC private key", e);
        }
    }
}
