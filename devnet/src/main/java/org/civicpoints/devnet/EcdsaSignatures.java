package org.civicpoints.devnet;

import java.io.IOException;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.util.BigIntegers;

/**
 * ECDSA over P-256 with SHA-256 the way Fabric uses it: DER signatures whose S is in the lower half
 * of the curve order (Fabric refuses high-S signatures because they are malleable).
 *
 * <p>The arithmetic is BouncyCastle's lightweight P-256 implementation: on Java 17 it is several
 * times faster than the JDK's provider, and every transaction costs four verifications.
 */
final class EcdsaSignatures {

  private static final X9ECParameters P256 = CustomNamedCurves.getByName("secp256r1");
  private static final ECDomainParameters DOMAIN =
      new ECDomainParameters(
          P256.getCurve(), P256.getG(), P256.getN(), P256.getH(), P256.getSeed());
  private static final BigInteger HALF_ORDER = P256.getN().shiftRight(1);
  private static final CombTable G_TABLE = CombTable.of(DOMAIN.getG());

  private EcdsaSignatures() {}

  /**
   * A public key ready for fast verification: its comb table is built here, once (about a
   * millisecond and 16 KB), so keep the key for as long as the signer is around.
   */
  static VerificationKey verificationKey(PublicKey key) {
    if (!(key instanceof ECPublicKey ec)) {
      throw new IllegalArgumentException("not an EC public key: " + key.getAlgorithm());
    }
    ECPoint q =
        new ECPublicKeyParameters(
                DOMAIN.getCurve().createPoint(ec.getW().getAffineX(), ec.getW().getAffineY()),
                DOMAIN)
            .getQ();
    return new VerificationKey(CombTable.of(q));
  }

  /** A member's or the peer's public key with its precomputed comb table. */
  static final class VerificationKey {
    private final CombTable table;

    private VerificationKey(CombTable table) {
      this.table = table;
    }
  }

  static ECPrivateKeyParameters signingKey(PrivateKey key) {
    if (!(key instanceof ECPrivateKey ec)) {
      throw new IllegalArgumentException("not an EC private key: " + key.getAlgorithm());
    }
    return new ECPrivateKeyParameters(ec.getS(), DOMAIN);
  }

  /** A low-S DER signature over SHA-256 of the message, with a deterministic nonce (RFC 6979). */
  static byte[] sign(ECPrivateKeyParameters key, byte[] message) {
    ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
    signer.init(true, key);
    BigInteger[] rs = signer.generateSignature(sha256(message));
    BigInteger s = rs[1].compareTo(HALF_ORDER) > 0 ? DOMAIN.getN().subtract(rs[1]) : rs[1];
    try {
      return new DERSequence(new ASN1Integer[] {new ASN1Integer(rs[0]), new ASN1Integer(s)})
          .getEncoded();
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode a signature", e);
    }
  }

  /** True only for a well-formed low-S signature by the key over the message. */
  static boolean verify(VerificationKey key, byte[] message, byte[] derSignature) {
    BigInteger[] rs;
    try {
      rs = decode(derSignature);
    } catch (IOException | IllegalArgumentException e) {
      return false; // a malformed signature is simply not a valid one
    }
    if (rs[1].signum() <= 0 || rs[1].compareTo(HALF_ORDER) > 0) {
      return false;
    }
    return verifyDigest(key, new BigInteger(1, sha256(message)), rs[0], rs[1]);
  }

  /**
   * ECDSA verification: R = u1·G + u2·Q with u1 = e/s, u2 = r/s, valid when R.x = r (mod n).
   *
   * <p>Both products come from wide fixed-point comb tables (G's built once per JVM, each key's
   * once per key) walked together so the doublings are shared, with variable-time lookups, which is
   * safe because every input here is public. That makes a verification several times cheaper than
   * BouncyCastle's generic verifier.
   */
  private static boolean verifyDigest(
      VerificationKey key, BigInteger digest, BigInteger r, BigInteger s) {
    BigInteger n = DOMAIN.getN();
    if (r.signum() <= 0 || r.compareTo(n) >= 0) {
      return false;
    }
    BigInteger w = BigIntegers.modOddInverseVar(n, s);
    ECPoint point =
        CombTable.sumOfProducts(
            G_TABLE, digest.multiply(w).mod(n), key.table, r.multiply(w).mod(n));
    return !point.isInfinity() && point.getAffineXCoord().toBigInteger().mod(n).equals(r);
  }

  private static BigInteger[] decode(byte[] derSignature) throws IOException {
    ASN1Primitive primitive = ASN1Primitive.fromByteArray(derSignature);
    if (primitive == null) {
      throw new IOException("an empty signature");
    }
    ASN1Sequence sequence = ASN1Sequence.getInstance(primitive);
    if (sequence.size() != 2) {
      throw new IOException("an ECDSA signature has two integers");
    }
    return new BigInteger[] {
      ASN1Integer.getInstance(sequence.getObjectAt(0)).getValue(),
      ASN1Integer.getInstance(sequence.getObjectAt(1)).getValue()
    };
  }

  private static byte[] sha256(byte[] message) {
    MessageDigest sha256 = TransactionIds.sha256();
    return sha256.digest(message);
  }
}
