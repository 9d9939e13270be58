package org.civicpoints.chaincode;

import com.google.protobuf.ByteString;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.Date;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.hyperledger.fabric.protos.msp.SerializedIdentity;

/**
 * Serialized client identities as a Fabric peer hands them to chaincode: an MSP id and a PEM
 * certificate, with Fabric CA's attribute extension (OID 1.2.3.4.5.6.7.8.1, raw JSON) so that the
 * shim's ClientIdentity parses {@code civic.role} exactly as it would on a real network.
 */
final class TestIdentities {
  static final String MSP_ID = "Org1MSP";
  private static final ASN1ObjectIdentifier FABRIC_ATTRIBUTES =
      new ASN1ObjectIdentifier("1.2.3.4.5.6.7.8.1");

  static final byte[] LEDGER_WRITER =
      identity("relay", "{\"attrs\":{\"civic.role\":\"ledger-writer\"}}");
  static final byte[] RULES_ADMIN =
      identity("admin", "{\"attrs\":{\"civic.role\":\"rules-admin\"}}");
  static final byte[] OTHER_ROLE = identity("viewer", "{\"attrs\":{\"civic.role\":\"auditor\"}}");
  static final byte[] NO_ROLE = identity("member", null);

  private TestIdentities() {}

  private static byte[] identity(final String commonName, final String attributesJson) {
    try {
      final KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      final KeyPair keys = generator.generateKeyPair();
      final X500Name subject = new X500Name("CN=" + commonName + ",OU=client,O=Org1");
      final Date notBefore = new Date(1_700_000_000_000L);
      final Date notAfter = new Date(4_100_000_000_000L);
      final X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
              subject,
              BigInteger.valueOf(commonName.hashCode() & 0x7fffffffL),
              notBefore,
              notAfter,
              subject,
              keys.getPublic());
      if (attributesJson != null) {
        builder.addExtension(
            FABRIC_ATTRIBUTES, false, attributesJson.getBytes(StandardCharsets.UTF_8));
      }
      final X509Certificate certificate =
          new JcaX509CertificateConverter()
              .getCertificate(
                  builder.build(
                      new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
      final String pem =
          "-----BEGIN CERTIFICATE-----\n"
              + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                  .encodeToString(certificate.getEncoded())
              + "\n-----END CERTIFICATE-----\n";
      return SerializedIdentity.newBuilder()
          .setMspid(MSP_ID)
          .setIdBytes(ByteString.copyFromUtf8(pem))
          .build()
          .toByteArray();
    } catch (Exception e) {
      throw new IllegalStateException("cannot make a test identity", e);
    }
  }
}
