package org.civicpoints.devnet;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
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
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A CA's key and self-signed certificate, issuing certificates the way Fabric CA and cryptogen do:
 * users (OU client) with Fabric CA attributes, the peer (OU peer), the peer's TLS server.
 */
record CertificateAuthority(KeyPair keys, X509Certificate certificate) {

  /** Fabric CA puts enrollment attributes in this X.509 extension as JSON {"attrs":{...}}. */
  static final ASN1ObjectIdentifier ATTRIBUTES_OID = new ASN1ObjectIdentifier("1.2.3.4.5.6.7.8.1");

  private static final Duration VALIDITY = Duration.ofDays(3650);

  static CertificateAuthority create(String commonName)
      throws GeneralSecurityException, OperatorCreationException, IOException {
    KeyPair keys = newKeyPair();
    X500Name subject = name(commonName, null);
    JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
    X509v3CertificateBuilder builder =
        builder(subject, subject, keys)
            .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
            .addExtension(
                Extension.keyUsage,
                true,
                new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature))
            .addExtension(
                Extension.subjectKeyIdentifier,
                false,
                extensions.createSubjectKeyIdentifier(keys.getPublic()));
    return new CertificateAuthority(keys, sign(builder, keys.getPrivate()));
  }

  static KeyPair newKeyPair() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
    return generator.generateKeyPair();
  }

  /** A client certificate carrying the enrollment id and, when given, the civic.role attribute. */
  X509Certificate issueUser(String enrollmentId, String civicRole, KeyPair subjectKeys)
      throws GeneralSecurityException, OperatorCreationException, IOException {
    X509v3CertificateBuilder builder =
        leaf(name(enrollmentId, "client"), subjectKeys)
            .addExtension(ATTRIBUTES_OID, false, attributes(enrollmentId, civicRole));
    return sign(builder, keys.getPrivate());
  }

  X509Certificate issuePeer(KeyPair subjectKeys)
      throws GeneralSecurityException, OperatorCreationException, IOException {
    return sign(leaf(name("peer0.civicpoints.local", "peer"), subjectKeys), keys.getPrivate());
  }

  /** The peer's TLS certificate: valid for localhost and 127.0.0.1, where devnet listens. */
  X509Certificate issueTlsServer(KeyPair subjectKeys)
      throws GeneralSecurityException, OperatorCreationException, IOException {
    GeneralNames alternativeNames =
        new GeneralNames(
            new GeneralName[] {
              new GeneralName(GeneralName.dNSName, "localhost"),
              new GeneralName(GeneralName.iPAddress, "127.0.0.1")
            });
    X509v3CertificateBuilder builder =
        leaf(name("localhost", "peer"), subjectKeys)
            .addExtension(Extension.subjectAlternativeName, false, alternativeNames)
            .addExtension(
                Extension.extendedKeyUsage,
                false,
                new ExtendedKeyUsage(
                    new KeyPurposeId[] {
                      KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth
                    }));
    return sign(builder, keys.getPrivate());
  }

  /**
   * The JSON Fabric CA writes into the attribute extension; the shim's ClientIdentity reads it
   * back.
   */
  static byte[] attributes(String enrollmentId, String civicRole) {
    StringBuilder json = new StringBuilder("{\"attrs\":{");
    if (civicRole != null) {
      json.append("\"civic.role\":\"").append(civicRole).append("\",");
    }
    json.append("\"hf.Affiliation\":\"\",\"hf.EnrollmentID\":\"")
        .append(enrollmentId)
        .append("\",\"hf.Type\":\"client\"}}");
    return json.toString().getBytes(StandardCharsets.UTF_8);
  }

  private X509v3CertificateBuilder leaf(X500Name subject, KeyPair subjectKeys)
      throws GeneralSecurityException, IOException {
    JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
    X500Name issuer = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
    return builder(issuer, subject, subjectKeys)
        .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
        .addExtension(
            Extension.keyUsage,
            true,
            new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
        .addExtension(
            Extension.authorityKeyIdentifier,
            false,
            extensions.createAuthorityKeyIdentifier(certificate));
  }

  private static X500Name name(String commonName, String organizationalUnit) {
    String ou = organizationalUnit == null ? "" : ",OU=" + organizationalUnit;
    return new X500Name("CN=" + commonName + ou + ",O=civicpoints.local,C=NL");
  }

  private static X509v3CertificateBuilder builder(
      X500Name issuer, X500Name subject, KeyPair subjectKeys) {
    Instant now = Instant.now();
    return new JcaX509v3CertificateBuilder(
        issuer,
        new BigInteger(127, new SecureRandom()),
        Date.from(now.minus(Duration.ofDays(1))),
        Date.from(now.plus(VALIDITY)),
        subject,
        subjectKeys.getPublic());
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey issuerKey)
      throws OperatorCreationException, GeneralSecurityException {
    return new JcaX509CertificateConverter()
        .getCertificate(
            builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey)));
  }
}
