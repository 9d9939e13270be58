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
import org.bouncycastle.math.ec.FixedPointCombMultiplier;
import org.bouncycastle.math.ec.FixedPointPreCompInfo;
import org.bouncycastle.math.ec.FixedPointUtil;
import org.bouncycastle.math.raw.Nat;
import org.bouncycastle.util.BigIntegers;

/**
 * ECDSA over P-256 with SHA-256 the way Fabric uses it: DER signatures whose S is in the lower
 * half of the curve order (Fabric refuses high-S signatures because they are malleable).
 *
 * <p>The arithmetic is BouncyCastle's lightweight P-256 implementation: on Java 17 it is several
 * times faster than the JDK's provider, and every transaction costs four verifications.
 */
final class EcdsaSignatures {

    private static final X9ECParameters P256 = CustomNamedCurves.getByName("secp256r1");
    private static final ECDomainParameters DOMAIN =
            new ECDomainParameters(P256.getCurve(), P256.getG(), P256.getN(), P256.getH(), P256.getSeed());
    private static final BigInteger HALF_ORDER = P256.getN().shiftRight(1);

    private EcdsaSignatures() {
    }

    /** A verification key; keep it: BouncyCastle caches precomputed multiples on the point. */
    static ECPublicKeyParameters verificationKey(PublicKey key) {
        if (!(key instanceof ECPublicKey ec)) {
            throw new IllegalArgumentException("not an EC public key: " + key.getAlgorithm());
        }
        return new ECPublicKeyParameters(
                DOMAIN.getCurve().createPoint(ec.getW().getAffineX(), ec.getW().getAffineY()), DOMAIN);
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
            return new DERSequence(new ASN1Integer[] {new ASN1Integer(rs[0]), new ASN1Integer(s)}).getEncoded();
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode a signature", e);
        }
    }

    /** True only for a well-formed low-S signature by the key over the message. */
    static boolean verify(ECPublicKeyParameters key, byte[] message, byte[] derSignature) {
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
     * <p>Both products come from fixed-point comb tables (G's is shared; each member key's is
     * built once and cached on its point) walked together, so the doublings are shared, and
     * with variable-time lookups, which is safe because every input here is public. That makes
     * a verification about three times cheaper than BouncyCastle's generic verifier.
     */
    private static boolean verifyDigest(ECPublicKeyParameters key, BigInteger digest, BigInteger r, BigInteger s) {
        BigInteger n = DOMAIN.getN();
        if (r.signum() <= 0 || r.compareTo(n) >= 0) {
            return false;
        }
        BigInteger w = BigIntegers.modOddInverseVar(n, s);
        ECPoint point = sumOfCombProducts(DOMAIN.getG(), digest.multiply(w).mod(n), key.getQ(), r.multiply(w).mod(n));
        return !point.isInfinity() && point.getAffineXCoord().toBigInteger().mod(n).equals(r);
    }

    /** a·P + b·Q with one shared run of the comb method over both points' tables. */
    private static ECPoint sumOfCombProducts(ECPoint p, BigInteger a, ECPoint q, BigInteger b) {
        FixedPointPreCompInfo pTable = FixedPointUtil.precompute(p);
        FixedPointPreCompInfo qTable = FixedPointUtil.precompute(q);
        if (pTable.getWidth() != qTable.getWidth()) {
            FixedPointCombMultiplier comb = new FixedPointCombMultiplier();
            return comb.multiply(p, a).add(comb.multiply(q, b)).normalize();
        }
        int width = pTable.getWidth();
        int teeth = (FixedPointUtil.getCombSize(p.getCurve()) + width - 1) / width;
        int bits = teeth * width;
        int[] aBits = Nat.fromBigInteger(bits, a);
        int[] bBits = Nat.fromBigInteger(bits, b);
        ECPoint sum = p.getCurve().getInfinity();
        for (int tooth = 0; tooth < teeth; tooth++) {
            int aIndex = 0;
            int bIndex = 0;
            for (int bit = bits - 1 - tooth; bit >= 0; bit -= teeth) {
                aIndex = (aIndex << 1) | ((aBits[bit >>> 5] >>> (bit & 31)) & 1);
                bIndex = (bIndex << 1) | ((bBits[bit >>> 5] >>> (bit & 31)) & 1);
            }
            sum = sum.twicePlus(pTable.getLookupTable().lookupVar(aIndex)).add(qTable.getLookupTable().lookupVar(bIndex));
        }
        return sum.add(pTable.getOffset()).add(qTable.getOffset()).normalize();
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
