package org.civicpoints.devnet;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.Signature;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DERSequence;
import org.junit.jupiter.api.Test;

/** Signatures as Fabric makes and checks them, cross-checked against the JDK's ECDSA. */
class EcdsaSignaturesTest {

  private static final BigInteger ORDER =
      new BigInteger("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", 16);
  private static final byte[] MESSAGE = "a proposal".getBytes(StandardCharsets.UTF_8);

  @Test
  void verifies_low_s_signatures_made_by_the_jdk_and_rejects_other_messages_and_keys()
      throws Exception {
    KeyPair signer = CertificateAuthority.newKeyPair();
    EcdsaSignatures.VerificationKey key = EcdsaSignatures.verificationKey(signer.getPublic());
    for (int i = 0; i < 20; i++) {
      byte[] signature = lowS(jdkSign(signer, MESSAGE));

      assertThat(EcdsaSignatures.verify(key, MESSAGE, signature)).isTrue();
      assertThat(EcdsaSignatures.verify(key, "another".getBytes(StandardCharsets.UTF_8), signature))
          .isFalse();
      assertThat(
              EcdsaSignatures.verify(
                  EcdsaSignatures.verificationKey(CertificateAuthority.newKeyPair().getPublic()),
                  MESSAGE,
                  signature))
          .isFalse();
    }
  }

  @Test
  void refuses_the_high_s_twin_of_a_valid_signature() throws Exception {
    KeyPair signer = CertificateAuthority.newKeyPair();
    byte[] low = lowS(jdkSign(signer, MESSAGE));
    BigInteger[] rs = decode(low);
    byte[] high = encode(rs[0], ORDER.subtract(rs[1]));

    assertThat(
            EcdsaSignatures.verify(
                EcdsaSignatures.verificationKey(signer.getPublic()), MESSAGE, low))
        .isTrue();
    assertThat(
            EcdsaSignatures.verify(
                EcdsaSignatures.verificationKey(signer.getPublic()), MESSAGE, high))
        .isFalse();
  }

  @Test
  void signs_low_s_signatures_the_jdk_accepts() throws Exception {
    KeyPair signer = CertificateAuthority.newKeyPair();
    for (int i = 0; i < 20; i++) {
      byte[] message = ("message " + i).getBytes(StandardCharsets.UTF_8);
      byte[] signature =
          EcdsaSignatures.sign(EcdsaSignatures.signingKey(signer.getPrivate()), message);

      assertThat(decode(signature)[1]).isLessThanOrEqualTo(ORDER.shiftRight(1));
      Signature jdk = Signature.getInstance("SHA256withECDSA", "SunEC");
      jdk.initVerify(signer.getPublic());
      jdk.update(message);
      assertThat(jdk.verify(signature)).isTrue();
    }
  }

  @Test
  void refuses_garbage() throws Exception {
    EcdsaSignatures.VerificationKey key =
        EcdsaSignatures.verificationKey(CertificateAuthority.newKeyPair().getPublic());

    assertThat(EcdsaSignatures.verify(key, MESSAGE, new byte[0])).isFalse();
    assertThat(EcdsaSignatures.verify(key, MESSAGE, new byte[] {0x30, 0x03, 0x02, 0x01, 0x01}))
        .isFalse();
    assertThat(EcdsaSignatures.verify(key, MESSAGE, encode(BigInteger.ZERO, BigInteger.ONE)))
        .isFalse();
  }

  private static byte[] jdkSign(KeyPair signer, byte[] message) throws Exception {
    Signature jdk = Signature.getInstance("SHA256withECDSA", "SunEC");
    jdk.initSign(signer.getPrivate());
    jdk.update(message);
    return jdk.sign();
  }

  private static byte[] lowS(byte[] signature) throws Exception {
    BigInteger[] rs = decode(signature);
    return rs[1].compareTo(ORDER.shiftRight(1)) > 0
        ? encode(rs[0], ORDER.subtract(rs[1]))
        : signature;
  }

  private static BigInteger[] decode(byte[] der) throws Exception {
    ASN1Sequence sequence = ASN1Sequence.getInstance(ASN1Primitive.fromByteArray(der));
    return new BigInteger[] {
      ASN1Integer.getInstance(sequence.getObjectAt(0)).getValue(),
      ASN1Integer.getInstance(sequence.getObjectAt(1)).getValue()
    };
  }

  private static byte[] encode(BigInteger r, BigInteger s) throws Exception {
    return new DERSequence(new ASN1Integer[] {new ASN1Integer(r), new ASN1Integer(s)}).getEncoded();
  }
}
