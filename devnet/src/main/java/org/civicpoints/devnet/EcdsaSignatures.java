package org.civicpoints.devnet;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DERSequence;

/**
 * SHA256withECDSA over P-256 the way Fabric uses it: DER signatures whose S is in the lower half
 * of the curve order (Fabric refuses high-S signatures because they are malleable).
 */
final class EcdsaSignatures {

    private static final BigInteger P256_ORDER =
            new BigInteger("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", 16);
    private static final BigInteger HALF_ORDER = P256_ORDER.shiftRight(1);
    /**
     * The JDK's own EC provider, named so that a BouncyCastle provider registered by a library in
     * the same JVM cannot take over: one Signature object is reused per thread, and it must accept
     * every key the MSP loads.
     */
    static final String JDK_PROVIDER = "SunEC";
    private static final ThreadLocal<Signature> SIGNATURES = ThreadLocal.withInitial(EcdsaSignatures::newSignature);

    private EcdsaSignatures() {
    }

    static byte[] sign(PrivateKey key, byte[] message) {
        try {
            Signature signature = SIGNATURES.get();
            signature.initSign(key);
            signature.update(message);
            return toLowS(signature.sign());
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot sign with the peer key", e);
        }
    }

    /** True only for a well-formed low-S signature by the key over the message. */
    static boolean verify(PublicKey key, byte[] message, byte[] derSignature) {
        try {
            if (!isLowS(derSignature)) {
                return false;
            }
            Signature signature = SIGNATURES.get();
            signature.initVerify(key);
            signature.update(message);
            return signature.verify(derSignature);
        } catch (GeneralSecurityException | IOException | IllegalArgumentException e) {
            return false; // a malformed signature is simply not a valid one
        }
    }

    private static boolean isLowS(byte[] derSignature) throws IOException {
        BigInteger[] rs = decode(derSignature);
        return rs[1].signum() > 0 && rs[1].compareTo(HALF_ORDER) <= 0;
    }

    private static byte[] toLowS(byte[] derSignature) throws IOException {
        BigInteger[] rs = decode(derSignature);
        if (rs[1].compareTo(HALF_ORDER) <= 0) {
            return derSignature;
        }
        return new DERSequence(new ASN1Integer[] {new ASN1Integer(rs[0]), new ASN1Integer(P256_ORDER.subtract(rs[1]))})
                .getEncoded();
    }

    private static BigInteger[] decode(byte[] derSignature) throws IOException {
        ASN1Sequence sequence = ASN1Sequence.getInstance(ASN1Primitive.fromByteArray(derSignature));
        if (sequence.size() != 2) {
            throw new IOException("an ECDSA signature has two integers");
        }
        return new BigInteger[] {
            ASN1Integer.getInstance(sequence.getObjectAt(0)).getValue(),
            ASN1Integer.getInstance(sequence.getObjectAt(1)).getValue()
        };
    }

    private static Signature newSignature() {
        try {
            return Signature.getInstance("SHA256withECDSA", JDK_PROVIDER);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no SHA256withECDSA", e);
        }
    }
}
